import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // the Grafana plugin runs its own jest suite (npm run test:plugin)
    exclude: [...configDefaults.exclude, 'packages/grafana-app/**'],
  },
});
