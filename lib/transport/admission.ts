import type { KratosError } from '../errors/index.js';

/**
 * Admission control at a server's front door (docs/resilience-and-security.md#shedding-at-the-front-door):
 * asked once per call the moment the transport receives it, before any context, decoding or middleware,
 * so a refused call costs only its prebuilt reply. Transports answer a refusal with the same bytes the
 * rate-limit middleware's 429 `RATELIMIT` produces (gRPC: RESOURCE_EXHAUSTED with its status details).
 */
export interface Admission {
  /** The error a refused call answers with; transports encode it once and send the same bytes every time. */
  readonly refusal: KratosError;
  /**
   * Decides on the call to `target` (HTTP: the request target as sent, query included; gRPC: the method
   * path `/pkg.Service/Method`): returns what to call once the call has ended, or undefined to refuse it.
   * It runs outside every error handler of the transport, so it must not throw.
   */
  admit(target: string): ((err?: unknown) => void) | undefined;
  /**
   * When present, runs every admitted call (paced admission, docs/resilience-and-security.md#paced-admission):
   * at once, or held and started on a later event-loop iteration, so the loop reads its sockets between
   * handlers. `admitted` is what {@link Admission.admit} returned for the call; `start` starts the call
   * (and from then on owes `admitted` its end) and returns true, or with `refuse` answers it with the
   * refusal instead, and returns false as when it dropped it (its client gone, its deadline past): the
   * admission then tells `admitted` itself. `hops` is how many loop iterations its reply needs to leave
   * before the next held call starts. Without `hold`, admitted calls run at once.
   */
  hold?(admitted: (err?: unknown) => void, start: (refuse: boolean) => boolean, hops: number): void;
}
