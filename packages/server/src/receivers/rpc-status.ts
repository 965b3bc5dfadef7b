/** The google.rpc.Code values the receivers answer with. */
export const RPC_CODE = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

/** A `google.rpc.Status`; `retryAfterSeconds` adds a `google.rpc.RetryInfo` detail. */
export interface RpcStatus {
  code: number;
  message: string;
  retryAfterSeconds?: number;
}

export const RETRY_INFO_TYPE_URL = 'type.googleapis.com/google.rpc.RetryInfo';

/**
 * Protobuf `google.rpc.Status`. Hand-encoded: three tiny messages do not justify a protobuf
 * runtime on the server, and the field numbers are fixed by google/rpc/status.proto.
 */
export function encodeRpcStatus(status: RpcStatus): Buffer {
  const parts = [uintField(1, status.code), bytesField(2, Buffer.from(status.message, 'utf8'))];
  if (status.retryAfterSeconds !== undefined) {
    // RetryInfo { Duration retry_delay = 1 }, Duration { int64 seconds = 1 }
    const retryInfo = bytesField(1, uintField(1, status.retryAfterSeconds));
    parts.push(bytesField(3, Buffer.concat([bytesField(1, Buffer.from(RETRY_INFO_TYPE_URL)), bytesField(2, retryInfo)])));
  }
  return Buffer.concat(parts);
}

/** OTLP/JSON form of `google.rpc.Status` (proto3 JSON mapping: `Any` carries `@type`). */
export function rpcStatusJson(status: RpcStatus): Record<string, unknown> {
  const json: Record<string, unknown> = { code: status.code, message: status.message };
  if (status.retryAfterSeconds !== undefined) {
    json['details'] = [{ '@type': RETRY_INFO_TYPE_URL, retryDelay: `${status.retryAfterSeconds}s` }];
  }
  return json;
}

function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Buffer.from(out);
}

function uintField(field: number, n: number): Buffer {
  return n === 0 ? Buffer.alloc(0) : Buffer.concat([varint(field << 3), varint(n)]);
}

function bytesField(field: number, bytes: Buffer): Buffer {
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}
