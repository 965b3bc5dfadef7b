import type { Span } from '../span.ts';
import type { TraceIndex } from '../trace-index.ts';

/** The state one evaluation of a compiled rule threads through its closures. */
export interface EvalContext {
  readonly index: TraceIndex;
  /** The span bound to the rule's label, while judging a labelled rule. */
  bound: Span | undefined;
  /** Per-evaluation results of label-independent parts, by slot; `undefined` is "not yet". */
  readonly memo: unknown[];
}

/** Hands out memo slots while a rule is compiled. */
export interface SlotAllocator {
  next: number;
}

/** Reserves one memo slot. */
export function allocateSlot(slots: SlotAllocator): number {
  return slots.next++;
}
