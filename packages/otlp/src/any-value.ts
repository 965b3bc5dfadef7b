import type { AttrValue } from '@betrace/engine';
import type { IngestCounter } from './ingest-counter.ts';
import { FieldError, at, describe, expectArray, expectInt64, expectString, isObject } from './json-value.ts';
import { limitValue } from './truncate-value.ts';

/** What a `kvlistValue` becomes: the engine has no map values, so the list is kept as JSON text. */
type Plain = string | number | boolean | null | Plain[] | { [key: string]: Plain };

/**
 * Decodes an OTLP `AnyValue`. Returns `undefined` for an empty AnyValue (no field set), which
 * OTLP uses for "no value": the attribute is then absent, so `x == null` holds in rules.
 * `kvlistValue` becomes a JSON object string; bytes inside it become base64 strings.
 */
export function decodeAnyValue(value: unknown, path: string): AttrValue | undefined {
  if (!isObject(value)) throw new FieldError(path, `expected an AnyValue object, found ${describe(value)}`);
  if ('stringValue' in value) return expectString(value['stringValue'], at(path, 'stringValue'));
  if ('boolValue' in value) {
    const v = value['boolValue'];
    if (typeof v !== 'boolean') throw new FieldError(at(path, 'boolValue'), `expected true or false, found ${describe(v)}`);
    return v;
  }
  if ('intValue' in value) return Number(expectInt64(value['intValue'], at(path, 'intValue'), false));
  if ('doubleValue' in value) return decodeDouble(value['doubleValue'], at(path, 'doubleValue'));
  if ('bytesValue' in value) return decodeBase64(value['bytesValue'], at(path, 'bytesValue'));
  if ('arrayValue' in value) {
    const arrayPath = at(path, 'arrayValue');
    const array = value['arrayValue'] ?? {};
    if (!isObject(array)) throw new FieldError(arrayPath, `expected an object with "values", found ${describe(array)}`);
    const out: AttrValue[] = [];
    expectArray(array['values'], at(arrayPath, 'values')).forEach((item, i) => {
      const decoded = decodeAnyValue(item, at(at(arrayPath, 'values'), i));
      if (decoded !== undefined) out.push(decoded);
    });
    return out;
  }
  if ('kvlistValue' in value) return JSON.stringify(toPlain(value, path));
  const keys = Object.keys(value);
  if (keys.length === 0) return undefined;
  throw new FieldError(
    path,
    `expected one of stringValue, boolValue, intValue, doubleValue, bytesValue, arrayValue, kvlistValue; found ${keys.map((k) => `"${k}"`).join(', ')}`,
  );
}

/**
 * Decodes a list of OTLP `KeyValue`s into a map; a key given twice keeps its last value. With a
 * `counter`, its limits apply: new keys past the attribute limit are dropped and long values cut,
 * both counted.
 */
export function decodeKeyValues(list: unknown, path: string, counter?: IngestCounter): Map<string, AttrValue> {
  const out = new Map<string, AttrValue>();
  const maxAttributes = counter?.limits.maxAttributesPerSpan ?? Infinity;
  const maxBytes = counter?.limits.maxAttributeValueBytes ?? Infinity;
  const onCut = () => {
    if (counter) counter.truncatedValues++;
  };
  expectArray(list, path).forEach((kv, i) => {
    const kvPath = at(path, i);
    if (!isObject(kv)) throw new FieldError(kvPath, `expected a {"key", "value"} object, found ${describe(kv)}`);
    const key = expectString(kv['key'], at(kvPath, 'key'));
    const value = kv['value'] === undefined ? undefined : decodeAnyValue(kv['value'], at(kvPath, 'value'));
    if (out.size >= maxAttributes && !out.has(key)) {
      if (counter) counter.droppedAttributes++;
    } else if (value === undefined) out.delete(key);
    else out.set(key, maxBytes === Infinity ? value : limitValue(value, maxBytes, onCut));
  });
  return out;
}

function decodeDouble(value: unknown, path: string): number {
  if (typeof value === 'number') return value;
  // Proto3 JSON writes non-finite doubles (and may write any double) as strings.
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    const n = Number(value);
    if (value.trim() !== '' && Number.isFinite(n)) return n;
  }
  throw new FieldError(path, `expected a number, found ${describe(value)}`);
}

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

function decodeBase64(value: unknown, path: string): Uint8Array {
  const text = expectString(value, path);
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    throw new FieldError(path, `expected base64 bytes, found ${describe(value)}`);
  }
  return new Uint8Array(Buffer.from(text, 'base64'));
}

function toPlain(value: unknown, path: string): Plain {
  if (isObject(value) && 'kvlistValue' in value) {
    const listPath = at(path, 'kvlistValue');
    const list = value['kvlistValue'] ?? {};
    if (!isObject(list)) throw new FieldError(listPath, `expected an object with "values", found ${describe(list)}`);
    const out: Record<string, Plain> = {};
    expectArray(list['values'], at(listPath, 'values')).forEach((kv, i) => {
      const kvPath = at(at(listPath, 'values'), i);
      if (!isObject(kv)) throw new FieldError(kvPath, `expected a {"key", "value"} object, found ${describe(kv)}`);
      out[expectString(kv['key'], at(kvPath, 'key'))] = toPlain(kv['value'] ?? {}, at(kvPath, 'value'));
    });
    return out;
  }
  if (isObject(value) && 'arrayValue' in value) {
    const arrayPath = at(path, 'arrayValue');
    const array = value['arrayValue'] ?? {};
    if (!isObject(array)) throw new FieldError(arrayPath, `expected an object with "values", found ${describe(array)}`);
    return expectArray(array['values'], at(arrayPath, 'values')).map((item, i) =>
      toPlain(item, at(at(arrayPath, 'values'), i)),
    );
  }
  const decoded = decodeAnyValue(value, path);
  if (decoded === undefined) return null;
  if (decoded instanceof Uint8Array) return Buffer.from(decoded).toString('base64');
  if (typeof decoded === 'number' && !Number.isFinite(decoded)) return String(decoded);
  return decoded as Plain;
}
