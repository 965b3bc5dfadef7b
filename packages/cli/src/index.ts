export { main } from './main.ts';
export type { Io } from './io.ts';
export { EXIT_ERROR, EXIT_FINDINGS, EXIT_OK } from './io.ts';
