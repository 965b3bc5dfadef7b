import type { EventStreamResponse } from './client';
import { SseParser } from './sse-parser';
import type { Violation } from './types';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'unavailable' | 'closed';

export interface ViolationStreamOptions {
  open(lastEventId: string | undefined, signal: AbortSignal): Promise<EventStreamResponse>;
  onViolation(violation: Violation): void;
  onState?(state: StreamState, detail?: string): void;
  /** First retry delay; doubles per failed attempt up to `maxDelayMs`, reset by a received event. */
  retryMs?: number;
  maxDelayMs?: number;
  sleep?(ms: number, signal: AbortSignal): Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Follows GET /api/v1/violations/stream: `violation` events carry a stored record as JSON. A
 * dropped connection is reopened with `Last-Event-ID` so nothing recorded meanwhile is missed.
 * A 404 (a server without the stream) or 401/403 stops for good: state `unavailable`.
 * Returns a function that closes the stream.
 */
export function followViolations(options: ViolationStreamOptions): () => void {
  const controller = new AbortController();
  const { signal } = controller;
  const sleep = options.sleep ?? defaultSleep;
  const state = (s: StreamState, detail?: string) => options.onState?.(s, detail);
  let lastEventId: string | undefined;
  let delay = options.retryMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 30_000;

  const run = async () => {
    let attempt = 0;
    while (!signal.aborted) {
      state(attempt === 0 ? 'connecting' : 'reconnecting');
      attempt++;
      try {
        const response = await options.open(lastEventId, signal);
        if ([401, 403, 404, 405].includes(response.status)) {
          state('unavailable', `the server answered ${response.status} for the violation stream`);
          return;
        }
        if (response.status !== 200) {
          throw new Error(`HTTP ${response.status}`);
        }
        state('live');
        const parser = new SseParser();
        for await (const chunk of response.chunks) {
          for (const event of parser.push(chunk)) {
            if (event.id !== undefined) {
              lastEventId = event.id;
            }
            if (event.retry !== undefined) {
              delay = event.retry;
            }
            if (event.event === 'violation' && event.data !== '') {
              delay = options.retryMs ?? 1000;
              try {
                options.onViolation(JSON.parse(event.data) as Violation);
              } catch {
                // a malformed event is skipped; the next one may be fine
              }
            }
          }
        }
      } catch (err) {
        if (signal.aborted) {
          break;
        }
        state('reconnecting', err instanceof Error ? err.message : String(err));
      }
      if (signal.aborted) {
        break;
      }
      await sleep(delay, signal);
      delay = Math.min(maxDelay, delay * 2);
    }
    state('closed');
  };
  void run();
  return () => controller.abort();
}
