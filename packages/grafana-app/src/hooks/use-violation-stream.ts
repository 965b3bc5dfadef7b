import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type { Violation } from '../api/types';
import { followViolations, type StreamState } from '../api/violation-stream';

/** Follows the live violation stream while mounted; `onViolation` may change between renders. */
export function useViolationStream(onViolation: (v: Violation) => void, enabled = true): { state: StreamState; detail?: string } {
  const api = useApi();
  const [state, setState] = useState<{ state: StreamState; detail?: string }>({ state: 'connecting' });
  const handler = useRef(onViolation);
  useEffect(() => {
    handler.current = onViolation;
  });
  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    return followViolations({
      open: (lastEventId, signal) => api.openViolationStream(lastEventId, signal),
      onViolation: (v) => handler.current(v),
      onState: (s, detail) => setState({ state: s, detail }),
    });
  }, [api, enabled]);
  return state;
}
