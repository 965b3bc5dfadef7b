import type { AttrValue, PlannedSpan, Service } from './plan.ts';
import type { Random } from './random.ts';

/**
 * Lays spans out one after another on a millisecond clock. Work inside a span happens between its
 * start and end, and siblings never overlap, so `a before b` in a rule means what it reads as.
 */
export class Timeline {
  private readonly rng: Random;
  private t = 0;

  constructor(rng: Random) {
    this.rng = rng;
  }

  /** A span that starts now, holds what `inner` lays out, and ends a little after it. */
  span(service: Service, name: string, kind: PlannedSpan['kind'], attributes: Record<string, AttrValue>, inner?: () => PlannedSpan[], error?: string): PlannedSpan {
    this.t += this.rng.int(1, 3);
    const startMs = this.t;
    const children = inner ? inner() : [];
    this.t += this.rng.int(1, 8);
    return { service, name, kind, startMs, endMs: this.t, attributes, children, ...(error === undefined ? {} : { error }) };
  }

  /**
   * An HTTP call between services: a client span in `from`, failed resends (`http.retry`) when
   * `retries` > 0, and the callee's server span holding its work.
   */
  call(from: Service, to: Service, method: string, route: string, inner: () => PlannedSpan[], retries = 0): PlannedSpan {
    return this.span(from, `${method} ${to}`, 'client', { 'http.request.method': method, 'server.address': to, 'url.path': route }, () => [
      ...Array.from({ length: retries }, (_, i) =>
        this.span(from, 'http.retry', 'client', { 'http.request.method': method, 'server.address': to, 'http.request.resend_count': i + 1, 'http.response.status_code': 503 }, undefined, 'upstream unavailable')),
      this.span(to, `${method} ${route}`, 'server', { 'http.request.method': method, 'http.route': route, 'http.response.status_code': 200 }, inner),
    ]);
  }
}
