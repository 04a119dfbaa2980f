import { STATUS_CODES } from 'node:http';
import { INTERNAL_DETAIL, KratosError } from './kratos-error.js';

/**
 * Marks `err` as carrying internal detail in its message: a peer's address, a dependency's own
 * words, a transport failure. Servers then send a generic message for it (see {@link publicError});
 * logs and the caller inside the process still see everything. Returns `err`.
 */
export function withInternalDetail<E extends KratosError>(err: E): E {
  (err as unknown as Record<symbol, boolean>)[INTERNAL_DETAIL] = true;
  return err;
}

/** True when `err` was marked by {@link withInternalDetail} (copies keep the mark). */
export function hasInternalDetail(err: KratosError): boolean {
  return (err as unknown as Record<symbol, unknown>)[INTERNAL_DETAIL] === true;
}

// A stack trace pasted into a message: everything from the first frame on.
const STACK_FRAME = /\n\s+at [\s\S]*$/;

/**
 * What a server sends for `err` (the encoding boundary): the error itself, or, unless `expose`, a
 * copy whose message is the generic text of its code when it carries internal detail, and without
 * any stack trace pasted into it. Code, reason and metadata are kept, so clients still branch on them.
 */
export function publicError(err: KratosError, expose = false): KratosError {
  if (expose) return err;
  if (hasInternalDetail(err)) return new KratosError(err.code, err.reason, (STATUS_CODES[err.code] ?? 'request failed').toLowerCase(), { ...err.metadata });
  if (STACK_FRAME.test(err.message)) return new KratosError(err.code, err.reason, err.message.replace(STACK_FRAME, ''), { ...err.metadata });
  return err;
}
