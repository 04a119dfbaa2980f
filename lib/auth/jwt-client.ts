import { SignJWT, type JWTPayload } from 'jose';
import { KratosError } from '../errors/index.js';
import type { Middleware } from '../middleware/index.js';
import type { JwtKey } from './jwt-server.js';

/** Options of {@link jwtClient}. */
export interface JwtClientOptions {
  key: JwtKey;
  /** Signing algorithm, e.g. 'HS256', 'RS256', 'ES256', 'EdDSA'. */
  algorithm: string;
  /** Claims of each token, or a function giving them. */
  claims?: JWTPayload | (() => JWTPayload | Promise<JWTPayload>);
  /** Token lifetime: seconds or a jose time span ('5m'). Default '5m'. */
  expiresIn?: string | number;
  /** Extra protected header fields (kid, ...). */
  header?: Record<string, unknown>;
}

const SIGN_FAILED = 'Can not sign token.Is the key correct?';

/**
 * Client middleware (§6): signs a token and sends `authorization: Bearer <token>`. A token is reused
 * until a minute before it expires, unless claims come from a function (then one per call).
 */
export function jwtClient(options: JwtClientOptions): Middleware {
  const key = typeof options.key === 'string' ? new TextEncoder().encode(options.key) : options.key;
  let cached: { token: string; until: number } | undefined;
  const sign = async (): Promise<string> => {
    const claims = typeof options.claims === 'function' ? await options.claims() : (options.claims ?? {});
    const expiresIn = options.expiresIn ?? '5m';
    return new SignJWT(claims)
      .setProtectedHeader({ ...(options.header ?? {}), alg: options.algorithm })
      .setIssuedAt()
      .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn)
      .sign(key);
  };
  return (next) => async (req, ctx) => {
    let token: string;
    if (typeof options.claims !== 'function' && cached !== undefined && cached.until > Date.now()) token = cached.token;
    else {
      try {
        token = await sign();
      } catch (err) {
        throw new KratosError(401, 'UNAUTHORIZED', SIGN_FAILED, {}, err);
      }
      const exp = (JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')) as { exp?: number }).exp;
      if (typeof options.claims !== 'function' && exp !== undefined) cached = { token, until: exp * 1000 - 60_000 };
    }
    ctx.requestHeader.set('authorization', `Bearer ${token}`);
    return next(req, ctx);
  };
}
