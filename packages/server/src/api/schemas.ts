import { z } from 'zod';
import { SEVERITIES } from '@betrace/store';
import { parseDurationMs } from '../config/duration.ts';

/** Rule ids: the rule-file format's ids, so every API rule can be exported and imported again. */
export const ruleId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,127}$/, 'expected a rule id: lower-case letters, digits, ".", "_" or "-", starting with a letter or digit, at most 128 characters');
export const traceId = z.string().regex(/^[0-9a-fA-F]{32}$/, 'expected a trace id: 32 hex characters').transform((s) => s.toLowerCase());
export const violationId = z.string().regex(/^[0-9a-f]{32}$/, 'expected a violation id: 32 lower-case hex characters');
export const keyId = z.string().regex(/^key_[0-9A-Za-z]{1,64}$/, 'expected an API key id like key_…');
export const severity = z.enum(SEVERITIES as ['critical', 'high', 'medium', 'low', 'info']);
export const roleSchema = z.enum(['viewer', 'editor', 'admin']);

const name = z.string().trim().min(1, 'must not be empty').max(200);
const description = z.string().max(4000);
const tags = z.array(z.string().trim().min(1).max(64)).max(32);
const condition = z.string().min(1, 'must not be empty').max(65_536);
const version = z.number().int().positive();

export const newRuleBody = z.strictObject({
  id: ruleId, name, description: description.optional(), severity, tags: tags.optional(), enabled: z.boolean().optional(), condition,
});

export const ruleChangesBody = z.strictObject({
  name: name.optional(), description: description.optional(), severity: severity.optional(), tags: tags.optional(),
  enabled: z.boolean().optional(), condition: condition.optional(),
  /** The version the change was made against (or send `If-Match: <version>`). */
  version: version.optional(),
});

export const versionBody = z.strictObject({ version: version.optional() }).optional();

export const ruleParams = z.strictObject({ id: ruleId });
export const violationParams = z.strictObject({ id: violationId });
export const keyParams = z.strictObject({ id: keyId });
export const traceParams = z.strictObject({ traceId });

export const ruleView = z.object({
  id: z.string(), name: z.string(), description: z.string(), severity, tags: z.array(z.string()), enabled: z.boolean(),
  condition: z.string(), version: z.number().int(), createdAt: z.string(), updatedAt: z.string(), updatedBy: z.string(),
  source: z.enum(['api', 'file']),
});

/** A point in time: ISO 8601 text or milliseconds since the epoch. */
export const instant = z.string().transform((text, ctx) => {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: 'custom', message: `expected an ISO 8601 time (2025-01-31T12:00:00Z) or milliseconds since the epoch, got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

export const duration = z.string().transform((text, ctx) => {
  const ms = parseDurationMs(text);
  if (ms === undefined || ms <= 0) {
    ctx.addIssue({ code: 'custom', message: `expected a duration like 5m, 1h or 1d, got "${text}"` });
    return z.NEVER;
  }
  return ms;
});

const limit = (max: number) => z.coerce.number({ message: 'expected a number' }).int().min(1).max(max);

export const violationFilterQuery = z.strictObject({
  ruleId: ruleId.optional(),
  /** One severity or a comma-separated list. */
  severity: z.string().optional().transform((text, ctx) => {
    if (text === undefined || text === '') return undefined;
    const parts = text.split(',').map((s) => s.trim().toLowerCase());
    const bad = parts.filter((p) => !(SEVERITIES as readonly string[]).includes(p));
    if (bad.length > 0) {
      ctx.addIssue({ code: 'custom', message: `unknown severity ${bad.map((b) => `"${b}"`).join(', ')}; expected ${SEVERITIES.join(', ')}` });
      return z.NEVER;
    }
    return parts as z.infer<typeof severity>[];
  }),
  service: z.string().max(256).optional(),
  traceId: traceId.optional(),
  q: z.string().max(256).optional(),
  status: z.enum(['open', 'resolved', 'all']).optional(),
  from: instant.optional(),
  to: instant.optional(),
});

export const violationListQuery = violationFilterQuery.extend({
  limit: limit(1000).optional(),
  cursor: z.string().max(512).optional(),
});

export const statsQuery = violationFilterQuery.extend({ bucket: duration.optional() });

export const pageQuery = z.strictObject({ limit: limit(1000).optional(), cursor: z.string().max(512).optional() });
