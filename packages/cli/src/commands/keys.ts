import { EXIT_ERROR } from '../io.ts';
import type { Command } from './command.ts';

/** `betrace keys create|list|revoke`: API keys, managed directly in the store the server uses. */
export const keysCommand: Command = {
  name: 'keys',
  summary: 'create, list and revoke API keys (viewer, editor, admin) in the data dir\'s store',
  help: `Usage: betrace keys create --name NAME --role viewer|editor|admin [--data-dir DIR] [--store URL]
       betrace keys list [--json] [--data-dir DIR] [--store URL]
       betrace keys revoke ID [--data-dir DIR] [--store URL]

Manages the API keys of the store a BeTrace server uses (default ./data, as betrace serve).
"create" prints the new secret once on stdout; only its hash is stored. Revoking takes effect at
once, also for a running server. Every change is recorded in the audit log as cli:<user>.

Roles: viewer reads, editor also changes rules, admin also manages keys.

Options:
  --name NAME        a name that says who uses the key (create)
  --role ROLE        viewer, editor or admin (create)
  --json             print the list as JSON (list)
  --data-dir DIR     the server's data directory (default ./data) [BETRACE_DATA_DIR]
  --store URL        the server's store URL, when not the embedded one [BETRACE_STORE_URL]
  -h, --help         show this help`,
  options: {
    name: { type: 'string' },
    role: { type: 'string' },
    json: { type: 'boolean' },
    'data-dir': { type: 'string' },
    store: { type: 'string' },
  },
  async run(args, io) {
    const [sub, ...rest] = args.positionals;
    const v = args.values;
    const dataDir = (v['data-dir'] as string | undefined) ?? process.env['BETRACE_DATA_DIR'] ?? './data';
    const storeUrl = (v['store'] as string | undefined) ?? process.env['BETRACE_STORE_URL'];
    const store = { dataDir, ...(storeUrl ? { store: storeUrl } : {}) };
    const { keysCreate, keysList, keysRevoke } = await import('@betrace/server');
    switch (sub) {
      case 'create':
        if (typeof v['name'] !== 'string' || typeof v['role'] !== 'string') {
          io.err('betrace keys create: --name and --role are required (e.g. --name ci --role editor)');
          return EXIT_ERROR;
        }
        return keysCreate({ ...store, name: v['name'], role: v['role'] }, io);
      case 'list':
        return keysList({ ...store, json: v['json'] === true }, io);
      case 'revoke':
        if (rest.length !== 1) {
          io.err('betrace keys revoke: give exactly one key id (see betrace keys list)');
          return EXIT_ERROR;
        }
        return keysRevoke({ ...store, id: rest[0] as string }, io);
      default:
        io.err(`betrace keys: expected create, list or revoke${sub ? `, found "${sub}"` : ''} (see betrace keys --help)`);
        return EXIT_ERROR;
    }
  },
};
