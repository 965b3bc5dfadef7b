import { COMPLETION_CAUSES, type TraceAssembler } from '@betrace/engine';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every Prometheus metric BeTrace exposes on /metrics, in one registry. */
export class Metrics {
  readonly registry = new Registry();

  readonly violations = new Counter({
    name: 'betrace_violations_total', help: 'Violations recorded (first detection), by rule and severity.',
    labelNames: ['rule_id', 'severity'] as const, registers: [this.registry],
  });
  readonly violationsResolved = new Counter({
    name: 'betrace_violations_resolved_total', help: 'Violations resolved by late spans, by rule.',
    labelNames: ['rule_id'] as const, registers: [this.registry],
  });
  readonly spansReceived = new Counter({
    name: 'betrace_spans_received_total', help: 'Spans received over OTLP, by protocol (grpc, http_protobuf, http_json).',
    labelNames: ['protocol'] as const, registers: [this.registry],
  });
  readonly spansRejected = new Counter({
    name: 'betrace_spans_rejected_total', help: 'Spans rejected at ingestion, by reason.',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly requests = new Counter({
    name: 'betrace_otlp_requests_total', help: 'OTLP export requests, by protocol and outcome (ok, partial, invalid, throttled, too_large, unsupported, unavailable).',
    labelNames: ['protocol', 'outcome'] as const, registers: [this.registry],
  });
  readonly attributesDropped = new Counter({
    name: 'betrace_attributes_dropped_total', help: 'Span and resource attributes dropped at ingestion over limits.maxAttributesPerSpan.',
    registers: [this.registry],
  });
  readonly attributeValuesTruncated = new Counter({
    name: 'betrace_attribute_values_truncated_total', help: 'Attribute values cut to limits.maxAttributeValueLength at ingestion.',
    registers: [this.registry],
  });
  readonly ruleEvaluation = new Histogram({
    name: 'betrace_rule_evaluation_seconds', help: 'Time to evaluate one rule on one trace.',
    labelNames: ['rule_id'] as const, registers: [this.registry],
    buckets: [1e-6, 5e-6, 2e-5, 1e-4, 5e-4, 2e-3, 1e-2, 5e-2],
  });
  readonly verdictLatency = new Histogram({
    name: 'betrace_verdict_latency_seconds', help: 'Time from the arrival of a trace\'s last span to its verdict, by completion cause.',
    labelNames: ['cause'] as const, registers: [this.registry],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 2.025, 2.05, 2.1, 2.25, 2.5, 3, 5, 10, 11, 15, 30, 60, 120],
  });
  readonly earlyVerdicts = new Counter({
    name: 'betrace_early_verdicts_total', help: 'Violations recorded before their trace completed, because one span proved them (never-rules on single spans), by rule.',
    labelNames: ['rule_id'] as const, registers: [this.registry],
  });
  readonly spansEvaluated = new Counter({
    name: 'betrace_spans_evaluated_total', help: 'Spans in traces handed to rule evaluation (re-evaluations count again); equals accepted spans once buffers are empty.',
    registers: [this.registry],
  });
  readonly ruleErrors = new Counter({
    name: 'betrace_rule_errors_total', help: 'Rule evaluations that failed with an internal error, by rule.',
    labelNames: ['rule_id'] as const, registers: [this.registry],
  });
  readonly exported = new Counter({
    name: 'betrace_exported_violation_spans_total', help: 'Violation spans delivered to the OTLP export endpoint.', registers: [this.registry],
  });
  readonly exportFailures = new Counter({
    name: 'betrace_export_failures_total', help: 'Failed export attempts of violation spans, by reason (http_status, network, timeout, queue_full, gave_up).',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly exportDropped = new Counter({
    name: 'betrace_export_dropped_violation_spans_total', help: 'Violation spans never exported (they stay in the store), by reason (queue_full, gave_up, rejected, shutdown).',
    labelNames: ['reason'] as const, registers: [this.registry],
  });
  readonly exportQueue = new Gauge({
    name: 'betrace_export_queue', help: 'Violation spans waiting to be exported.', registers: [this.registry],
  });
  readonly violationStreams = new Gauge({
    name: 'betrace_violation_streams', help: 'Open live violation streams (GET /api/v1/violations/stream).', registers: [this.registry],
  });
  readonly violationStreamOverflows = new Counter({
    name: 'betrace_violation_stream_overflows_total', help: 'Live violation stream clients disconnected with event: overflow for reading too slowly.', registers: [this.registry],
  });
  readonly storeErrors = new Counter({
    name: 'betrace_store_errors_total', help: 'Store operations that failed, by operation; the data is kept and retried.',
    labelNames: ['operation'] as const, registers: [this.registry],
  });
  readonly pendingViolations = new Gauge({
    name: 'betrace_pending_violations', help: 'Violations waiting to be written to the store.', registers: [this.registry],
  });
  readonly activeRules = new Gauge({
    name: 'betrace_active_rules', help: 'Enabled rules being evaluated.', registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'betrace_' });
  }

  /** Exposes the assembler's own counters and sizes, read at scrape time. */
  observeAssembler(assembler: TraceAssembler): void {
    const c = assembler.counters;
    const monotonic = (name: string, help: string, read: () => number): void => {
      new Counter({
        name, help, registers: [this.registry],
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    };
    monotonic('betrace_spans_accepted_total', 'Spans accepted into trace assembly (duplicates excluded).', () => c.spansAccepted);
    monotonic('betrace_duplicate_spans_total', 'Spans ignored because their span id was already seen in the trace.', () => c.duplicateSpans);
    monotonic('betrace_late_spans_total', 'Spans that arrived after their trace was evaluated and re-opened it.', () => c.lateSpans);
    monotonic('betrace_late_spans_after_eviction_total', 'Late spans whose trace was no longer kept (recent-trace bounds reached): judged as a fragment of the trace.', () => c.lateSpansAfterEviction);
    monotonic('betrace_recent_traces_forgotten_total', 'Completed traces dropped from the recent-trace store by its count or byte bound before their late window ended.', () => assembler.recent.forgottenEarly);
    monotonic('betrace_spans_over_trace_limit_total', 'Spans dropped because their trace reached the span limit.', () => c.spansOverTraceLimit);
    monotonic('betrace_trace_reevaluations_total', 'Traces evaluated again because late spans arrived.', () => c.reevaluations);
    new Counter({
      name: 'betrace_traces_completed_total', help: 'Traces handed to evaluation, by completion cause.',
      labelNames: ['cause'] as const, registers: [this.registry],
      collect() {
        this.reset();
        for (const cause of COMPLETION_CAUSES) this.inc({ cause }, c.completed[cause]);
      },
    });
    const gauge = (name: string, help: string, read: () => number): void => {
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(read()); } });
    };
    gauge('betrace_buffered_traces', 'Traces being assembled.', () => assembler.size.traces);
    gauge('betrace_buffered_spans', 'Spans being assembled.', () => assembler.size.spans);
    gauge('betrace_buffered_bytes', 'Estimated bytes of spans being assembled.', () => assembler.size.bytes);
    gauge('betrace_recent_traces', 'Completed traces kept for late spans and the trace view.', () => assembler.recent.size.traces);
  }
}
