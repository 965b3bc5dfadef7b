import type { RuleReads } from '@betrace/dsl';
import type { AttrValue, Span, TraceIndex } from '@betrace/engine';
import type { JsonValue, WitnessSpan } from '@betrace/store';
import type { Redactor } from '../redaction/redactor.ts';

/** The witness spans of a violation with the attributes the rule read, redacted. */
export function witnessSpans(ids: readonly string[], index: TraceIndex, reads: RuleReads, redactor: Redactor): WitnessSpan[] {
  const out: WitnessSpan[] = [];
  for (const id of ids) {
    const span = index.byId.get(id);
    if (span === undefined) continue;
    out.push({ spanId: span.spanId, name: span.name, service: span.service, attributes: redactor.attributes(readAttributes(span, reads)) });
  }
  return out;
}

function readAttributes(span: Span, reads: RuleReads): Record<string, JsonValue> {
  const attrs: Record<string, JsonValue> = {};
  for (const key of reads.attributes) {
    const v = span.attributes.get(key) ?? span.resource.get(key);
    if (v !== undefined) attrs[key] = toJson(v);
  }
  for (const key of reads.resourceAttributes) {
    const v = span.resource.get(key);
    if (v !== undefined) attrs[`resource.${key}`] = toJson(v);
  }
  return attrs;
}

/** Attribute values as JSON: bytes become base64 strings. */
export function toJson(v: AttrValue): JsonValue {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(toJson);
  return v as JsonValue;
}
