import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply } from 'fastify';

/** Where `npm run build:console` puts the console (packages/grafana-app/dist-console). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../../grafana-app/dist-console/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
};

// Paths the API owns: an unknown one answers the API's JSON 404, never the console's page.
const API_PATHS = /^\/(api|metrics|healthz|readyz)(\/|$|\?)/;

/**
 * The web console at `/`: static files from `dir`, and index.html for every other path (the
 * console routes in the browser). Hashed assets are cached for good, index.html never. When the
 * console was not built, `/` says how to build it.
 */
export function consolePlugin(dir: string = DEFAULT_CONSOLE_DIR): FastifyPluginAsync {
  const root = resolve(dir);
  return async (app: FastifyInstance) => {
    app.get('/*', { schema: { hide: true } }, async (request, reply) => {
      const path = decodeURIComponent(request.url.split('?')[0] ?? '/');
      if (API_PATHS.test(path) || request.url.startsWith('/api')) return reply.callNotFound();
      const file = resolve(root, `.${path}`);
      if (file !== root && !file.startsWith(root + sep)) return reply.callNotFound();
      if (path !== '/' && (await isFile(file))) {
        const immutable = path.startsWith('/assets/');
        return send(reply, file, immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      }
      const index = join(root, 'index.html');
      if (await isFile(index)) return send(reply, index, 'no-cache');
      return reply.code(503).type('text/html; charset=utf-8').send(notBuiltPage(root));
    });
  };
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function send(reply: FastifyReply, file: string, cacheControl: string): Promise<FastifyReply> {
  const body = await readFile(file);
  return reply.header('cache-control', cacheControl).header('x-content-type-options', 'nosniff')
    .type(TYPES[extname(file)] ?? 'application/octet-stream').send(body);
}

function notBuiltPage(dir: string): string {
  const escaped = dir.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>BeTrace: console not built</title>
<style>body{font-family:system-ui,sans-serif;max-width:42rem;margin:4rem auto;line-height:1.5;padding:0 1rem}code,pre{background:#eee;padding:.1rem .3rem}</style></head>
<body><h1>The BeTrace console is not built</h1>
<p>The API is running (see <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>), but there is no console in <code>${escaped}</code>.</p>
<p>Build it from the repository root, then reload this page:</p>
<pre>npm run build:console</pre>
<p><code>npm start</code> builds it when it is missing.</p></body></html>`;
}
