import type { Field, Intrinsic, Rule, TraceField } from './ast.ts';
import { walkRule } from './walk.ts';

/** What a rule reads from a trace: ingestion can skip the rest, violations keep what was read. */
export interface RuleReads {
  /** Span names the rule's patterns select. */
  spanNames: string[];
  /** True when some pattern is `*`: every span name may matter. */
  anySpan: boolean;
  /** Attribute keys read by bare keys (span attribute, falling back to the resource attribute). */
  attributes: string[];
  /** Keys read only from the resource (`resource.<key>`). */
  resourceAttributes: string[];
  intrinsics: Intrinsic[];
  traceFields: TraceField[];
}

/** Collects the span names, attribute keys and fields a rule reads, each once, sorted. */
export function ruleReads(rule: Rule): RuleReads {
  const names = new Set<string>();
  const attrs = new Set<string>();
  const resource = new Set<string>();
  const intrinsics = new Set<Intrinsic>();
  const traceFields = new Set<TraceField>();
  let anySpan = false;
  const addField = (f: Field): void => {
    const inner = f.kind === 'label_field' ? f.field : f;
    if (inner.kind === 'intrinsic') intrinsics.add(inner.name);
    else if (inner.scope === 'resource') resource.add(inner.key);
    else attrs.add(inner.key);
  };
  walkRule(rule, {
    pattern(p) {
      if (p.selector.kind === 'name') names.add(p.selector.name);
      if (p.selector.kind === 'any') anySpan = true;
    },
    condition(c) {
      if (c.kind === 'trace') traceFields.add(c.field);
    },
    field(f) {
      addField(f);
    },
  });
  return {
    spanNames: [...names].sort(),
    anySpan,
    attributes: [...attrs].sort(),
    resourceAttributes: [...resource].sort(),
    intrinsics: [...intrinsics].sort(),
    traceFields: [...traceFields].sort(),
  };
}
