/**
 * The BeTraceDSL syntax tree. Every node carries its source range as UTF-16 offsets into the rule
 * text (JavaScript string indices); diagnostics convert them to UTF-8 byte offsets at the boundary.
 * The tree is what the printer prints and what both evaluators (compiled and reference) read.
 */

/** A half-open source range `[start, end)` in string offsets. */
export interface Range {
  start: number;
  end: number;
}

/** A whole rule: at least one of `always` / `never`, each block at most once, in any source order. */
export interface Rule {
  kind: 'rule';
  when?: Block;
  always?: Block;
  never?: Block;
  range: Range;
}

export type BlockKeyword = 'when' | 'always' | 'never';

export interface Block {
  kind: 'block';
  keyword: BlockKeyword;
  condition: Condition;
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Conditions: statements about the whole trace.

export type Condition = OrCondition | AndCondition | NotCondition | Atom;

export type Atom = ExistsAtom | AggregateAtom | TraceAtom | RelationAtom;

export interface OrCondition {
  kind: 'or';
  left: Condition;
  right: Condition;
  range: Range;
}

export interface AndCondition {
  kind: 'and';
  left: Condition;
  right: Condition;
  range: Range;
}

export interface NotCondition {
  kind: 'not';
  operand: Condition;
  range: Range;
}

/** Some span of the trace matches the pattern. */
export interface ExistsAtom {
  kind: 'exists';
  pattern: Pattern;
  range: Range;
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type MatchOp = 'matches' | 'contains';
export type BinaryOp = CompareOp | MatchOp;

/** `count(P) > 3`, `max(P, span.duration) >= 2s`, `count(a) > count(b)`. */
export interface AggregateAtom {
  kind: 'aggregate';
  left: Aggregate;
  op: CompareOp;
  right: Aggregate | NumberLiteral | DurationLiteral;
  range: Range;
}

export type AggregateFn = 'count' | 'sum' | 'avg' | 'min' | 'max';

export interface Aggregate {
  kind: 'aggregate_fn';
  fn: AggregateFn;
  pattern: Pattern;
  /** Absent for `count`, required for the others. */
  field?: Field;
  range: Range;
}

export type TraceField =
  | 'duration'
  | 'span_count'
  | 'service_count'
  | 'error_count'
  | 'root_name'
  | 'root_service';

/** `trace.duration > 5s`, `trace.root_name in ["GET /", "POST /"]`. */
export interface TraceAtom {
  kind: 'trace';
  field: TraceField;
  fieldRange: Range;
  test: ValueTest;
  range: Range;
}

export type Relation =
  | 'before'
  | 'after'
  | 'parent_of'
  | 'child_of'
  | 'ancestor_of'
  | 'descendant_of';

/** `A before B within 5s`, `A ancestor of B`: true when some pair (a, b), a ≠ b, satisfies it. */
export interface RelationAtom {
  kind: 'relation';
  left: Pattern;
  relation: Relation;
  right: Pattern;
  within?: DurationLiteral;
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Patterns: which spans.

export interface Pattern {
  kind: 'pattern';
  /** `p: payment.charge` binds the label `p` (only in `when`, at most one per rule). */
  label?: Identifier;
  selector: Selector;
  /** Every `.where(…)` applies to the same span (logical and). */
  wheres: Predicate[];
  range: Range;
}

export type Selector = NameSelector | AnySelector | LabelSelector;

/** Spans whose name is exactly `name` (case-sensitive). */
export interface NameSelector {
  kind: 'name';
  name: string;
  range: Range;
}

/** `*`: any span. */
export interface AnySelector {
  kind: 'any';
  range: Range;
}

/** A use of the rule's label as a pattern: matches exactly the bound span. */
export interface LabelSelector {
  kind: 'label_ref';
  label: string;
  range: Range;
}

export interface Identifier {
  name: string;
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Predicates: statements about one span.

export type Predicate = PredOr | PredAnd | PredNot | PredTest | PredTruthy;

export interface PredOr {
  kind: 'por';
  left: Predicate;
  right: Predicate;
  range: Range;
}

export interface PredAnd {
  kind: 'pand';
  left: Predicate;
  right: Predicate;
  range: Range;
}

export interface PredNot {
  kind: 'pnot';
  operand: Predicate;
  range: Range;
}

/** `field op value` or `field in [..]`. */
export interface PredTest {
  kind: 'test';
  field: Field;
  test: ValueTest;
  /**
   * Set when the predicate came from the compatibility form `name.attr op value`; the printer
   * writes the `.where()` form instead. Not part of the tree's meaning (ignored by tree equality).
   */
  compat?: true;
  range: Range;
}

/** A bare field: `.where(verified)` means `verified == true`. */
export interface PredTruthy {
  kind: 'truthy';
  field: Field;
  range: Range;
}

/** What a field (or trace field) is tested against. */
export type ValueTest = OpTest | InTest;

export interface OpTest {
  kind: 'op';
  op: BinaryOp;
  value: Value;
  range: Range;
}

export interface InTest {
  kind: 'in';
  values: Literal[];
  range: Range;
}

// ---------------------------------------------------------------------------------------------
// Fields and values.

export type Field = AttributeField | IntrinsicField | LabelField;

/**
 * `scope: 'any'` is a bare key: the span attribute, or else the resource attribute of the same key.
 * `scope: 'resource'` is `resource.<key>`.
 */
export interface AttributeField {
  kind: 'attr';
  scope: 'any' | 'resource';
  key: string;
  range: Range;
}

export type Intrinsic =
  | 'name'
  | 'duration'
  | 'kind'
  | 'status'
  | 'status_message'
  | 'service'
  | 'id'
  | 'parent_id'
  | 'start'
  | 'end';

/** `span.<intrinsic>`. */
export interface IntrinsicField {
  kind: 'intrinsic';
  name: Intrinsic;
  range: Range;
}

/** `p.<key>` / `p.span.<intrinsic>` / `p.resource.<key>`: a field of the span bound to label `p`. */
export interface LabelField {
  kind: 'label_field';
  label: string;
  field: AttributeField | IntrinsicField;
  range: Range;
}

export type Literal =
  | StringLiteral
  | NumberLiteral
  | DurationLiteral
  | BoolLiteral
  | NullLiteral;

export type Value = Literal | LabelField;

/** Quoted, raw (backtick) or bare-word string; the tree keeps only the value. */
export interface StringLiteral {
  kind: 'string';
  value: string;
  range: Range;
}

export interface NumberLiteral {
  kind: 'number';
  value: number;
  /** The source text, so the printer writes back exactly what was written (`1e3`, `0.50`). */
  text: string;
  range: Range;
}

export type DurationUnit = 'ns' | 'us' | 'µs' | 'ms' | 's' | 'm' | 'h';

export interface DurationLiteral {
  kind: 'duration';
  /** Nanoseconds. */
  nanos: number;
  /** The source text, e.g. `1.5s`. */
  text: string;
  range: Range;
}

export interface BoolLiteral {
  kind: 'bool';
  value: boolean;
  range: Range;
}

export interface NullLiteral {
  kind: 'null';
  range: Range;
}
