/** OTLP transports the demo can export with. Kept apart from the SDK so `betrace` starts quickly. */
export const PROTOCOLS = ['http/protobuf', 'http/json', 'grpc'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** The default OTLP endpoint of each protocol (BeTrace's receivers). */
export function defaultEndpoint(protocol: Protocol): string {
  return protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318';
}
