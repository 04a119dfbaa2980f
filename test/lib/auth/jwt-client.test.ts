import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { jwtClient, jwtServer, JWT_SIGN_FAILED, JWT_WRONG_CONTEXT, type JwtClientOptions } from '../../../lib/auth/index.js';
import type { Handler } from '../../../lib/middleware/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { bearer, call, clientContext, nowSeconds, rejectsWith, serverContext, type Seen } from './fixtures.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';

/** Sends calls through `jwtClient`; each "hop" hands the authorization header to `jwtServer`. */
function roundTrip(options: JwtClientOptions, server = jwtServer({ key: options.key, algorithms: [options.algorithm] })) {
  const sent: string[] = [];
  const hop: Handler<unknown, Seen> = async (_req, ctx) => {
    const auth = ctx.requestHeader.get('authorization') ?? '';
    sent.push(auth);
    return call(server, serverContext({ authorization: auth }, 'grpc'));
  };
  const client = jwtClient(options)(hop);
  return { sent, send: (): Promise<Seen> => client({}, clientContext()) as Promise<Seen> };
}

describe('jwtClient', () => {
  describe('having static claims', () => {
    it('should send a Bearer token the server accepts', async () => {
      const { sent, send } = roundTrip({ key: SECRET, algorithm: 'HS256', claims: { sub: 'billing' } });
      const seen = await send();
      assert.equal(seen.direct?.sub, 'billing');
      assert.match(sent[0] ?? '', /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    });

    it('should reuse one token across calls', async () => {
      // ECDSA signatures are randomised, so equal headers can only come from the cache.
      const { publicKey, privateKey } = await generateKeyPair('ES256');
      const server = jwtServer({ key: publicKey, algorithms: ['ES256'] });
      const { sent, send } = roundTrip({ key: privateKey, algorithm: 'ES256', claims: { sub: 'cached' } }, server);
      await Promise.all([send(), send()]);
      await send();
      assert.equal(sent.length, 3);
      assert.equal(new Set(sent).size, 1);
    });

    it('should set alg, typ, extra header fields, iat and a 5 minute exp by default', async () => {
      const { sent, send } = roundTrip({ key: SECRET, algorithm: 'HS256', header: { kid: 'k1', alg: 'none' } });
      await send();
      const token = (sent[0] ?? '').slice('Bearer '.length);
      assert.deepEqual(decodeProtectedHeader(token), { typ: 'JWT', kid: 'k1', alg: 'HS256' });
      const { iat, exp } = decodeJwt(token);
      assert.equal(typeof iat, 'number');
      assert.equal((exp ?? 0) - (iat ?? 0), 300);
    });

    it('should take expiresIn as seconds', async () => {
      const { sent, send } = roundTrip({ key: SECRET, algorithm: 'HS256', expiresIn: 42 });
      await send();
      const exp = decodeJwt((sent[0] ?? '').slice(7)).exp ?? 0;
      assert.ok(Math.abs(exp - (nowSeconds() + 42)) <= 1);
    });
  });

  describe('having a claims function', () => {
    it('should sign fresh claims for every call', async () => {
      let n = 0;
      const { sent, send } = roundTrip({ key: SECRET, algorithm: 'HS256', claims: async () => ({ sub: `call-${++n}` }) });
      assert.equal((await send()).direct?.sub, 'call-1');
      assert.equal((await send()).direct?.sub, 'call-2');
      assert.notEqual(sent[0], sent[1]);
    });
  });

  describe('when the key cannot sign', () => {
    it('should fail with 401 and Kratos message', async () => {
      const { publicKey } = await generateKeyPair('ES256');
      await rejectsWith(jwtClient({ key: publicKey, algorithm: 'ES256' })(async () => null)({}, clientContext()), JWT_SIGN_FAILED);
    });

    it('should fail when the claims function throws, and recover on the next call', async () => {
      let fail = true;
      const claims = (): { sub: string } => {
        if (fail) throw new Error('no identity');
        return { sub: 'ok' };
      };
      const mw = jwtClient({ key: SECRET, algorithm: 'HS256', claims });
      const headers = new Metadata();
      await rejectsWith(mw(async () => null)({}, clientContext(headers)), JWT_SIGN_FAILED);
      assert.equal(headers.get('authorization'), undefined);
      fail = false;
      await mw(async () => null)({}, clientContext(headers));
      assert.match(headers.get('authorization') ?? '', /^Bearer /);
    });
  });

  describe('when called on a server context', () => {
    it('should refuse with the wrong-context message', async () => {
      await rejectsWith(jwtClient({ key: SECRET, algorithm: 'HS256' })(async () => null)({}, bearer('x')), JWT_WRONG_CONTEXT);
    });
  });
});
