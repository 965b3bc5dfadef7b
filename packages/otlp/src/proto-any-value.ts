import type { AttrValue } from '@betrace/engine';
import type { FieldFilter } from './field-filter.ts';
import type { ProtoContext } from './proto-context.ts';
import { FIXED64, LEN, VARINT, WireError } from './wire-reader.ts';
import { utf8Cut } from './wire-text.ts';
import { truncateUtf8 } from './truncate-value.ts';

/** Arrays and key-value lists nest; deeper than this is malformed rather than a risk to the stack. */
const MAX_VALUE_DEPTH = 32;

/** What a `kvlist_value` becomes on the way to JSON text (the engine has no map values). */
type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

const ANY_VALUE_FIELDS = ['', 'string_value', 'bool_value', 'int_value', 'double_value', 'array_value', 'kvlist_value', 'bytes_value'];
const ANY_VALUE_TYPES = [-1, LEN, VARINT, VARINT, FIXED64, LEN, LEN, LEN];

/**
 * Decodes one `KeyValue` (ending at `end`) into `map`, applying the attribute limits: a new key past
 * `maxAttributes` is dropped and counted; a key given twice keeps its last value; an empty AnyValue
 * removes the key (as the JSON decoder does).
 */
export function decodeKeyValue<M extends Map<string, AttrValue> | undefined>(c: ProtoContext, end: number, map: M, filter?: FieldFilter, ordinal = 0): M | Map<string, AttrValue> {
  const r = c.r;
  let keyStart = 0;
  let keyEnd = 0;
  let valueStart = -1;
  let valueEnd = 0;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x0a) {
      keyEnd = r.lengthEnd(end);
      keyStart = r.pos;
      r.pos = keyEnd;
    } else if (tag === 0x12) {
      valueEnd = r.lengthEnd(end);
      valueStart = r.pos;
      r.pos = valueEnd;
    } else if (tag >>> 3 === 1 || tag >>> 3 === 2) {
      throw r.wrongType(tag, tag >>> 3 === 1 ? 'key' : 'value', LEN);
    } else {
      r.skip(tag, end);
    }
  }
  let key: string;
  if (filter === undefined) {
    key = c.strings.get(r.buf, keyStart, keyEnd);
  } else {
    // Unread keys are skipped with their values unread. The attribute limit counts key-values on
    // the wire here (keys must be unique per the OTLP specification, so that is the same count).
    const kept = filter.match(r.buf, keyStart, keyEnd);
    if (kept === undefined) {
      if (ordinal >= c.maxAttributes) c.counter.droppedAttributes++;
      return map;
    }
    key = kept;
  }
  const out = map ?? new Map<string, AttrValue>();
  if ((filter === undefined ? out.size : ordinal) >= c.maxAttributes && !out.has(key)) {
    c.counter.droppedAttributes++;
    return out;
  }
  let value: AttrValue | undefined;
  if (valueStart >= 0) {
    r.pos = valueStart;
    value = decodeAnyValue(c, valueEnd, 0);
    r.pos = end;
  }
  if (value === undefined) out.delete(key);
  else out.set(key, value);
  return out;
}

/** One AnyValue; `undefined` when no field is set. int64 beyond ±2^53 keeps the nearest float64. */
function decodeAnyValue(c: ProtoContext, end: number, depth: number): AttrValue | undefined {
  if (depth > MAX_VALUE_DEPTH) throw new WireError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`, c.r.pos);
  const r = c.r;
  const buf = r.buf;
  let value: AttrValue | undefined;
  while (r.pos < end) {
    const tag = r.tag(end);
    switch (tag) {
      case 0x0a: {
        const stop = r.lengthEnd(end);
        value = stringValue(c, r.pos, stop);
        r.pos = stop;
        break;
      }
      case 0x10:
        value = r.varint(end) !== 0;
        break;
      case 0x18:
        value = r.int64(end);
        break;
      case 0x21:
        value = r.double(end);
        break;
      case 0x2a: {
        const stop = r.lengthEnd(end);
        const items: AttrValue[] = [];
        while (r.pos < stop) {
          const t = r.tag(stop);
          if (t === 0x0a) {
            const itemEnd = r.lengthEnd(stop);
            const item = decodeAnyValue(c, itemEnd, depth + 1);
            if (item !== undefined) items.push(item);
            r.pos = itemEnd;
          } else if (t >>> 3 === 1) throw r.wrongType(t, 'values', LEN);
          else r.skip(t, stop);
        }
        value = items;
        break;
      }
      case 0x32: {
        const stop = r.lengthEnd(end);
        const text = JSON.stringify(plainKeyValueList(c, stop, depth + 1));
        value = truncateUtf8(text, c.maxValueBytes);
        if (value !== text) c.counter.truncatedValues++;
        r.pos = stop;
        break;
      }
      case 0x3a: {
        const stop = r.lengthEnd(end);
        let cut = stop;
        if (stop - r.pos > c.maxValueBytes) {
          cut = r.pos + c.maxValueBytes;
          c.counter.truncatedValues++;
        }
        value = new Uint8Array(buf.subarray(r.pos, cut));
        r.pos = stop;
        break;
      }
      default:
        checkAnyValueType(c, tag);
        r.skip(tag, end);
    }
  }
  return value;
}

function checkAnyValueType(c: ProtoContext, tag: number): void {
  const field = tag >>> 3;
  if (field >= 1 && field <= 7) throw c.r.wrongType(tag, ANY_VALUE_FIELDS[field]!, ANY_VALUE_TYPES[field]!);
}

function stringValue(c: ProtoContext, start: number, end: number): string {
  if (end - start > c.maxValueBytes) {
    c.counter.truncatedValues++;
    return c.strings.get(c.r.buf, start, utf8Cut(c.r.buf, start, c.maxValueBytes));
  }
  return c.strings.get(c.r.buf, start, end);
}

/** A KeyValueList as a plain object, for JSON text; null-prototype so any key is just a key. */
function plainKeyValueList(c: ProtoContext, end: number, depth: number): { [key: string]: Plain } {
  if (depth > MAX_VALUE_DEPTH) throw new WireError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`, c.r.pos);
  const r = c.r;
  const out: { [key: string]: Plain } = Object.create(null) as { [key: string]: Plain };
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag !== 0x0a) {
      if (tag >>> 3 === 1) throw r.wrongType(tag, 'values', LEN);
      r.skip(tag, end);
      continue;
    }
    const kvEnd = r.lengthEnd(end);
    let key = '';
    let value: Plain = null;
    while (r.pos < kvEnd) {
      const t = r.tag(kvEnd);
      if (t === 0x0a) {
        const stop = r.lengthEnd(kvEnd);
        key = c.strings.get(r.buf, r.pos, stop);
        r.pos = stop;
      } else if (t === 0x12) {
        const stop = r.lengthEnd(kvEnd);
        value = plainValue(c, stop, depth + 1);
        r.pos = stop;
      } else if (t >>> 3 === 1 || t >>> 3 === 2) throw r.wrongType(t, t >>> 3 === 1 ? 'key' : 'value', LEN);
      else r.skip(t, kvEnd);
    }
    out[key] = value;
  }
  return out;
}

/** A value inside a key-value list: nested lists stay objects, bytes become base64. */
function plainValue(c: ProtoContext, end: number, depth: number): Plain {
  if (depth > MAX_VALUE_DEPTH) throw new WireError(`attribute values nested deeper than ${MAX_VALUE_DEPTH}`, c.r.pos);
  const r = c.r;
  let value: Plain = null;
  while (r.pos < end) {
    const tag = r.tag(end);
    if (tag === 0x32) {
      const stop = r.lengthEnd(end);
      value = plainKeyValueList(c, stop, depth + 1);
      r.pos = stop;
    } else if (tag === 0x2a) {
      const stop = r.lengthEnd(end);
      const items: Plain[] = [];
      while (r.pos < stop) {
        const t = r.tag(stop);
        if (t === 0x0a) {
          const itemEnd = r.lengthEnd(stop);
          items.push(plainValue(c, itemEnd, depth + 1));
          r.pos = itemEnd;
        } else if (t >>> 3 === 1) throw r.wrongType(t, 'values', LEN);
        else r.skip(t, stop);
      }
      value = items;
    } else if (tag === 0x0a) {
      const stop = r.lengthEnd(end);
      value = c.strings.get(r.buf, r.pos, stop);
      r.pos = stop;
    } else if (tag === 0x10) {
      value = r.varint(end) !== 0;
    } else if (tag === 0x18) {
      value = r.int64(end);
    } else if (tag === 0x21) {
      const n = r.double(end);
      value = Number.isFinite(n) ? n : String(n);
    } else if (tag === 0x3a) {
      const stop = r.lengthEnd(end);
      value = Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, stop - r.pos).toString('base64');
      r.pos = stop;
    } else {
      checkAnyValueType(c, tag);
      r.skip(tag, end);
    }
  }
  return value;
}
