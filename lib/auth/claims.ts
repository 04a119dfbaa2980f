import type { JWTPayload } from 'jose';
import { currentContext, type Context } from '../transport/index.js';

const claims = new WeakMap<Context, JWTPayload>();

/** @internal records the verified claims of a call */
export function setClaims(ctx: Context, payload: JWTPayload): void {
  claims.set(ctx, payload);
}

/** The verified JWT claims of a call, set by jwtServer. */
export function claimsOf(ctx: Context): JWTPayload | undefined {
  return claims.get(ctx);
}

/** The verified JWT claims of the call being served, anywhere below its handler. */
export function currentClaims(): JWTPayload | undefined {
  const ctx = currentContext();
  return ctx === undefined ? undefined : claims.get(ctx);
}
