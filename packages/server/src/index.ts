export type { RunningServer } from './server.ts';
export { startServer } from './server.ts';
export type { Config } from './config/schema.ts';
export { configSchema } from './config/schema.ts';
export type { ConfigResult, ConfigSources } from './config/load-config.ts';
export { loadConfig } from './config/load-config.ts';
export type { Setting } from './config/settings.ts';
export { SETTINGS } from './config/settings.ts';
export type { ServerContext } from './context.ts';
