import React from 'react';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../api/client';
import { testIds } from '../components/testIds';
import { fakeApi, rule, stats, status, violation } from '../testing/fake-api';
import { renderPage } from '../testing/render-page';
import { OverviewPage } from './OverviewPage';
import { RulesPage } from './RulesPage';
import { TracePage } from './TracePage';
import { ViolationsPage } from './ViolationsPage';

describe('Overview', () => {
  test('no spans received yet: says how to point an OpenTelemetry exporter at BeTrace', async () => {
    renderPage(<OverviewPage />, fakeApi({ status: async () => status({ spansAccepted: 0 }), violationStats: async () => stats() }));
    const box = await screen.findByTestId(testIds.states.noSpans);
    expect(box).toHaveTextContent('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(screen.getByTestId(testIds.overview.statActiveRules)).toHaveTextContent('2');
  });

  test('with traffic: stat cards and top rules, no onboarding', async () => {
    const api = fakeApi({
      status: async () => status({ spansAccepted: 10, tracesEvaluated: 4 }),
      violationStats: async () => stats({ total: 5, bySeverity: { critical: 5, high: 0, medium: 0, low: 0, info: 0 }, byRule: [{ ruleId: 'r1', ruleName: 'Rule one', count: 5 }] }),
    });
    renderPage(<OverviewPage />, api);
    expect(await screen.findByTestId(testIds.overview.statTotal)).toHaveTextContent('5');
    expect(screen.getByTestId(`${testIds.overview.topRuleRow}-r1`)).toHaveTextContent('Rule one');
    expect(screen.queryByTestId(testIds.states.noSpans)).not.toBeInTheDocument();
  });

  test('BeTrace unreachable: the error says what to check, and Retry loads again', async () => {
    let calls = 0;
    const api = fakeApi({
      status: async () => {
        calls++;
        throw new ApiError(0, 'network', 'cannot reach BeTrace: Failed to fetch');
      },
      violationStats: async () => stats(),
    });
    renderPage(<OverviewPage />, api, { host: 'grafana' });
    const error = await screen.findByTestId(testIds.states.error);
    expect(error).toHaveTextContent('Check the BeTrace URL on the app’s Configuration page');
    fireEvent.click(screen.getByTestId(testIds.states.retry));
    await waitFor(() => expect(calls).toBe(2));
  });
});

describe('Violations', () => {
  test('empty: explains that nothing was violated in the range', async () => {
    renderPage(<ViolationsPage />, fakeApi({ listRules: async () => [], listViolations: async () => ({ items: [], nextCursor: null }) }));
    expect(await screen.findByTestId(testIds.states.empty)).toHaveTextContent('No rule was violated');
    await waitFor(() => expect(screen.getByTestId(testIds.violations.liveStatus)).toHaveAttribute('data-state', 'unavailable'));
  });

  test('filters from the URL reach the API, and a row opens the drawer with the reason', async () => {
    const seen: unknown[] = [];
    const v = violation();
    renderPage(<ViolationsPage />, fakeApi({
      listRules: async () => [rule({ id: 'large-payment-fraud-checked' })],
      listViolations: async (f) => {
        seen.push(f);
        return { items: [v], nextCursor: null };
      },
      getViolation: async () => ({ ...v, signatureValid: true }),
    }), { path: '/violations?ruleId=large-payment-fraud-checked&severity=critical' });
    fireEvent.click(await screen.findByTestId(`${testIds.violations.row}-${v.id}`));
    expect(await screen.findByTestId(testIds.drawer.reason)).toHaveTextContent(v.reason);
    expect(await screen.findByTestId(testIds.drawer.signature)).toHaveTextContent('signature valid');
    expect(screen.getByTestId(testIds.drawer.tempoLink)).toHaveAttribute('href', expect.stringContaining('tempo-uid'));
    expect(seen[0]).toMatchObject({ ruleId: 'large-payment-fraud-checked', severity: ['critical'] });
  });

  test('a live violation matching the filters appears without a reload', async () => {
    const live = violation({ id: 'f'.repeat(32), reason: 'arrived live' });
    const chunk = `event: violation\nid: 1-f\ndata: ${JSON.stringify(live)}\n\n`;
    renderPage(<ViolationsPage />, fakeApi({
      listRules: async () => [],
      listViolations: async () => ({ items: [], nextCursor: null }),
      openViolationStream: async () => ({ status: 200, chunks: (async function* () { yield chunk; await new Promise(() => undefined); })() }),
    }));
    expect(await screen.findByTestId(`${testIds.violations.row}-${live.id}`)).toHaveTextContent('arrived live');
  });
});

describe('Rules', () => {
  test('no rules: says how to add some', async () => {
    renderPage(<RulesPage />, fakeApi({ listRules: async () => [], violationStats: async () => stats() }));
    expect(await screen.findByTestId(testIds.states.empty)).toHaveTextContent('import a YAML pack');
  });

  test('a rule row shows its 24 h count and last violation', async () => {
    renderPage(<RulesPage />, fakeApi({
      listRules: async () => [rule()],
      violationStats: async () => stats({ byRule: [{ ruleId: 'r1', ruleName: 'Rule one', count: 7 }] }),
      listViolations: async () => ({ items: [], nextCursor: null }),
    }));
    expect(await screen.findByTestId(`${testIds.rules.violationsLink}-r1`)).toHaveTextContent('7');
    expect(await screen.findByText('never')).toBeInTheDocument();
  });
});

describe('Trace view', () => {
  test('a trace BeTrace no longer keeps: says so and links to Tempo', async () => {
    const api = fakeApi({ getTrace: async () => Promise.reject(new ApiError(404, 'not_found', 'trace x is not among the recently completed traces')) });
    renderPage(<TracePage />, api, { path: `/traces/${'b'.repeat(32)}`, route: '/traces/:traceId' });
    expect(await screen.findByTestId(testIds.states.empty)).toHaveTextContent('no longer kept');
    expect(screen.getByTestId(testIds.trace.tempoLink)).toBeInTheDocument();
  });
});
