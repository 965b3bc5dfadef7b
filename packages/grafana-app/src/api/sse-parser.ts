/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface ServerEvent {
  event: string;
  data: string;
  id?: string;
  retry?: number;
}

/**
 * Incremental text/event-stream parser: feed it chunks as they arrive, get whole events out.
 * Lines may be split across chunks; CRLF, CR and LF all end a line.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private id: string | undefined;
  private retry: number | undefined;

  push(chunk: string): ServerEvent[] {
    this.buffer += chunk;
    const out: ServerEvent[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.buffer);
      // A lone CR at the end may be the first half of CRLF: wait for the next chunk.
      if (!m || (m[0] === '\r' && m.index === this.buffer.length - 1)) {
        break;
      }
      const line = this.buffer.slice(0, m.index);
      this.buffer = this.buffer.slice(m.index + m[0].length);
      const event = this.line(line);
      if (event) {
        out.push(event);
      }
    }
    return out;
  }

  private line(line: string): ServerEvent | undefined {
    if (line === '') {
      return this.dispatch();
    }
    if (line.startsWith(':')) {
      return undefined;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      this.data.push(value);
    } else if (field === 'event') {
      this.event = value;
    } else if (field === 'id' && !value.includes('\u0000')) {
      this.id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) {
      this.retry = Number(value);
    }
    return undefined;
  }

  private dispatch(): ServerEvent | undefined {
    const hadData = this.data.length > 0;
    const event: ServerEvent = { event: this.event || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) {
      event.id = this.id;
    }
    if (this.retry !== undefined) {
      event.retry = this.retry;
    }
    this.data = [];
    this.event = '';
    this.retry = undefined;
    // The id persists (it is the stream's last event id) but is only reported with an event.
    return hadData || event.retry !== undefined ? event : undefined;
  }
}
