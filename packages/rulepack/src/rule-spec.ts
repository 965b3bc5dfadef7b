import type { AttrValue, RuleSeverity, SpanKind, SpanStatus } from '@betrace/engine';
import type { Position } from './problem.ts';

/** Where a rule's condition text starts in the file; `exact` when offsets map 1:1 onto the file. */
export interface ConditionPosition extends Position {
  /** Columns added to every line after the first (a block scalar's indentation). */
  indent: number;
  exact: boolean;
}

/** One rule as written in a rule file, before its condition is analysed. */
export interface RuleSpec {
  id: string;
  name: string;
  description: string;
  severity: RuleSeverity;
  tags: string[];
  enabled: boolean;
  condition: string;
  conditionAt: ConditionPosition;
  examples: ExampleSpec[];
  /** Position of the rule's `id` (or of the rule when it has none). */
  position: Position;
}

export type ExampleExpectation = 'violation' | 'pass';

/** A hand-written example trace and the verdict the rule must reach on it. */
export interface ExampleSpec {
  name: string;
  expect: ExampleExpectation;
  /** Exact number of violations expected, when given. */
  violations?: number;
  trace: TraceEntrySpec[];
  position: Position;
}

/** One span of an example trace; times are nanosecond offsets from the trace start. */
export interface TraceEntrySpec {
  span: string;
  /** Index of the parent entry in the same example, resolved from `parent`. */
  parentIndex?: number;
  service?: string;
  kind: SpanKind;
  status: SpanStatus;
  statusMessage: string;
  start?: bigint;
  duration?: bigint;
  attributes: Map<string, AttrValue>;
  resource: Map<string, AttrValue>;
}
