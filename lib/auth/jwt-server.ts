import { createRemoteJWKSet, decodeProtectedHeader, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { KeyObject, webcrypto } from 'node:crypto';
import { FrameworkError, KratosError } from '../errors/index.js';
import type { Middleware } from '../middleware/index.js';
import { setClaims } from './claims.js';

/** A verification key: an HMAC secret (string or bytes), a KeyObject or a CryptoKey. */
export type JwtKey = string | Uint8Array | KeyObject | webcrypto.CryptoKey;

/** Options of {@link jwtServer}: exactly one of key, keyFunction, jwksUrl. */
export interface JwtServerOptions {
  key?: JwtKey;
  /** Looks the key up per token (kid, issuer, ...). */
  keyFunction?: JWTVerifyGetKey;
  /** A JWKS endpoint (fetched and cached by jose). */
  jwksUrl?: string;
  /** The only algorithms accepted, e.g. ['HS256'] or ['RS256', 'ES256', 'EdDSA']; 'none' never is. */
  algorithms: string[];
  issuer?: string | string[];
  audience?: string | string[];
  /** Leeway for exp and nbf, seconds. Default 5. */
  clockTolerance?: number;
}

// Kratos' messages (§6), all 401 UNAUTHORIZED.
const unauthorized = (message: string): KratosError => new KratosError(401, 'UNAUTHORIZED', message);
export const JWT_MISSING = 'JWT token is missing';
export const JWT_EXPIRED = 'JWT token has expired';
export const JWT_INVALID = 'Token is invalid';
export const JWT_WRONG_METHOD = 'Wrong signing method';
export const JWT_UNPARSABLE = 'Fail to parse JWT token ';

function keyOf(options: JwtServerOptions): JWTVerifyGetKey | Exclude<JwtKey, string> {
  const given = [options.key, options.keyFunction, options.jwksUrl].filter((x) => x !== undefined);
  if (given.length !== 1) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'jwtServer needs exactly one of key, keyFunction and jwksUrl');
  if (options.algorithms.length === 0 || options.algorithms.some((a) => a.toLowerCase() === 'none')) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', "jwtServer needs a list of algorithms, without 'none'");
  }
  if (options.jwksUrl !== undefined) return createRemoteJWKSet(new URL(options.jwksUrl));
  if (options.keyFunction !== undefined) return options.keyFunction;
  const k = options.key as JwtKey;
  return typeof k === 'string' ? new TextEncoder().encode(k) : k;
}

/**
 * Server middleware (§6): verifies `Authorization: Bearer <token>` (HTTP header or gRPC metadata) with
 * jose, accepting only `algorithms`, checking exp/nbf with leeway, issuer and audience; the claims are
 * then on the call (`claimsOf(ctx)`, `currentClaims()`). Failures are 401 UNAUTHORIZED with Kratos'
 * messages. Leave health checks open with a selector:
 *
 *   selector(jwtServer(opts)).match((op) => !op.startsWith('/grpc.health.') && op !== '/healthz' && op !== '/readyz').build()
 */
export function jwtServer(options: JwtServerOptions): Middleware {
  const key = keyOf(options);
  const allowed = new Set(options.algorithms);
  const verify: JWTVerifyOptions = {
    algorithms: options.algorithms,
    clockTolerance: options.clockTolerance ?? 5,
    ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
    ...(options.audience === undefined ? {} : { audience: options.audience }),
  };
  return (next) => async (req, ctx) => {
    const header = ctx.requestHeader.get('authorization') ?? '';
    const m = /^bearer\s+(\S+)$/i.exec(header.trim());
    if (m === null) throw unauthorized(JWT_MISSING);
    const token = m[1] as string;
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthorized(JWT_UNPARSABLE);
    }
    if (alg === undefined || !allowed.has(alg)) throw unauthorized(JWT_WRONG_METHOD);
    let payload: JWTPayload;
    try {
      payload = (await (typeof key === 'function' ? jwtVerify(token, key, verify) : jwtVerify(token, key as Uint8Array, verify))).payload;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw unauthorized(JWT_EXPIRED);
      if (err instanceof joseErrors.JWTClaimValidationFailed && (err.claim === 'nbf' || err.claim === 'iat')) throw unauthorized(JWT_EXPIRED);
      if (err instanceof joseErrors.JOSEAlgNotAllowed) throw unauthorized(JWT_WRONG_METHOD);
      if (err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JWSInvalid) throw unauthorized(JWT_UNPARSABLE);
      throw unauthorized(JWT_INVALID);
    }
    setClaims(ctx, payload);
    return next(req, ctx);
  };
}
