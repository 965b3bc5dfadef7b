import { type IncomingMessage, request } from 'node:http';

/** One parsed server-sent event, or a comment line (`event: 'comment'`). */
export interface ReadEvent {
  event: string;
  id?: string;
  data: string;
}

/** A streaming HTTP client for `text/event-stream`: events are parsed as the bytes arrive. */
export interface SseReader {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every event and comment so far, in order. */
  events: ReadEvent[];
  /** The body when the answer was not a stream (an error envelope). */
  body(): Promise<string>;
  /** Resolves once `predicate` holds for the events read (rejects after `timeoutMs`). */
  waitFor(predicate: (events: ReadEvent[]) => boolean, timeoutMs?: number): Promise<ReadEvent[]>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  pause(): void;
  resume(): void;
  close(): void;
}

/** Opens `url` with a real socket and reads it as a server-sent event stream. */
export function openSse(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (res) => {
      const events: ReadEvent[] = [];
      const waiters = new Set<() => void>();
      let buffer = '';
      let raw = '';
      res.setEncoding('utf8');
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let at: number;
        while ((at = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, at);
          buffer = buffer.slice(at + 2);
          events.push(parseBlock(block));
        }
        for (const w of waiters) w();
      });
      resolve({
        status: res.statusCode ?? 0, headers: res.headers, events, ended,
        body: async () => {
          await ended;
          return raw;
        },
        waitFor: (predicate, timeoutMs = 5000) => new Promise((ok, fail) => {
          const check = (): void => {
            if (!predicate(events)) return;
            cleanup();
            ok(events);
          };
          const timer = setTimeout(() => {
            cleanup();
            fail(new Error(`timed out waiting for events; got ${JSON.stringify(events)}`));
          }, timeoutMs);
          const cleanup = (): void => {
            clearTimeout(timer);
            waiters.delete(check);
          };
          waiters.add(check);
          check();
        }),
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function parseBlock(block: string): ReadEvent {
  if (block.startsWith(':')) return { event: 'comment', data: block.slice(1).trim() };
  const e: ReadEvent = { event: 'message', data: '' };
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    const field = line.slice(0, colon);
    const value = line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') e.event = value;
    else if (field === 'id') e.id = value;
    else if (field === 'data') e.data = e.data === '' ? value : `${e.data}\n${value}`;
  }
  return e;
}
