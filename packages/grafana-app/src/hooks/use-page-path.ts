import { useCallback } from 'react';
import { useHost } from '../api/api-context';

/** Absolute router path of a page for the current host (Grafana's /a/<id> prefix or the console's /). */
export function usePagePath(): (path: string) => string {
  const { basePath } = useHost();
  return useCallback((path: string) => `${basePath}${path}`, [basePath]);
}
