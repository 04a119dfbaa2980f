import { fuseRuns } from './stage.js';
import type { Handler, Middleware } from './types.js';

/**
 * Composes middleware into one; `m[0]` is the outermost (Kratos `Chain`). Adjacent staged middleware
 * (the observing built-ins) run as one frame per call, in the order nesting would run them.
 */
export function chain(...m: Middleware[]): Middleware {
  const parts = fuseRuns(m);
  return (next: Handler): Handler => {
    let h = next;
    for (let i = parts.length - 1; i >= 0; i--) h = parts[i]!(h);
    return h;
  };
}
