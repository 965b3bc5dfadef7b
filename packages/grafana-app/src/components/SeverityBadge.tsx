import React from 'react';
import { Badge, type BadgeColor } from '@grafana/ui';
import type { Severity } from '../api/types';

export const SEVERITY_COLORS: Record<Severity, BadgeColor> = {
  critical: 'red',
  high: 'orange',
  medium: 'purple',
  low: 'blue',
  info: 'darkgrey',
};

/** Chart colours by severity (Grafana palette names). */
export const SEVERITY_PALETTE: Record<Severity, string> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  info: 'text',
};

export function SeverityBadge({ severity }: { severity: Severity }) {
  return <Badge color={SEVERITY_COLORS[severity]} text={severity} />;
}
