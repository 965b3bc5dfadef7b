import { type FSWatcher, watch } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { analyzeRule, renderDiagnostic } from '@betrace/dsl';
import type { RuleStore, StoredRule } from '@betrace/store';
import type { Logger } from 'pino';
import type { ServerContext } from '../context.ts';
import { formatProblem, readRuleFile } from './rule-pack.ts';
import type { RuleSpec } from './rule-pack.ts';
import { FILE_ACTOR_PREFIX } from './rule-service.ts';

const DEBOUNCE_MS = 200;

/** What one sync did, for logs and tests. */
export interface RuleFileSync {
  created: string[];
  updated: string[];
  deleted: string[];
  /** Rules kept at their stored version because their file or condition has errors. */
  kept: string[];
  /** Ids defined in a file but owned by the API (API rules win; the file's rule is skipped). */
  shadowed: string[];
}

/**
 * Loads every `*.yaml` / `*.yml` under `dir` into the rule store (`source: 'file'`, actor
 * `file:<relative path>`), then watches the directory and re-syncs on change (debounced, so an
 * editor's write-then-rename save is one sync).
 *
 * Precedence: a rule created through the API is never overwritten by a file with the same id (a
 * warning is logged and the file's rule is skipped); file rules in turn are read-only through the
 * API. A file with errors never deletes the rules it held: they stay at their last good version
 * until the file is fixed. A rule removed from a valid file (or whose file was deleted) is deleted.
 */
export async function watchRuleFiles(ctx: Pick<ServerContext, 'stores' | 'rules' | 'logger'>, dir: string): Promise<{ close(): void; sync(): Promise<RuleFileSync> }> {
  const logger = ctx.logger.child({ component: 'rule-files', dir });
  let running: Promise<RuleFileSync> | undefined;
  let again = false;
  const sync = async (): Promise<RuleFileSync> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let last: RuleFileSync;
      do {
        again = false;
        last = await syncRuleFiles(ctx.stores.rules, dir, logger);
        await ctx.rules.reload();
      } while (again);
      return last;
    })().finally(() => {
      running = undefined;
    });
    return running;
  };
  await sync();

  let timer: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { recursive: true, persistent: false }, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        sync().catch((err: unknown) => logger.error({ err }, 'syncing rule files failed; the rules stay as they were'));
      }, DEBOUNCE_MS);
    });
    watcher.on('error', (err) => logger.error({ err }, 'watching the rule directory failed; changes are no longer picked up until restart'));
  } catch (err) {
    logger.error({ err }, 'cannot watch the rule directory; rule files are loaded only at start');
  }
  return {
    sync,
    close() {
      clearTimeout(timer);
      watcher?.close();
    },
  };
}

/** One pass: files → store. Exported for tests and for a manual "reload rule files". */
export async function syncRuleFiles(store: RuleStore, dir: string, logger: Logger): Promise<RuleFileSync> {
  const result: RuleFileSync = { created: [], updated: [], deleted: [], kept: [], shadowed: [] };
  const files = await ruleFilesUnder(dir);
  const brokenFiles = new Set<string>();
  const wanted = new Map<string, { spec: RuleSpec; file: string }>();
  const keep = new Set<string>();
  for (const file of files) {
    const rel = relative(dir, file).split(sep).join('/');
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      // Deleted between listing and reading (a rename-on-save in flight): the next event re-syncs.
      brokenFiles.add(rel);
      logger.warn({ file: rel, err }, 'cannot read rule file; its rules are kept as they were');
      continue;
    }
    const read = readRuleFile(rel, text);
    for (const p of read.problems) {
      if (p.severity === 'error') brokenFiles.add(rel);
      if (p.severity !== 'info') logger[p.severity === 'error' ? 'error' : 'warn']({ file: rel }, formatProblem(p));
    }
    for (const spec of read.rules) {
      const first = wanted.get(spec.id);
      if (first) {
        logger.error({ file: rel, ruleId: spec.id }, `${rel}:${spec.position.line}:${spec.position.column}: duplicate rule id "${spec.id}" (first defined in ${first.file}); skipped`);
        continue;
      }
      const analysis = analyzeRule(spec.condition);
      if (!analysis.ok) {
        const at = spec.conditionAt;
        const rendered = analysis.diagnostics
          .filter((d) => d.severity === 'error')
          .map((d) => renderDiagnostic(spec.condition, d, { file: rel, line: at.line, column: at.column, indent: at.indent }));
        logger.error({ file: rel, ruleId: spec.id }, `rule "${spec.id}" does not check; its stored version (if any) stays in force:\n${rendered.join('\n')}`);
        keep.add(spec.id);
        continue;
      }
      wanted.set(spec.id, { spec, file: rel });
    }
  }

  for (const { spec, file } of wanted.values()) {
    const actor = FILE_ACTOR_PREFIX + file;
    const content = { name: spec.name, description: spec.description, severity: spec.severity, tags: spec.tags, enabled: spec.enabled, condition: spec.condition };
    const existing = await store.get(spec.id);
    if (existing === undefined) {
      const created = await store.create({ id: spec.id, ...content, source: 'file' }, actor);
      if (created.ok) result.created.push(spec.id);
      else logger.error({ file, ruleId: spec.id }, `cannot store rule "${spec.id}": ${created.error.message}`);
      continue;
    }
    if (existing.source === 'api') {
      result.shadowed.push(spec.id);
      logger.warn({ file, ruleId: spec.id }, `${file}: rule "${spec.id}" also exists as an API rule, which takes precedence; the file's rule is skipped (delete the API rule or rename one of them)`);
      continue;
    }
    const updated = await store.update(spec.id, content, actor);
    if (!updated.ok) logger.error({ file, ruleId: spec.id }, `cannot update rule "${spec.id}": ${updated.error.message}`);
    else if (updated.value.version !== existing.version) result.updated.push(spec.id);
  }

  for (const rule of await store.list()) {
    if (rule.source !== 'file' || wanted.has(rule.id)) continue;
    const owner = ownerFile(rule);
    if (keep.has(rule.id) || (owner !== undefined ? brokenFiles.has(owner) : brokenFiles.size > 0)) {
      result.kept.push(rule.id);
      continue;
    }
    const deleted = await store.delete(rule.id, FILE_ACTOR_PREFIX + (owner ?? dir), { expectedVersion: rule.version });
    if (deleted.ok) result.deleted.push(rule.id);
    else logger.error({ ruleId: rule.id }, `cannot delete rule "${rule.id}": ${deleted.error.message}`);
  }
  const changed = result.created.length + result.updated.length + result.deleted.length;
  if (changed > 0 || result.kept.length > 0) {
    logger.info({ created: result.created, updated: result.updated, deleted: result.deleted, kept: result.kept, files: files.length }, 'rule files synced');
  }
  return result;
}

/** The file a file rule was last written from (its actor), if known. */
function ownerFile(rule: StoredRule): string | undefined {
  return rule.updatedBy.startsWith(FILE_ACTOR_PREFIX) ? rule.updatedBy.slice(FILE_ACTOR_PREFIX.length) : undefined;
}

async function ruleFilesUnder(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { recursive: true, withFileTypes: true });
  } catch (err) {
    throw new Error(`cannot read the rules directory ${dir}: ${(err as Error).message}`, { cause: err });
  }
  return entries
    .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !e.name.startsWith('.'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
