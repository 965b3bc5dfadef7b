import type { ViolationRecord } from '@betrace/store';

/** Fan-out of newly recorded violations to live listeners (the console's live table). */
export class ViolationEvents {
  private readonly listeners = new Set<(v: ViolationRecord) => void>();

  on(listener: (v: ViolationRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** How many listeners are subscribed (a live stream holds one until its client leaves). */
  get size(): number {
    return this.listeners.size;
  }

  emit(v: ViolationRecord): void {
    for (const l of this.listeners) l(v);
  }
}
