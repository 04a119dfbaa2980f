import type { JWTPayload, JWTVerifyGetKey, JWTVerifyOptions } from 'jose';
import { FrameworkError } from '../errors/index.js';
import { isStandardSchema, type StandardSchemaV1 } from '../middleware/validate/index.js';
import { type Middleware } from '../middleware/index.js';
import { setClaims } from './claims.js';
import { jose } from './jose.js';
import {
  fromJoseError,
  JWT_INVALID,
  JWT_MISSING,
  JWT_UNPARSABLE,
  JWT_WRONG_CONTEXT,
  JWT_WRONG_METHOD,
  KeyKindMismatch,
  unauthorized,
} from './jwt-errors.js';
import { keyFitsAlgorithm, toJoseKey, type JoseKey, type JwtKey, type JwtKeyFunction } from './jwt-key.js';

/**
 * Options of {@link jwtServer}. Give exactly one of `key`, `keyFunction` and `jwksUrl`.
 * @public
 */
export interface JwtServerOptions {
  /** The one verification key: an HMAC secret (string or bytes) or a public KeyObject/CryptoKey. */
  key?: JwtKey;
  /** Looks the key up per token, from its unverified header (`kid`, `alg`). */
  keyFunction?: JwtKeyFunction;
  /** A JWKS document URL; jose fetches it, caches it and refetches on an unknown `kid`. */
  jwksUrl?: string;
  /**
   * The only signing algorithms accepted, e.g. `['HS256']` or `['RS256', 'ES256', 'EdDSA']`. Required:
   * trusting the token's own `alg` is how 'none' and RS/HS confusion attacks get in.
   */
  algorithms: readonly string[];
  /** Accepted `iss` value(s); unchecked when absent. */
  issuer?: string | readonly string[];
  /** Accepted `aud` value(s); unchecked when absent. */
  audience?: string | readonly string[];
  /** Leeway for `exp` and `nbf`, in seconds. Default {@link DEFAULT_CLOCK_TOLERANCE}. */
  clockTolerance?: number;
  /** A Standard Schema (zod, valibot, ...) the claims must pass; its output becomes the claims. */
  claimsSchema?: StandardSchemaV1;
}

/** Seconds of clock skew tolerated between the token issuer and this server. @public */
export const DEFAULT_CLOCK_TOLERANCE = 5;

const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

function invalidOptions(message: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `jwtServer: ${message}`);
}

function checkOptions(options: JwtServerOptions): void {
  if (typeof options !== 'object' || options === null) throw invalidOptions('options must be an object');
  const sources = [options.key, options.keyFunction, options.jwksUrl].filter((s) => s !== undefined).length;
  if (sources !== 1) throw invalidOptions(`give exactly one of key, keyFunction and jwksUrl (got ${sources})`);
  const algs: unknown = options.algorithms;
  if (!Array.isArray(algs) || algs.length === 0 || !algs.every((a) => typeof a === 'string' && a !== '')) {
    throw invalidOptions('algorithms must be a non-empty list of JWS algorithm names');
  }
  if (algs.some((a) => (a as string).toLowerCase() === 'none')) throw invalidOptions("algorithm 'none' can never be allowed");
  if (options.key !== undefined) {
    const key = options.key;
    const misfit = options.algorithms.filter((alg) => !keyFitsAlgorithm(key, alg));
    // Catching this at boot: a secret with RS256 (or a public key with HS256) is a mistake that
    // would otherwise only show up as every request failing.
    if (misfit.length > 0) throw invalidOptions(`key does not fit algorithm(s) ${misfit.join(', ')}: HS* need a secret, others a public key`);
  }
  if (options.keyFunction !== undefined && typeof options.keyFunction !== 'function') throw invalidOptions('keyFunction must be a function');
  if (options.jwksUrl !== undefined && !/^https?:$/.test(URL.canParse(options.jwksUrl) ? new URL(options.jwksUrl).protocol : '')) {
    throw invalidOptions(`jwksUrl ${String(options.jwksUrl)} is not an http(s) URL`);
  }
  const tolerance = options.clockTolerance;
  if (tolerance !== undefined && !(Number.isFinite(tolerance) && tolerance >= 0)) throw invalidOptions('clockTolerance must be a number of seconds >= 0');
  if (options.claimsSchema !== undefined && !isStandardSchema(options.claimsSchema)) throw invalidOptions('claimsSchema must be a Standard Schema');
}

/** One key lookup for all three sources, refusing a key whose kind does not fit the token's alg. */
function keyLookup(options: JwtServerOptions): JWTVerifyGetKey {
  let find: (header: Parameters<JwtKeyFunction>[0], token: Parameters<JwtKeyFunction>[1]) => Promise<JwtKey> | JwtKey;
  if (options.jwksUrl !== undefined) find = jose().createRemoteJWKSet(new URL(options.jwksUrl));
  else if (options.keyFunction !== undefined) find = options.keyFunction;
  else {
    const key = options.key as JwtKey;
    find = () => key;
  }
  return async (header, token): Promise<JoseKey> => {
    const key = await find(header, token);
    if (!keyFitsAlgorithm(key, header.alg)) throw new KeyKindMismatch(header.alg);
    return toJoseKey(key);
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined. */
function bearerToken(value: string | undefined): string | undefined {
  return value === undefined ? undefined : BEARER.exec(value)?.[1];
}

/**
 * Server middleware verifying `Authorization: Bearer <token>` (HTTP header or gRPC metadata alike)
 * with jose (Kratos `auth/jwt.Server`). Only `algorithms` are accepted, `exp`/`nbf` are checked with
 * `clockTolerance`, and `issuer`/`audience` when given. The verified claims are then readable with
 * {@link claimsOf}(ctx) or {@link currentClaims}(). Every failure is a 401 `UNAUTHORIZED` `KratosError`
 * carrying Kratos' message: `JWT token is missing`, `Fail to parse JWT token `, `Wrong signing method`,
 * `JWT token has expired` (expired or not yet valid), `Token is invalid`.
 *
 * Most services leave health checks open. Wrap it in a selector that matches everything else:
 *
 * ```ts
 * selector(jwtServer(opts))
 *   .match((op) => !op.startsWith('/grpc.health.') && op !== '/healthz' && op !== '/readyz')
 *   .build();
 * ```
 *
 * @throws FrameworkError `KRATOS_ERR_OPTIONS_INVALID` when not exactly one key source is given, the
 *   algorithm list is empty or holds 'none', or a static key does not fit an algorithm.
 * @public
 */
export function jwtServer(options: JwtServerOptions): Middleware {
  checkOptions(options);
  const allowed = new Set(options.algorithms);
  const getKey = keyLookup(options);
  const verifyOptions: JWTVerifyOptions = {
    algorithms: [...options.algorithms],
    clockTolerance: options.clockTolerance ?? DEFAULT_CLOCK_TOLERANCE,
    ...(options.issuer === undefined ? {} : { issuer: typeof options.issuer === 'string' ? options.issuer : [...options.issuer] }),
    ...(options.audience === undefined ? {} : { audience: typeof options.audience === 'string' ? options.audience : [...options.audience] }),
  };
  const schema = options.claimsSchema;

  return (next) => async (req, ctx) => {
    if (ctx.side !== 'server') throw unauthorized(JWT_WRONG_CONTEXT);
    const token = bearerToken(ctx.requestHeader.get('authorization'));
    if (token === undefined) throw unauthorized(JWT_MISSING);

    let alg: unknown;
    try {
      if (token.split('.').length !== 3) throw new TypeError('not a compact JWS');
      alg = jose().decodeProtectedHeader(token).alg;
    } catch (err) {
      throw unauthorized(JWT_UNPARSABLE, err);
    }
    // Decided before any key is touched, so 'none' or an unexpected family never reaches crypto.
    if (typeof alg !== 'string' || !allowed.has(alg)) throw unauthorized(JWT_WRONG_METHOD);

    let claims: JWTPayload;
    try {
      claims = (await jose().jwtVerify(token, getKey, verifyOptions)).payload;
    } catch (err) {
      throw fromJoseError(err);
    }
    if (schema !== undefined) {
      const result = await schema['~standard'].validate(claims);
      if (result.issues !== undefined) throw unauthorized(JWT_INVALID, result.issues);
      if (typeof result.value === 'object' && result.value !== null) claims = result.value as JWTPayload;
    }
    setClaims(ctx, claims);
    return next(req, ctx);
  };
}
