// Ten realistic rules, mixing where filters, counts, a relation, a label and trace fields.
import { analyzeRule, ruleReads } from '@betrace/dsl';
import { FieldFilter } from '@betrace/otlp';
import { type CompiledRule, compileRule } from '@betrace/engine';

export const BENCH_RULES: ReadonlyArray<{ id: string; text: string }> = [
  { id: 'pii-needs-auth', text: 'when { database.query.where(data.contains_pii == true) } always { auth.check }' },
  { id: 'fraud-before-charge', text: 'when { p: payment.charge.where(amount > 1000) } always { fraud.check.where(order_id == p.order_id) before p }' },
  { id: 'retries-bounded', text: 'never { count(http.retry) > 3 }' },
  { id: 'no-admin-errors', text: 'never { "GET /admin/users".where(span.status == error) }' },
  { id: 'debit-audited', text: 'when { ledger.debit } always { audit.log }' },
  { id: 'debit-has-credit', text: 'when { ledger.debit.where(amount > 0) } always { ledger.credit }' },
  { id: 'currency-known', text: 'never { payment.charge.where(currency != null and not currency in [USD, EUR, GBP]) }' },
  { id: 'slow-db-under-server', text: 'never { "POST /transfers".where(span.kind == server) ancestor of database.query.where(span.duration > 2s) }' },
  { id: 'server-errors-explained', text: 'never { *.where(span.status == error and span.status_message == null) }' },
  { id: 'trace-slo', text: 'when { trace.root_name == "POST /transfers" } never { trace.duration > 30s or count(database.query) > 200 }' },
];

/** Parses, checks and compiles rule texts; throws on a broken benchmark rule (a bug in the bench). */
export function compileBenchRules(rules: ReadonlyArray<{ id: string; text: string }> = BENCH_RULES): CompiledRule[] {
  return rules.map(({ id, text }) => {
    const r = analyzeRule(text);
    if (!r.ok) throw new Error(`bench rule ${id} does not check: ${r.diagnostics.map((d) => d.message).join('; ')}`);
    return compileRule({ id, name: id, severity: 'high', text, rule: r.rule });
  });
}

/** The decoder filter for these rules: the span attribute keys they read. */
export function benchFieldFilter(rules: ReadonlyArray<{ id: string; text: string }> = BENCH_RULES): FieldFilter {
  return new FieldFilter(rules.flatMap(({ text }) => {
    const r = analyzeRule(text);
    return r.ok ? ruleReads(r.rule).attributes : [];
  }));
}
