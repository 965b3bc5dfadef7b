import React, { useEffect } from 'react';
import { Button, Select, Stack } from '@grafana/ui';
import { RANGE_PRESETS } from '../utils/time-range';
import { testIds } from './testIds';

const AUTO_REFRESH = [
  { value: 0, label: 'Auto refresh off' },
  { value: 10_000, label: 'Every 10 s' },
  { value: 30_000, label: 'Every 30 s' },
  { value: 60_000, label: 'Every 1 min' },
];

/** Time range preset, refresh button and auto refresh interval. */
export function RangeControls(props: {
  range: string;
  onRangeChange(range: string): void;
  onRefresh(): void;
  autoRefreshMs: number;
  onAutoRefreshChange(ms: number): void;
  loading?: boolean;
}) {
  const { autoRefreshMs, onRefresh } = props;
  useEffect(() => {
    if (autoRefreshMs <= 0) {
      return undefined;
    }
    const timer = setInterval(onRefresh, autoRefreshMs);
    return () => clearInterval(timer);
  }, [autoRefreshMs, onRefresh]);

  return (
    <Stack gap={1} alignItems="center">
      <div data-testid={testIds.rangePicker}>
        <Select
          aria-label="Time range"
          width={22}
          prefix={undefined}
          options={RANGE_PRESETS.map((p) => ({ value: p.value, label: p.label }))}
          value={props.range}
          onChange={(v) => v.value && props.onRangeChange(v.value)}
        />
      </div>
      <Button variant="secondary" icon={props.loading ? 'spinner' : 'sync'} onClick={onRefresh} data-testid={testIds.refresh} aria-label="Refresh">
        Refresh
      </Button>
      <div data-testid={testIds.autoRefresh}>
        <Select aria-label="Auto refresh" width={20} options={AUTO_REFRESH} value={autoRefreshMs} onChange={(v) => props.onAutoRefreshChange(v.value ?? 0)} />
      </div>
    </Stack>
  );
}
