import type { EventStreamResponse } from './client';
import type { Violation } from './types';
import { followViolations, type StreamState } from './violation-stream';

const event = (id: string, v: Partial<Violation>) => `event: violation\nid: ${id}\ndata: ${JSON.stringify(v)}\n\n`;

function response(status: number, chunks: string[]): EventStreamResponse {
  return {
    status,
    chunks: (async function* () {
      for (const c of chunks) {
        yield c;
      }
    })(),
  };
}

async function until(check: () => boolean) {
  for (let i = 0; i < 100 && !check(); i++) {
    await new Promise((r) => setTimeout(r, 1));
  }
}

describe('followViolations', () => {
  test('after a dropped connection it reconnects with the last event id and misses nothing', async () => {
    const opened: Array<string | undefined> = [];
    const answers = [
      response(200, [event('100-a', { id: 'a' }), event('101-b', { id: 'b' })]), // then the connection drops
      response(200, [event('102-c', { id: 'c' })]),
    ];
    const got: string[] = [];
    const states: StreamState[] = [];
    const close = followViolations({
      open: async (lastEventId) => {
        opened.push(lastEventId);
        return answers.shift() ?? new Promise<EventStreamResponse>(() => undefined);
      },
      onViolation: (v) => got.push(v.id),
      onState: (s) => states.push(s),
      sleep: async () => undefined,
    });
    await until(() => got.length === 3 && opened.length === 3);
    close();
    expect(got).toEqual(['a', 'b', 'c']);
    expect(opened).toEqual([undefined, '101-b', '102-c']);
    expect(states.slice(0, 4)).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  test('a failed connection is retried with growing delays', async () => {
    const delays: number[] = [];
    let attempts = 0;
    const close = followViolations({
      open: async () => {
        attempts++;
        if (attempts <= 3) {
          throw new TypeError('network down');
        }
        return new Promise<EventStreamResponse>(() => undefined);
      },
      onViolation: () => undefined,
      retryMs: 100,
      maxDelayMs: 300,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    await until(() => attempts === 4);
    close();
    expect(delays).toEqual([100, 200, 300]);
  });

  test('a server without the stream (404) stops for good: state unavailable', async () => {
    let attempts = 0;
    const states: StreamState[] = [];
    followViolations({
      open: async () => {
        attempts++;
        return response(404, ['{"error":{}}']);
      },
      onViolation: () => undefined,
      onState: (s) => states.push(s),
      sleep: async () => undefined,
    });
    await until(() => states.includes('unavailable'));
    await new Promise((r) => setTimeout(r, 10));
    expect(attempts).toBe(1);
    expect(states).toEqual(['connecting', 'unavailable']);
  });

  test('a malformed event is skipped and the next one still arrives', async () => {
    const got: string[] = [];
    const close = followViolations({
      open: async () => response(200, ['event: violation\nid: 1-x\ndata: {not json\n\n', event('2-y', { id: 'y' })]),
      onViolation: (v) => got.push(v.id),
      sleep: () => new Promise(() => undefined),
    });
    await until(() => got.length > 0);
    close();
    expect(got).toEqual(['y']);
  });
});
