import type { TraceField } from '@betrace/dsl';
import type { TraceIndex } from '../trace-index.ts';
import type { FieldValue } from '../values.ts';

/** The value of `trace.<field>`; root fields are missing when the root never arrived. */
export function traceValue(index: TraceIndex, field: TraceField): FieldValue {
  switch (field) {
    case 'duration':
      return index.duration;
    case 'span_count':
      return index.spanCount;
    case 'service_count':
      return index.serviceCount();
    case 'error_count':
      return index.errorCount;
    case 'root_name':
      return index.root?.name;
    case 'root_service': {
      const service = index.root?.service;
      return service === '' ? undefined : service;
    }
    default:
      return assertNever(field);
  }
}

function assertNever(x: never): never {
  throw new Error(`unexpected trace field ${String(x)}`);
}
