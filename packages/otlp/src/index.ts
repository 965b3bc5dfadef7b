export type { DecodeError } from './decode-error.ts';
export { formatDecodeError } from './decode-error.ts';
export type { DecodeResult } from './decode-json.ts';
export { decodeJsonTraces, groupByTrace } from './decode-json.ts';
