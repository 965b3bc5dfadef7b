import React, { useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { Alert, Badge, Button, Field, Input, RadioButtonGroup, Select, Stack, TextArea, useStyles2 } from '@grafana/ui';
import { useApi } from '../api/api-context';
import type { RuleTestResult } from '../api/types';
import { useAsync } from '../hooks/use-async';
import { formatNs } from '../utils/format';
import { ErrorState } from './States';
import { testIds } from './testIds';

type Mode = 'paste' | 'recent';

/** Runs the condition being edited against a pasted OTLP/JSON trace or a recent trace id (nothing is saved). */
export function RuleTestPanel({ condition }: { condition: string }) {
  const s = useStyles2(getStyles);
  const api = useApi();
  const [mode, setMode] = useState<Mode>('recent');
  const [pasted, setPasted] = useState('');
  const [traceId, setTraceId] = useState('');
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<RuleTestResult | undefined>();
  const [error, setError] = useState<Error | undefined>();
  const recent = useAsync(() => (mode === 'recent' ? api.listTraces(50) : Promise.resolve([])), [api, mode]);

  const run = async () => {
    setRunning(true);
    setError(undefined);
    setResult(undefined);
    try {
      let input;
      if (mode === 'paste') {
        let trace: unknown;
        try {
          trace = JSON.parse(pasted);
        } catch (err) {
          throw new Error(`The pasted trace is not JSON (${err instanceof Error ? err.message : String(err)}). Paste an OTLP/JSON ExportTraceServiceRequest, e.g. examples/traces/checkout.json.`);
        }
        input = { condition, trace };
      } else {
        input = { condition, traceId: traceId.trim() };
      }
      setResult(await api.testRule(input));
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setRunning(false);
    }
  };

  const canRun = condition.trim() !== '' && (mode === 'paste' ? pasted.trim() !== '' : /^[0-9a-fA-F]{32}$/.test(traceId.trim()));
  return (
    <div className={s.panel}>
      <h4>Test</h4>
      <div data-testid={testIds.editor.testMode}>
        <RadioButtonGroup<Mode>
          options={[
            { value: 'recent', label: 'Recent trace' },
            { value: 'paste', label: 'Paste OTLP/JSON' },
          ]}
          value={mode}
          onChange={setMode}
        />
      </div>
      {mode === 'paste' ? (
        <Field label="Trace (OTLP/JSON ExportTraceServiceRequest)" className={s.field}>
          <TextArea rows={8} value={pasted} onChange={(e) => setPasted(e.currentTarget.value)} placeholder='{"resourceSpans": [...]}' data-testid={testIds.editor.testTrace} className={s.mono} />
        </Field>
      ) : (
        <Field label="Trace id" description="A trace BeTrace completed recently (pick one or type its id)" className={s.field}>
          <Stack gap={1} wrap="wrap">
            <Select
              aria-label="Recent traces"
              width={40}
              placeholder={recent.value?.length === 0 ? 'No recent traces yet' : 'Recent traces'}
              isLoading={recent.status === 'loading'}
              options={(recent.value ?? []).map((t) => ({
                value: t.traceId,
                label: `${t.rootService ?? '?'} · ${t.rootName ?? '?'}`,
                description: `${t.traceId} · ${t.spanCount} spans · ${formatNs(t.durationNs)}`,
              }))}
              value={traceId || null}
              onChange={(v) => setTraceId(v?.value ?? '')}
            />
            <Input width={40} value={traceId} placeholder="32 hex characters" onChange={(e) => setTraceId(e.currentTarget.value)} data-testid={testIds.editor.testTraceId} />
          </Stack>
        </Field>
      )}
      <Button icon={running ? 'spinner' : 'play'} onClick={run} disabled={!canRun || running} data-testid={testIds.editor.testRun}>
        Run test
      </Button>
      {error && (
        <div data-testid={testIds.editor.testError} className={s.result}>
          <ErrorState error={error} title="The test did not run" />
        </div>
      )}
      {result && (
        <div className={s.result} data-testid={testIds.editor.testVerdict} data-verdict={result.verdict}>
          {result.verdict === 'pass' ? (
            <Alert severity="success" title={`Pass: no violation in ${result.traces} trace(s), ${result.spans} spans`} />
          ) : (
            <Alert severity="warning" title={`Violation: ${result.violations.length} found in ${result.traces} trace(s), ${result.spans} spans`}>
              {result.violations.map((v, i) => (
                <div key={i} className={s.violation}>
                  <div>{v.reason}</div>
                  {[...v.trigger.map((w) => ({ w, role: 'trigger' })), ...v.offending.map((w) => ({ w, role: 'offending' }))].map(({ w, role }) => (
                    <div key={`${role}-${w.spanId}`} data-testid={`${testIds.editor.testWitness}-${w.spanId}`}>
                      <Badge color={role === 'trigger' ? 'blue' : 'orange'} text={role} /> {w.service} · {w.name} <code>{w.spanId}</code>
                    </div>
                  ))}
                </div>
              ))}
            </Alert>
          )}
          {result.decodeErrors.length > 0 && (
            <Alert severity="info" title="Some spans could not be decoded and were left out">
              {result.decodeErrors.map((e, i) => (
                <div key={i}>{e}</div>
              ))}
            </Alert>
          )}
        </div>
      )}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    padding: theme.spacing(2),
    background: theme.colors.background.primary,
    border: `1px solid ${theme.colors.border.weak}`,
    borderRadius: theme.shape.radius.default,
  }),
  field: css({ marginTop: theme.spacing(1) }),
  mono: css({ fontFamily: theme.typography.fontFamilyMonospace, fontSize: theme.typography.bodySmall.fontSize }),
  result: css({ marginTop: theme.spacing(2) }),
  violation: css({ marginBottom: theme.spacing(1) }),
});
