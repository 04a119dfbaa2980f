import { KratosError } from '../errors/index.js';
import { jose } from './jose.js';

// Kratos' exact texts (docs/resilience-and-security.md#jwt-authentication), kept byte for byte (the trailing space included) so clients
// that match on them keep working across the Go and TypeScript services.
/** @public */
export const JWT_MISSING = 'JWT token is missing';
/** @public */
export const JWT_EXPIRED = 'JWT token has expired';
/** @public */
export const JWT_INVALID = 'Token is invalid';
/** @public */
export const JWT_WRONG_METHOD = 'Wrong signing method';
/** @public */
export const JWT_UNPARSABLE = 'Fail to parse JWT token ';
/** @public */
export const JWT_WRONG_CONTEXT = 'Wrong context for middleware';
/** @public */
export const JWT_SIGN_FAILED = 'Can not sign token.Is the key correct?';

/** @public The reason of every JWT failure, as in Kratos. */
export const JWT_REASON = 'UNAUTHORIZED';

/** @internal A 401 UNAUTHORIZED with one of the messages above. */
export function unauthorized(message: string, cause?: unknown): KratosError {
  return new KratosError(401, JWT_REASON, message, {}, cause);
}

/** @internal Thrown by our key lookup when the key's kind does not fit the token's algorithm. */
export class KeyKindMismatch extends Error {
  constructor(alg: string) {
    super(`key kind does not fit algorithm ${alg}`);
    this.name = 'KeyKindMismatch';
  }
}

/**
 * @internal Maps a jose verification failure to Kratos' message. Anything unrecognised (bad signature,
 * issuer, audience, JWKS without a matching key, malformed claims) is "invalid": failing closed with
 * the vaguest message tells an attacker the least.
 */
export function fromJoseError(err: unknown): KratosError {
  const joseErrors = jose().errors;
  if (err instanceof joseErrors.JWTExpired && err.claim === 'exp') return unauthorized(JWT_EXPIRED, err);
  // Kratos reports "not valid yet" with the expired text; only a failed time check counts, not a
  // non-numeric nbf, which is a malformed token.
  if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'nbf' && err.reason === 'check_failed') {
    return unauthorized(JWT_EXPIRED, err);
  }
  if (err instanceof joseErrors.JOSEAlgNotAllowed || err instanceof KeyKindMismatch) return unauthorized(JWT_WRONG_METHOD, err);
  return unauthorized(JWT_INVALID, err);
}
