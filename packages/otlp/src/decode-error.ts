/** One problem found while decoding OTLP input; the span (or document) it belongs to was skipped. */
export interface DecodeError {
  /** 1-based line of the JSON document in a JSONL file (or of a syntax error); absent otherwise. */
  line?: number;
  /** 1-based column of a JSON syntax error. */
  column?: number;
  /** JSON path inside the document, e.g. `resourceSpans[0].scopeSpans[1].spans[3].traceId`. */
  path: string;
  message: string;
}

/** `file:line:column: path: message`, leaving out the parts that are unknown. */
export function formatDecodeError(error: DecodeError, file?: string): string {
  let where = file ?? '';
  if (error.line !== undefined) {
    where += `${where ? ':' : 'line '}${error.line}`;
    if (error.column !== undefined) where += `:${error.column}`;
  }
  const path = error.path ? `${error.path}: ` : '';
  return `${where ? `${where}: ` : ''}${path}${error.message}`;
}
