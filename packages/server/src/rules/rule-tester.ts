import { analyzeRule } from '@betrace/dsl';
import { type Trace, compileRule, evaluateTrace, indexTrace } from '@betrace/engine';
import { decodeJsonTraces, formatDecodeError } from '@betrace/otlp';
import type { RuleStore } from '@betrace/store';
import { type ApiFailure, failure } from '../api/errors.ts';
import { conditionFailure } from './rule-service.ts';

/** What to test: a condition or a stored rule, against pasted OTLP/JSON or a recently completed trace. */
export interface RuleTestInput {
  condition?: string;
  ruleId?: string;
  /** An OTLP/JSON `ExportTraceServiceRequest`. */
  trace?: unknown;
  traceId?: string;
}

export interface WitnessView {
  spanId: string;
  name: string;
  service: string;
}

export interface TestViolation {
  traceId: string;
  boundSpanId?: string;
  reason: string;
  trigger: WitnessView[];
  offending: WitnessView[];
}

export interface RuleTestResult {
  verdict: 'violation' | 'pass';
  traces: number;
  spans: number;
  violations: TestViolation[];
  /** Spans of the pasted trace that could not be decoded (the rest were evaluated). */
  decodeErrors: string[];
}

/** Runs one rule on one or more traces without storing anything. */
export async function testRule(
  deps: { rules: RuleStore; recent: { get(traceId: string): Promise<Trace | undefined> } }, input: RuleTestInput,
): Promise<{ ok: true; value: RuleTestResult } | { ok: false; failure: ApiFailure }> {
  let text = input.condition;
  let name = 'condition under test';
  let id = 'test';
  if (input.ruleId !== undefined) {
    const stored = await deps.rules.get(input.ruleId);
    if (stored === undefined) return { ok: false, failure: failure('not_found', `rule "${input.ruleId}" does not exist`) };
    text = stored.condition;
    name = stored.name;
    id = stored.id;
  }
  if (text === undefined) return { ok: false, failure: failure('invalid_request', 'give either "condition" or "ruleId"') };
  const bad = conditionFailure(text);
  if (bad) return { ok: false, failure: bad };
  const analyzed = analyzeRule(text);
  if (!analyzed.ok) return { ok: false, failure: failure('internal', 'condition checked but did not analyze') };
  const compiled = compileRule({ id, name, severity: 'info', text, rule: analyzed.rule });

  let traces: Trace[];
  const decodeErrors: string[] = [];
  if (input.traceId !== undefined) {
    const kept = await deps.recent.get(input.traceId);
    if (kept === undefined) return { ok: false, failure: traceGone(input.traceId) };
    traces = [kept];
  } else if (input.trace !== undefined) {
    const decoded = decodeJsonTraces(input.trace);
    decodeErrors.push(...decoded.errors.slice(0, 20).map((e) => formatDecodeError(e)));
    if (decoded.spans.length === 0) {
      const why = decodeErrors[0] ?? 'it holds no spans';
      return { ok: false, failure: failure('invalid_request', `"trace" is not a usable OTLP/JSON ExportTraceServiceRequest: ${why}`, { decodeErrors }) };
    }
    traces = decoded.traces;
  } else {
    return { ok: false, failure: failure('invalid_request', 'give either "trace" (OTLP/JSON) or "traceId" (a recently completed trace)') };
  }

  const violations: TestViolation[] = [];
  let spans = 0;
  for (const trace of traces) {
    const index = indexTrace(trace);
    spans += index.spans.length;
    const evaluation = evaluateTrace([compiled], index);
    const failed = evaluation.failures[0];
    if (failed) return { ok: false, failure: failure('internal', `the rule failed on trace ${failed.traceId}: ${failed.message}`) };
    const witness = (ids: readonly string[]): WitnessView[] => ids.flatMap((sid) => {
      const s = index.byId.get(sid);
      return s ? [{ spanId: s.spanId, name: s.name, service: s.service }] : [];
    });
    for (const v of evaluation.violations) {
      const out: TestViolation = { traceId: v.traceId, reason: v.reason, trigger: witness(v.trigger), offending: witness(v.offending) };
      if (v.boundSpanId !== undefined) out.boundSpanId = v.boundSpanId;
      violations.push(out);
    }
  }
  return { ok: true, value: { verdict: violations.length > 0 ? 'violation' : 'pass', traces: traces.length, spans, violations, decodeErrors } };
}

/** 404 for a trace the server no longer keeps, saying why and what to do. */
export function traceGone(traceId: string): ApiFailure {
  return failure('not_found', `trace ${traceId} is not among the recently completed traces (they are kept for a bounded time and count, see assembly.recentTraces / recentTraceAge); look it up in Tempo, or paste it as OTLP/JSON`);
}
