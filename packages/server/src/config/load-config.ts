import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { type Config, configSchema } from './schema.ts';
import { SETTINGS } from './settings.ts';

/** Where the configuration comes from; later sources override earlier ones: file < env < flags. */
export interface ConfigSources {
  /** Path of a YAML config file (`--config`). */
  file?: string;
  /** Environment variables; only `BETRACE_*` ones are read. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Flag values by flag name without dashes, e.g. `{ 'data-dir': '/var/lib/betrace' }`. */
  flags?: Readonly<Record<string, string | undefined>>;
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** Builds and validates the configuration. Every problem is reported, each naming its source. */
export function loadConfig(sources: ConfigSources): ConfigResult {
  const errors: string[] = [];
  const raw: Record<string, unknown> = {};
  const origin = new Map<string, string>();
  if (sources.file !== undefined) {
    let text: string;
    try {
      text = readFileSync(sources.file, 'utf8');
    } catch (e) {
      return { ok: false, errors: [`cannot read config file ${sources.file}: ${(e as Error).message}`] };
    }
    try {
      const doc: unknown = parseYaml(text);
      if (doc !== null && doc !== undefined) {
        if (typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, errors: [`${sources.file}: expected a mapping of settings at the top level`] };
        Object.assign(raw, doc);
      }
    } catch (e) {
      return { ok: false, errors: [`${sources.file}: not valid YAML: ${(e as Error).message}`] };
    }
  }
  for (const s of SETTINGS) {
    const fromEnv = sources.env?.[s.env];
    if (fromEnv !== undefined && fromEnv !== '') {
      setPath(raw, s.path, fromEnv);
      origin.set(s.path, `environment variable ${s.env}`);
    }
    const fromFlag = sources.flags?.[s.flag];
    if (fromFlag !== undefined) {
      setPath(raw, s.path, fromFlag);
      origin.set(s.path, `flag --${s.flag}`);
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      const where = origin.get(path) ?? (sources.file ? `${sources.file}: ${path || '(top level)'}` : path);
      const detail = issue.code === 'unrecognized_keys' ? `unknown setting(s) ${issue.keys.join(', ')}` : issue.message;
      errors.push(`${where}: ${detail}`);
    }
    return { ok: false, errors };
  }
  return { ok: true, config: parsed.data };
}

function setPath(target: Record<string, unknown>, path: string, value: string): void {
  const parts = path.split('.');
  let node = target;
  for (const p of parts.slice(0, -1)) {
    const next = node[p];
    if (typeof next !== 'object' || next === null) node[p] = {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}
