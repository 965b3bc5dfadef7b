import { pino, type Logger } from 'pino';

/** Structured JSON logs on stdout, one line per event that matters (never one per span). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'betrace' }, timestamp: pino.stdTimeFunctions.isoTime });
}
