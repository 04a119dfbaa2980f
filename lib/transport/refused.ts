/**
 * A request the transport could not decode (a malformed body, a bad path variable or query, a body
 * too large or too slow). A handler built for it (an operation with `acceptsRefused`) is called with
 * this in place of the request, and the first step of its own chain throws `error`: middleware see
 * the failure as an ordinary error thrown by `next()`, logged, counted and traced like any other.
 */
export class RefusedRequest {
  constructor(readonly error: unknown) {}
}
