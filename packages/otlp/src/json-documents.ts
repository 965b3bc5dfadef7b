import type { DecodeError } from './decode-error.ts';

/** One parsed JSON document; `line` is set for documents read from JSONL. */
export interface JsonDocument {
  value: unknown;
  line?: number;
}

/**
 * Splits OTLP/JSON text into documents: either one JSON document (possibly pretty-printed) or the
 * OTel Collector `file` exporter format, one document per line (JSONL). A line that is not valid
 * JSON is reported with its line number; the other lines still load.
 */
export function parseJsonDocuments(text: string): { documents: JsonDocument[]; errors: DecodeError[] } {
  const whole = tryParse(text);
  if (whole.ok) return { documents: [{ value: whole.value }], errors: [] };
  if (!looksLikeJsonl(text)) {
    const pos = errorPosition(whole.message, text);
    return { documents: [], errors: [{ ...pos, path: '', message: `invalid JSON: ${whole.message}` }] };
  }
  const documents: JsonDocument[] = [];
  const errors: DecodeError[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const parsed = tryParse(line);
    if (parsed.ok) documents.push({ value: parsed.value, line: i + 1 });
    else errors.push({ line: i + 1, path: '', message: `invalid JSON: ${parsed.message}` });
  });
  return { documents, errors };
}

/**
 * JSONL when some line is a whole request on its own. Looking past the first line lets a file whose
 * first line is broken still load its other lines; requiring `resourceSpans` keeps a broken
 * pretty-printed document (whose lines may hold `{}` or `1`) from being read line by line.
 */
function looksLikeJsonl(text: string): boolean {
  return text.split('\n').some((line) => {
    if (!line.includes('resourceSpans')) return false;
    const parsed = tryParse(line);
    return parsed.ok && typeof parsed.value === 'object' && parsed.value !== null && 'resourceSpans' in parsed.value;
  });
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    // V8 quotes the input in its message; keep the message on one line.
    const message = e instanceof Error ? e.message : String(e);
    return { ok: false, message: message.replace(/\r/g, '\\r').replace(/\n/g, '\\n') };
  }
}

/** V8 reports `... at position N (line L column C)`; turn that into a location when present. */
function errorPosition(message: string, text: string): { line?: number; column?: number } {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(message);
  if (!pos) return {};
  const offset = Number(pos[1]);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}
