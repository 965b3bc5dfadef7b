import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import type { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';
import { SEVERITIES, type Severity, type ViolationStats } from '../api/types';
import { countAxisMax } from '../utils/count-axis';
import { SEVERITY_PALETTE } from './SeverityBadge';
import { testIds } from './testIds';

const HEIGHT = 220;
const PAD = { left: 40, right: 12, top: 10, bottom: 24 };

function useWidth(): [React.RefObject<HTMLDivElement>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') {
      return undefined;
    }
    const observer = new ResizeObserver(([entry]) => entry && setWidth(Math.max(200, entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

function tickLabel(ms: number, bucketMs: number): string {
  const d = new Date(ms);
  const pad = (x: number) => String(x).padStart(2, '0');
  return bucketMs >= 6 * 3_600_000 ? `${pad(d.getMonth() + 1)}-${pad(d.getDate())}` : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Violations per time bucket, stacked by severity (an SVG chart: works in Grafana and the console alike). */
export function ViolationsChart({ stats }: { stats: ViolationStats }) {
  const s = useStyles2(getStyles);
  const theme = useTheme2();
  const [ref, width] = useWidth();
  const buckets = stats.buckets;
  const max = countAxisMax(Math.max(0, ...buckets.map((b) => SEVERITIES.reduce((sum, sev) => sum + b.bySeverity[sev], 0))));
  const plotW = width - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = buckets.length > 0 ? plotW / buckets.length : plotW;
  const barW = Math.max(1, slot * 0.8);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const color = (sev: Severity) => theme.visualization.getColorByName(SEVERITY_PALETTE[sev]);
  const labelEvery = Math.max(1, Math.ceil(buckets.length / Math.max(1, Math.floor(plotW / 70))));

  return (
    <div ref={ref} className={s.wrap} data-testid={testIds.overview.chart}>
      <svg width={width} height={HEIGHT} role="img" aria-label="Violations over time by severity">
        {[0, 0.25, 0.5, 0.75, 1].map((f) => (
          <g key={f}>
            <line x1={PAD.left} x2={width - PAD.right} y1={y(max * f)} y2={y(max * f)} stroke={theme.colors.border.weak} />
            <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" className={s.axis}>
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        {buckets.map((b, i) => {
          let acc = 0;
          const x = PAD.left + i * slot + (slot - barW) / 2;
          return (
            <g key={b.start}>
              {SEVERITIES.map((sev) => {
                const n = b.bySeverity[sev];
                if (n === 0) {
                  return null;
                }
                const top = y(acc + n);
                const h = y(acc) - top;
                acc += n;
                return (
                  <rect key={sev} x={x} y={top} width={barW} height={h} fill={color(sev)}>
                    <title>{`${tickLabel(b.start, stats.bucketMs)} ${sev}: ${n}`}</title>
                  </rect>
                );
              })}
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={HEIGHT - 6} textAnchor="middle" className={s.axis}>
                  {tickLabel(b.start, stats.bucketMs)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <div className={s.legend}>
        {SEVERITIES.map((sev) => (
          <span key={sev} className={s.legendItem}>
            <span className={s.swatch} style={{ background: color(sev) }} />
            {sev} ({stats.bySeverity[sev]})
          </span>
        ))}
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrap: css({ width: '100%', overflow: 'hidden' }),
  axis: css({ fill: theme.colors.text.secondary, fontSize: theme.typography.bodySmall.fontSize }),
  legend: css({ display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap', fontSize: theme.typography.bodySmall.fontSize, color: theme.colors.text.secondary }),
  legendItem: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(0.5) }),
  swatch: css({ display: 'inline-block', width: 10, height: 10, borderRadius: 2 }),
});
