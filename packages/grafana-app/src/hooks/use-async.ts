import { useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading'; value?: T; error?: undefined }
  | { status: 'ok'; value: T; error?: undefined }
  | { status: 'error'; value?: T; error: Error };

/**
 * Runs `load` when `deps` change and on `reload()`; keeps the last value while reloading so
 * refreshes do not flash a spinner. Answers of superseded runs are dropped.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> & { reload(): void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const run = useRef(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });

  useEffect(() => {
    const mine = ++run.current;
    // Marking the reload is the point of this effect; the answer arrives asynchronously.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setState((s) => ({ status: 'loading', value: s.value }));
    loadRef.current().then(
      (value) => mine === run.current && setState({ status: 'ok', value }),
      (error: unknown) =>
        mine === run.current &&
        setState((s) => ({ status: 'error', value: s.value, error: error instanceof Error ? error : new Error(String(error)) }))
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}
