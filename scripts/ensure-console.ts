// `npm start` runs this first: builds the web console when packages/grafana-app/dist-console is
// missing (about a minute, once), and returns at once when it is there. A failed build does not
// stop the server: `/` then says how to build the console.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const index = new URL('../packages/grafana-app/dist-console/index.html', import.meta.url);
if (!existsSync(index)) {
  console.log('The web console is not built yet; building it once (npm run build:console)…');
  const r = spawnSync('npm', ['run', '--silent', 'build:console', '--workspace', '@betrace/grafana-app'], { stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(r.status === 0 ? 'Console built.' : 'Building the console failed; BeTrace starts without it (see npm run build:console).');
}
