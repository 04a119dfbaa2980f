import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { Metadata } from '../../../lib/call-metadata/index.js';
import { claimsOf, currentClaims, jwtClient, jwtServer } from '../../../lib/auth/index.js';
import { FrameworkError, KratosError } from '../../../lib/errors/index.js';
import type { Handler } from '../../../lib/middleware/index.js';
import { MapHeader, runWithContext, type Context } from '../../../lib/transport/index.js';

const secret = 'a-very-long-hmac-secret-for-tests-only!!';
const hs = new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

function ctxWith(auth?: string): Context {
  return {
    kind: 'http', side: 'server', operation: '/x', endpoint: '', requestHeader: new MapHeader(auth === undefined ? {} : { authorization: auth }),
    replyHeader: new MapHeader(), signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

const handler: Handler = async (_req, ctx) => ({ claims: claimsOf(ctx), current: currentClaims() });

async function call(mw: ReturnType<typeof jwtServer>, auth?: string): Promise<unknown> {
  const ctx = ctxWith(auth);
  return runWithContext(ctx, () => mw(handler)({}, ctx));
}

async function rejects(p: Promise<unknown>, message: string): Promise<void> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(KratosError.isKratosError(err), `expected a 401, got ${String(err)}`);
  assert.deepEqual([err.code, err.reason, err.message], [401, 'UNAUTHORIZED', message]);
}

const sign = (claims: Record<string, unknown>, alg: string, key: Parameters<SignJWT['sign']>[0]) => new SignJWT(claims).setProtectedHeader({ alg }).sign(key);

describe('jwtServer', () => {
  describe('having valid tokens', () => {
    it('should accept HS256 and put the claims on the call', async () => {
      const token = await sign({ sub: 'alice', exp: now() + 60 }, 'HS256', hs);
      const r = (await call(jwtServer({ key: secret, algorithms: ['HS256'] }), `Bearer ${token}`)) as { claims: { sub: string }; current: { sub: string } };
      assert.equal(r.claims.sub, 'alice');
      assert.equal(r.current.sub, 'alice');
    });

    for (const alg of ['RS256', 'ES256', 'EdDSA']) {
      it(`should accept ${alg}`, async () => {
        const { publicKey, privateKey } = await generateKeyPair(alg);
        const token = await sign({ sub: alg }, alg, privateKey);
        const r = (await call(jwtServer({ key: publicKey, algorithms: [alg] }), `bearer ${token}`)) as { claims: { sub: string } };
        assert.equal(r.claims.sub, alg);
      });
    }

    it('should accept tokens from a JWKS URL', async () => {
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const jwk: JWK = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' };
      const server: Server = createServer((_req, res) => res.end(JSON.stringify({ keys: [jwk] })));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const token = await new SignJWT({ sub: 'jwks' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
        const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
        const r = (await call(jwtServer({ jwksUrl: url, algorithms: ['ES256'] }), `Bearer ${token}`)) as { claims: { sub: string } };
        assert.equal(r.claims.sub, 'jwks');
      } finally {
        server.close();
      }
    });

    it('should allow a small leeway on exp', async () => {
      const token = await sign({ exp: now() - 2 }, 'HS256', hs);
      await call(jwtServer({ key: secret, algorithms: ['HS256'] }), `Bearer ${token}`);
    });
  });

  describe('having bad tokens', () => {
    const mw = () => jwtServer({ key: secret, algorithms: ['HS256'], issuer: 'shop', audience: 'api' });

    it('should refuse a missing header or scheme', async () => {
      await rejects(call(mw()), 'JWT token is missing');
      await rejects(call(mw(), 'Basic abc'), 'JWT token is missing');
    });

    it("should refuse alg 'none'", async () => {
      const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
      await rejects(call(mw(), `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'x', iss: 'shop', aud: 'api' })}.`), 'Wrong signing method');
    });

    it('should refuse an algorithm that is not configured, and HS/RS confusion', async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      await rejects(call(mw(), `Bearer ${await sign({ iss: 'shop', aud: 'api' }, 'RS256', privateKey)}`), 'Wrong signing method');
      // The attacker signs HS256 with the server's public key as the secret: refused because only RS256 is allowed.
      const pem = new TextEncoder().encode(await exportSPKI(publicKey));
      const forged = await sign({ sub: 'mallory' }, 'HS256', pem);
      await rejects(call(jwtServer({ key: publicKey, algorithms: ['RS256'] }), `Bearer ${forged}`), 'Wrong signing method');
    });

    it('should refuse expired and not-yet-valid tokens', async () => {
      await rejects(call(mw(), `Bearer ${await sign({ iss: 'shop', aud: 'api', exp: now() - 60 }, 'HS256', hs)}`), 'JWT token has expired');
      await rejects(call(mw(), `Bearer ${await sign({ iss: 'shop', aud: 'api', nbf: now() + 60 }, 'HS256', hs)}`), 'JWT token has expired');
    });

    it('should refuse a bad signature, a wrong issuer or audience, and garbage', async () => {
      const good = await sign({ iss: 'shop', aud: 'api' }, 'HS256', hs);
      await rejects(call(mw(), `Bearer ${good.slice(0, -3)}abc`), 'Token is invalid');
      await rejects(call(mw(), `Bearer ${await sign({ iss: 'other', aud: 'api' }, 'HS256', hs)}`), 'Token is invalid');
      await rejects(call(mw(), `Bearer ${await sign({ iss: 'shop', aud: 'web' }, 'HS256', hs)}`), 'Token is invalid');
      await rejects(call(mw(), 'Bearer not.a.jwt'), 'Fail to parse JWT token ');
    });
  });

  describe('options', () => {
    it('should need exactly one key source and an algorithm list without none', () => {
      const coded = (e: unknown) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID';
      assert.throws(() => jwtServer({ algorithms: ['HS256'] }), coded);
      assert.throws(() => jwtServer({ key: secret, jwksUrl: 'http://x', algorithms: ['HS256'] }), coded);
      assert.throws(() => jwtServer({ key: secret, algorithms: [] }), coded);
      assert.throws(() => jwtServer({ key: secret, algorithms: ['none'] }), coded);
    });
  });
});

describe('jwtClient', () => {
  it('should send a token the server accepts, reusing it across calls', async () => {
    const client = jwtClient({ key: secret, algorithm: 'HS256', claims: { sub: 'billing' } });
    const server = jwtServer({ key: secret, algorithms: ['HS256'] });
    const tokens: string[] = [];
    const hop: Handler = async (req, ctx) => {
      tokens.push(ctx.requestHeader.get('authorization') ?? '');
      const sctx = ctxWith(ctx.requestHeader.get('authorization'));
      return server(handler)(req, sctx);
    };
    const r1 = (await client(hop)({}, ctxWith())) as { claims: { sub: string } };
    await client(hop)({}, ctxWith());
    assert.equal(r1.claims.sub, 'billing');
    assert.equal(tokens[0], tokens[1]);
  });

  it('should fail with 401 when the key cannot sign', async () => {
    const { publicKey } = await generateKeyPair('RS256');
    await rejects(jwtClient({ key: publicKey, algorithm: 'RS256' })(async () => null)({}, ctxWith()), 'Can not sign token.Is the key correct?');
  });
});
