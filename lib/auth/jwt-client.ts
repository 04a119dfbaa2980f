import type { JWTPayload } from 'jose';
import { FrameworkError } from '../errors/index.js';
import type { Middleware } from '../middleware/index.js';
import { jose } from './jose.js';
import { JWT_SIGN_FAILED, JWT_WRONG_CONTEXT, unauthorized } from './jwt-errors.js';
import { toJoseKey, type JwtKey } from './jwt-key.js';

/**
 * Options of {@link jwtClient}.
 * @public
 */
export interface JwtClientOptions {
  /** The signing key: an HMAC secret (string or bytes) or a private KeyObject/CryptoKey. */
  key: JwtKey;
  /** The signing algorithm, e.g. 'HS256', 'RS256', 'ES256', 'EdDSA'. */
  algorithm: string;
  /**
   * Claims of the token. A function is called for every call and its token is not cached, since it
   * may depend on the call (e.g. on `currentClaims()` of the call being served).
   */
  claims?: JWTPayload | (() => JWTPayload | Promise<JWTPayload>);
  /** Lifetime: seconds, or a jose time span such as '5m'. Default {@link DEFAULT_EXPIRES_IN}. */
  expiresIn?: string | number;
  /** Extra protected header fields (`kid`, ...); `alg` always comes from `algorithm`. */
  header?: Record<string, unknown>;
}

/** Lifetime of a client token when `expiresIn` is not given. @public */
export const DEFAULT_EXPIRES_IN = '5m';

/** A cached token is replaced this long before it expires, so it never arrives already expired. */
const REFRESH_MARGIN_MS = 30_000;

interface Signed {
  readonly token: string;
  /** Epoch ms after which a fresh token is signed. */
  readonly renewAt: number;
}

function invalidOptions(message: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `jwtClient: ${message}`);
}

function checkOptions(options: JwtClientOptions): void {
  if (typeof options !== 'object' || options === null) throw invalidOptions('options must be an object');
  if (options.key === undefined || options.key === null || options.key === '') throw invalidOptions('key is required');
  if (typeof options.algorithm !== 'string' || options.algorithm === '') throw invalidOptions('algorithm is required');
  if (options.algorithm.toLowerCase() === 'none') throw invalidOptions("algorithm 'none' signs nothing");
  const exp = options.expiresIn;
  if (exp !== undefined && !(typeof exp === 'string' ? exp !== '' : Number.isFinite(exp) && exp > 0)) {
    throw invalidOptions('expiresIn must be a positive number of seconds or a time span such as "5m"');
  }
}

/**
 * Client middleware that signs a JWT and sends it as `authorization: Bearer <token>` (Kratos
 * `auth/jwt.Client`). With static claims one token is reused until shortly before it expires; with a
 * claims function each call gets its own. A signing failure is a 401 `UNAUTHORIZED` `KratosError`
 * `Can not sign token.Is the key correct?`.
 *
 * @throws FrameworkError `KRATOS_ERR_OPTIONS_INVALID` for a missing key, a missing or 'none'
 *   algorithm, or a bad `expiresIn`.
 * @public
 */
export function jwtClient(options: JwtClientOptions): Middleware {
  checkOptions(options);
  const key = toJoseKey(options.key);
  const expiresIn = options.expiresIn ?? DEFAULT_EXPIRES_IN;
  const { claims } = options;
  const cacheable = typeof claims !== 'function';

  const sign = async (): Promise<Signed> => {
    const payload = typeof claims === 'function' ? await claims() : (claims ?? {});
    const now = Math.floor(Date.now() / 1000);
    const token = await new (jose().SignJWT)(payload)
      .setProtectedHeader({ typ: 'JWT', ...options.header, alg: options.algorithm })
      .setIssuedAt(now)
      .setExpirationTime(typeof expiresIn === 'number' ? now + expiresIn : expiresIn)
      .sign(key);
    const exp = jose().decodeJwt(token).exp ?? now;
    const lifetimeMs = (exp - now) * 1000;
    // Short-lived tokens would never be reused with a fixed margin; keep at least half their life.
    return { token, renewAt: exp * 1000 - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2) };
  };

  // The pending signature is shared too, so concurrent calls wait for one instead of each signing.
  let latest: Signed | undefined;
  let pending: Promise<Signed> | undefined;
  const current = (): Promise<Signed> => {
    if (!cacheable) return sign();
    if (latest !== undefined && latest.renewAt > Date.now()) return Promise.resolve(latest);
    pending ??= sign()
      .then((s) => (latest = s))
      .finally(() => (pending = undefined));
    return pending;
  };

  return (next) => async (req, ctx) => {
    if (ctx.side !== 'client') throw unauthorized(JWT_WRONG_CONTEXT);
    let signed: Signed;
    try {
      signed = await current();
    } catch (err) {
      throw unauthorized(JWT_SIGN_FAILED, err);
    }
    ctx.requestHeader.set('authorization', `Bearer ${signed.token}`);
    return next(req, ctx);
  };
}
