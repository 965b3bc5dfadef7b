export { RequestType, ResponseType, protobufjsDecodeToSpans, protobufjsEncode, requestObjectFromSpans, requestToSpans } from './protobufjs-oracle.ts';
