import type { ApiKeyRole } from '@betrace/store';

/** Roles from least to most privileged; each role may do everything the ones before it may. */
export const ROLES: readonly ApiKeyRole[] = ['viewer', 'editor', 'admin'];

/** What a route demands: a role, or nothing at all (probes, metrics, the OpenAPI document). */
export type RouteAccess = ApiKeyRole | 'public';

/** True when `role` is at least `needed`. */
export function roleAllows(role: ApiKeyRole, needed: ApiKeyRole): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

/** Who is making a request: an API key, or everyone when authentication is off. */
export interface Principal {
  /** The key id, or `anonymous` under `--auth=none`. */
  id: string;
  name: string;
  role: ApiKeyRole;
  /** What the audit log records as the actor of a change. */
  actor: string;
}

/** The principal every request acts as under `--auth=none`. */
export const ANONYMOUS: Principal = { id: 'anonymous', name: 'anonymous', role: 'admin', actor: 'anonymous' };

/** The audit actor for an API key: readable name first, id to tell same-named keys apart. */
export function keyActor(key: { id: string; name: string }): string {
  return `key:${key.name}/${key.id}`;
}
