import type { AttributeField, Field, Intrinsic, IntrinsicField } from '@betrace/dsl';
import type { Span } from '../span.ts';
import type { FieldValue } from '../values.ts';
import { isEnumIntrinsic } from '../values.ts';

/** Reads a field of a span; `bound` is the span bound to the rule's label, if any. */
export type FieldReader = (span: Span, bound: Span | undefined) => FieldValue;

export interface CompiledField {
  read: FieldReader;
  /** `span.kind` / `span.status` (possibly through a label) compare case-insensitively. */
  caseInsensitive: boolean;
  /** Reads the bound span, so its result changes with the label binding. */
  usesLabel: boolean;
}

/** Compiles a field into a reader closure. */
export function compileField(field: Field): CompiledField {
  switch (field.kind) {
    case 'attr':
      return { read: attributeReader(field), caseInsensitive: false, usesLabel: false };
    case 'intrinsic':
      return { read: intrinsicReader(field.name), caseInsensitive: isEnumIntrinsic(field.name), usesLabel: false };
    case 'label_field': {
      const inner = compileField(field.field);
      const read = inner.read;
      return {
        read: (_span, bound) => (bound === undefined ? undefined : read(bound, bound)),
        caseInsensitive: inner.caseInsensitive,
        usesLabel: true,
      };
    }
    default:
      return assertNever(field);
  }
}

function attributeReader(field: AttributeField): FieldReader {
  const key = field.key;
  if (field.scope === 'resource') return (span) => span.resource.get(key);
  return (span) => span.attributes.get(key) ?? span.resource.get(key);
}

function intrinsicReader(name: Intrinsic): FieldReader {
  switch (name) {
    case 'name':
      return (s) => s.name;
    case 'duration':
      return (s) => s.duration;
    case 'kind':
      return (s) => s.kind;
    case 'status':
      return (s) => s.status;
    case 'status_message':
      return (s) => (s.statusMessage === '' ? undefined : s.statusMessage);
    case 'service':
      return (s) => (s.service === '' ? undefined : s.service);
    case 'id':
      return (s) => s.spanId;
    case 'parent_id':
      return (s) => s.parentSpanId;
    case 'start':
      return (s) => s.start;
    case 'end':
      return (s) => s.end;
    default:
      return assertNever(name);
  }
}

/** Whether a field is the intrinsic `span.duration` (directly or through a label). */
export function isDurationField(field: Field): boolean {
  const f: AttributeField | IntrinsicField = field.kind === 'label_field' ? field.field : field;
  return f.kind === 'intrinsic' && f.name === 'duration';
}

function assertNever(x: never): never {
  throw new Error(`unexpected field ${JSON.stringify(x)}`);
}
