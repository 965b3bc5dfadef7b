import { describe, expect, it } from 'vitest';
import { parseRule } from './parse/parse-rule.ts';
import { ruleReads } from './reads.ts';

const reads = (text: string) => {
  const r = parseRule(text);
  if (!r.rule) throw new Error(JSON.stringify(r.diagnostics));
  return ruleReads(r.rule);
};

describe('ruleReads', () => {
  it('collects span names, keys, intrinsics and trace fields, once each, sorted', () => {
    expect(reads(`
      when   { p: payment.charge.where(amount > 1000 and resource.region == eu) }
      always { fraud.check.where(order_id == p.order_id and span.kind == server) before p
               and count(http.retry.where(p.span.duration > 1s)) < 3
               and max(db.query, span.duration) < 2s and trace.error_count == 0 }
      never  { payment.charge.where(resource."k8s-pod" == p.resource.pod) and trace.duration > 5s }`)).toEqual({
      spanNames: ['db.query', 'fraud.check', 'http.retry', 'payment.charge'],
      anySpan: false,
      attributes: ['amount', 'order_id'],
      resourceAttributes: ['k8s-pod', 'pod', 'region'],
      intrinsics: ['duration', 'kind'],
      traceFields: ['duration', 'error_count'],
    });
  });

  it('notes a pattern that matches any span', () => {
    expect(reads('never { *.where(span.status == error) }')).toMatchObject({ spanNames: [], anySpan: true, intrinsics: ['status'] });
  });

  it('reads the attribute of the compatibility form and the name without it', () => {
    expect(reads('always { payment.charge.amount > 1 }')).toMatchObject({ spanNames: ['payment.charge'], attributes: ['amount'] });
  });

  it('does not count a label reference as a span name', () => {
    expect(reads('when { p: a } always { b before p }').spanNames).toEqual(['a', 'b']);
  });
});
