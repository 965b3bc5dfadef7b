import type { KeyObject } from 'node:crypto';
import type { OutgoingSpan, Shard } from '@betrace/otlp';
import type { StoredRule, ViolationRecord } from '@betrace/store';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Config } from '../../config/schema.ts';
import type { Protocol } from '../../receivers/ingest-request.ts';
import type { RecentTrace, ShardResult, ShardStatus } from '../trace-shard.ts';

/** What a worker thread starts with (`workerData`). */
export interface WorkerInit {
  config: Config;
  shard: Shard;
  rules: StoredRule[];
  keys: { key: KeyObject; previous: readonly KeyObject[] };
  exportSpans: boolean;
}

/** Questions the main thread asks a worker, and the type of each answer. */
export interface Questions {
  ingest: { ask: { protocol: Protocol; body: Uint8Array; admit: boolean }; answer: ShardResult };
  status: { ask: Record<string, never>; answer: ShardStatus };
  recent: { ask: { limit: number }; answer: RecentTrace[] };
  trace: { ask: { traceId: string }; answer: RecentTrace['trace'] | undefined };
  metrics: { ask: Record<string, never>; answer: Array<MetricObjectWithValues<MetricValue<string>>> };
  /** Evaluate everything buffered (shutdown); the records arrive before the answer. */
  drain: { ask: Record<string, never>; answer: null };
}

export type Question = keyof Questions;

export type ToWorker =
  | { t: 'rules'; rules: StoredRule[] }
  | { [Q in Question]: { t: 'ask'; id: number; q: Q; ask: Questions[Q]['ask'] } }[Question];

export type FromWorker =
  | { t: 'answer'; id: number; answer: unknown }
  | { t: 'failed'; id: number; message: string }
  | { t: 'records'; added: Array<{ record: ViolationRecord; span: OutgoingSpan | undefined }>; resolved: Array<{ id: string; ruleId: string; at: number }> };
