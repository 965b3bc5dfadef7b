import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Span, Trace } from '@betrace/engine';
import { decodeJsonTraces, formatDecodeError, groupByTrace, NO_INGEST_LIMITS } from '@betrace/otlp';

/** Traces from OTLP/JSON files (spans of one trace may span several files) and the problems found. */
export interface LoadedTraces {
  traces: Trace[];
  spanCount: number;
  errors: string[];
}

/**
 * Reads each file as OTLP/JSON (one document, or JSONL as the Collector file exporter writes); a
 * directory stands for every `*.json` / `*.jsonl` below it, sorted.
 */
export async function loadTraces(paths: readonly string[]): Promise<LoadedTraces> {
  const spans: Span[] = [];
  const errors: string[] = [];
  for (const file of await expandTracePaths(paths)) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      const code = e instanceof Error && 'code' in e ? e.code : undefined;
      errors.push(`${file}: cannot read the trace file: ${code === 'ENOENT' ? 'no such file' : String(e)}`);
      continue;
    }
    // a file the user points at is trusted input: no per-request ingest limits
    const result = decodeJsonTraces(text, NO_INGEST_LIMITS);
    spans.push(...result.spans);
    errors.push(...result.errors.map((e) => formatDecodeError(e, file)));
  }
  return { traces: groupByTrace(spans), spanCount: spans.length, errors };
}

async function expandTracePaths(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) {
      out.push(path); // unreadable paths are reported when read
      continue;
    }
    const entries = await readdir(path, { recursive: true });
    const files = entries.filter((name) => /\.jsonl?$/i.test(name)).sort();
    out.push(...files.map((name) => join(path, name)));
  }
  return out;
}
