// docs/operations.md is checked against the code it describes: every setting of the config schema
// has its row (with its flag and variable), every metric is listed, and every alert of
// deploy/prometheus has a runbook section its runbook_url points at.
import { readFileSync } from 'node:fs';
import { SETTINGS, configSchema } from '@betrace/server';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const guide = readFileSync(new URL('./operations.md', import.meta.url), 'utf8');
const metricsSource = readFileSync(new URL('../packages/server/src/metrics/metrics.ts', import.meta.url), 'utf8');
const alertFile = parse(readFileSync(new URL('../deploy/prometheus/betrace-alerts.yaml', import.meta.url), 'utf8')) as {
  groups: { rules: { alert?: string; annotations?: Record<string, string> }[] }[];
};

interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
}

/** Leaf paths of the config file, e.g. `assembly.quietPeriod`. */
function settingPaths(schema: JsonSchema, prefix = ''): string[] {
  return Object.entries(schema.properties ?? {}).flatMap(([key, sub]) =>
    sub.type === 'object' && sub.properties ? settingPaths(sub, `${prefix}${key}.`) : [`${prefix}${key}`]);
}

/** Rows of the settings table (from its header to the first line that is not a row) by file key: the cells after the key. */
const table = /^\| File key \|.*\n((?:\|.*\n)+)/m.exec(guide)?.[1] ?? '';
const rows = new Map([...table.matchAll(/^\| `([A-Za-z.]+)` \| (.*) \|$/gm)].map((m) => [m[1] ?? '', (m[2] ?? '').split(' | ')]));
const paths = settingPaths(z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);

describe('docs/operations.md', () => {
  it('finds the settings', () => {
    expect(paths.length).toBeGreaterThan(30);
  });

  it.each(paths)('documents the setting %s with its flag and variable', (path) => {
    const row = rows.get(path);
    expect(row, `a table row for ${path}`).toBeDefined();
    const setting = SETTINGS.find((s) => s.path === path);
    expect(row?.slice(0, 2)).toEqual(setting ? [`\`--${setting.flag}\``, `\`${setting.env}\``] : ['—', '—']);
  });

  it('has no rows for settings that do not exist', () => {
    expect([...rows.keys()].filter((k) => !paths.includes(k))).toEqual([]);
  });

  const metrics = [...new Set([...metricsSource.matchAll(/'(betrace_[a-z_]+)'/g)].map((m) => m[1] ?? ''))].filter((n) => n !== 'betrace_');
  it.each(metrics)('lists the metric %s', (name) => {
    expect(guide).toContain(`\`${name}\``);
  });

  const alerts = alertFile.groups.flatMap((g) => g.rules).filter((r) => r.alert !== undefined);
  it.each(alerts.map((a) => [a.alert, a]))('has a runbook for %s that its runbook_url points at', (name, alert) => {
    expect(guide).toMatch(new RegExp(`^### ${name}$`, 'm'));
    expect(alert.annotations?.['runbook_url']).toBe(`docs/operations.md#${String(name).toLowerCase()}`);
    expect(guide).toContain(`| [${name}](#${String(name).toLowerCase()}) |`);
  });
});
