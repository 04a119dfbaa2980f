import assert from 'node:assert/strict';
import { SignJWT, type CryptoKey, type JWTPayload, type KeyObject } from 'jose';
import { Metadata } from '../../../lib/metadata/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import type { Handler, Middleware } from '../../../lib/middleware/index.js';
import { ClientContext, runWithContext, type Context, type Header, type Kind } from '../../../lib/transport/index.js';
import { claimsOf, currentClaims } from '../../../lib/auth/index.js';

/** A server-side context as a transport would build it, with `headers` as the request headers. */
export function serverContext(headers: Record<string, string> = {}, kind: Kind = 'http'): Context {
  return {
    kind,
    side: 'server',
    operation: '/helloworld.Greeter/SayHello',
    endpoint: 'http://127.0.0.1:8000',
    requestHeader: new Metadata(headers),
    replyHeader: new Metadata(),
    signal: new AbortController().signal,
    deadline: undefined,
    metadata: new Metadata(),
  };
}

/** A server context carrying `Authorization: Bearer <token>`. */
export function bearer(token: string, kind: Kind = 'http'): Context {
  return serverContext({ authorization: `Bearer ${token}` }, kind);
}

/** An outgoing-call context whose request headers can be read back. */
export function clientContext(request: Header = new Metadata()): ClientContext {
  return new ClientContext('grpc', '/helloworld.Greeter/SayHello', '127.0.0.1:9000', { request, reply: new Metadata() }, undefined);
}

/** What the handler saw: the claims by context and through the ambient call context. */
export interface Seen {
  direct: JWTPayload | undefined;
  ambient: JWTPayload | undefined;
}

const reportClaims: Handler<unknown, Seen> = async (_req, ctx) => ({ direct: claimsOf(ctx), ambient: currentClaims() });

/** Runs `mw` around a handler reporting the claims, inside the context as transports do. */
export function call(mw: Middleware, ctx: Context): Promise<Seen> {
  return runWithContext(ctx, () => mw(reportClaims)({}, ctx) as Promise<Seen>);
}

/** Asserts a 401 UNAUTHORIZED KratosError with exactly `message`. */
export async function rejectsWith(promise: Promise<unknown>, message: string): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof KratosError, `expected a KratosError, got ${String(err)}`);
    assert.equal(err.code, 401);
    assert.equal(err.reason, 'UNAUTHORIZED');
    assert.equal(err.message, message);
    return true;
  });
}

/** Seconds since the epoch, as JWT time claims count them. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Signs `claims` with `alg`; `exp` defaults to one minute from now unless set in `claims`. */
export function signToken(
  claims: JWTPayload,
  alg: string,
  key: CryptoKey | KeyObject | Uint8Array,
  header: Record<string, unknown> = {},
): Promise<string> {
  const jwt = new SignJWT({ exp: nowSeconds() + 60, ...claims }).setProtectedHeader({ ...header, alg }).setIssuedAt();
  return jwt.sign(key);
}

/** An unsigned token, as an attacker would craft it: `{"alg":"none"}.payload.` */
export function unsignedToken(claims: JWTPayload): string {
  const part = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

/** UTF-8 bytes of a string secret. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
