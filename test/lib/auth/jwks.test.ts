import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { jwtServer, JWT_INVALID, JWT_WRONG_METHOD } from '../../../lib/auth/index.js';
import { bearer, call, rejectsWith, signToken } from './fixtures.js';

describe('jwtServer', () => {
  describe('having a jwksUrl', () => {
    let server: Server;
    let url: string;
    let privateKey: CryptoKey;
    let fetches = 0;

    before(async () => {
      const pair = await generateKeyPair('ES256');
      privateKey = pair.privateKey;
      const jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' }] };
      server = createServer((_req, res) => {
        fetches++;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(jwks));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    });

    after(() => {
      server.closeAllConnections();
      server.close();
    });

    it('should accept a token signed by a published key, fetching the set once', async () => {
      const mw = jwtServer({ jwksUrl: url, algorithms: ['ES256'] });
      for (const sub of ['a', 'b']) {
        const seen = await call(mw, bearer(await signToken({ sub }, 'ES256', privateKey, { kid: 'k1' })));
        assert.equal(seen.direct?.sub, sub);
      }
      assert.equal(fetches, 1);
    });

    it('should refuse a token whose kid is not published as invalid', async () => {
      const mw = jwtServer({ jwksUrl: url, algorithms: ['ES256'] });
      const { privateKey: stranger } = await generateKeyPair('ES256');
      await rejectsWith(call(mw, bearer(await signToken({}, 'ES256', stranger, { kid: 'k2' }))), JWT_INVALID);
    });

    it('should refuse an algorithm outside the list before fetching anything', async () => {
      const before = fetches;
      const mw = jwtServer({ jwksUrl: url, algorithms: ['RS256'] });
      await rejectsWith(call(mw, bearer(await signToken({}, 'ES256', privateKey, { kid: 'k1' }))), JWT_WRONG_METHOD);
      assert.equal(fetches, before);
    });
  });
});
