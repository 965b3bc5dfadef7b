import type { ServerResponse } from 'node:http';

/** One server-sent event; `data` is a single line (JSON), so it needs no splitting. */
export interface SseEvent {
  event: string;
  id?: string;
  data: string;
}

export interface SseConnectionOptions {
  /** Bytes the socket may hold unsent before the client counts as too slow (and is disconnected). */
  maxBufferedBytes: number;
  /** Called once when the stream ends, whoever ended it. */
  onClose(reason: SseCloseReason): void;
}

/** Why a stream ended: the client left, it read too slowly, or the server ended it. */
export type SseCloseReason = 'client' | 'overflow' | 'server';

// After the final overflow event a client that never reads would pin the socket's buffer forever.
const OVERFLOW_GRACE_MS = 5_000;

/**
 * A `text/event-stream` response with a memory bound: events go straight to the socket, and once
 * more than `maxBufferedBytes` wait unsent the client gets a final `event: overflow` and is
 * disconnected instead of the server buffering without limit.
 */
export class SseConnection {
  private readonly res: ServerResponse;
  private readonly options: SseConnectionOptions;
  private ended = false;

  constructor(res: ServerResponse, options: SseConnectionOptions) {
    this.res = res;
    this.options = options;
    res.on('close', () => this.finish('client'));
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Writes an event; false when the stream is closed (now or before). */
  send(e: SseEvent): boolean {
    if (this.ended) return false;
    if (this.res.writableLength > this.options.maxBufferedBytes) {
      this.overflow(`the client read too slowly: more than ${this.options.maxBufferedBytes} bytes were waiting`);
      return false;
    }
    this.res.write(`event: ${e.event}\n${e.id === undefined ? '' : `id: ${e.id}\n`}data: ${e.data}\n\n`);
    return true;
  }

  /** A comment line, which EventSource ignores: keeps proxies from closing an idle stream. */
  comment(text: string): void {
    if (!this.ended) this.res.write(`: ${text}\n\n`);
  }

  /** Ends the stream with a last `event: overflow` saying why; the client should reconnect with Last-Event-ID. */
  overflow(message: string): void {
    if (this.ended) return;
    this.res.write(`event: overflow\ndata: ${JSON.stringify({ message })}\n\n`);
    this.finish('overflow');
    this.res.end();
    setTimeout(() => this.res.destroy(), OVERFLOW_GRACE_MS).unref();
  }

  /** Ends the stream normally (shutdown, or a replay that must continue on a new connection). */
  close(): void {
    if (this.ended) return;
    this.finish('server');
    this.res.end();
  }

  private finish(reason: SseCloseReason): void {
    if (this.ended) return;
    this.ended = true;
    this.options.onClose(reason);
  }
}
