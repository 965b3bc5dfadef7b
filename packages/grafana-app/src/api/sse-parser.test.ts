import { SseParser, type ServerEvent } from './sse-parser';

describe('SseParser', () => {
  const rows: Array<{ name: string; chunks: string[]; want: ServerEvent[] }> = [
    { name: 'one event', chunks: ['event: violation\nid: 1-a\ndata: {"x":1}\n\n'], want: [{ event: 'violation', id: '1-a', data: '{"x":1}' }] },
    { name: 'split mid-line and mid-field', chunks: ['event: viol', 'ation\nda', 'ta: {"x"', ':1}\n', '\n'], want: [{ event: 'violation', data: '{"x":1}' }] },
    { name: 'CRLF split between CR and LF', chunks: ['data: a\r', '\n\r\n'], want: [{ event: 'message', data: 'a' }] },
    { name: 'heartbeat comments are ignored', chunks: [': heartbeat\n\n: heartbeat\n\ndata: x\n\n'], want: [{ event: 'message', data: 'x' }] },
    { name: 'multi-line data joins with newlines', chunks: ['data: a\ndata: b\n\n'], want: [{ event: 'message', data: 'a\nb' }] },
    { name: 'retry is reported', chunks: ['retry: 5000\n\n'], want: [{ event: 'message', data: '', retry: 5000 }] },
    { name: 'no blank line yet: nothing dispatched', chunks: ['data: a\n'], want: [] },
    { name: 'the id carries over to later events', chunks: ['id: 7\ndata: a\n\ndata: b\n\n'], want: [{ event: 'message', id: '7', data: 'a' }, { event: 'message', id: '7', data: 'b' }] },
  ];
  test.each(rows)('$name', ({ chunks, want }) => {
    const parser = new SseParser();
    expect(chunks.flatMap((c) => parser.push(c))).toEqual(want);
  });
});
