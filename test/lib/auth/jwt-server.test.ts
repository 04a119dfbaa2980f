import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { CompactSign, exportSPKI, generateKeyPair, generateSecret, type CryptoKey } from 'jose';
import { jwtServer, JWT_EXPIRED, JWT_INVALID, JWT_MISSING, JWT_UNPARSABLE, JWT_WRONG_CONTEXT, JWT_WRONG_METHOD } from '../../../lib/auth/index.js';
import { bearer, bytes, call, clientContext, nowSeconds, rejectsWith, serverContext, signToken, unsignedToken } from './fixtures.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const hs256 = jwtServer({ key: SECRET, algorithms: ['HS256'] });
// RSA key generation is the slow part of this file; one pair serves every RSA case.
const rsaPair = generateKeyPair('RS256');

describe('jwtServer', () => {
  describe('having a valid token', () => {
    let rsa: { publicKey: CryptoKey; privateKey: CryptoKey };
    let ec: { publicKey: CryptoKey; privateKey: CryptoKey };
    let ed: { publicKey: CryptoKey; privateKey: CryptoKey };
    before(async () => {
      [rsa, ec, ed] = await Promise.all([rsaPair, generateKeyPair('ES256'), generateKeyPair('EdDSA')]);
    });

    it('should accept HS256 with a string secret and expose the claims', async () => {
      const token = await signToken({ sub: 'alice' }, 'HS256', bytes(SECRET));
      const seen = await call(hs256, bearer(token));
      assert.equal(seen.direct?.sub, 'alice');
      assert.deepEqual(seen.ambient, seen.direct);
    });

    it('should accept HS256 with a generated secret key', async () => {
      const secret = await generateSecret('HS256');
      const seen = await call(jwtServer({ key: secret, algorithms: ['HS256'] }), bearer(await signToken({ sub: 'k' }, 'HS256', secret)));
      assert.equal(seen.direct?.sub, 'k');
    });

    it('should accept RS256, ES256 and EdDSA from one asymmetric list', async () => {
      const pairs = [['RS256', rsa], ['ES256', ec], ['EdDSA', ed]] as const;
      for (const [alg, pair] of pairs) {
        const mw = jwtServer({ key: pair.publicKey, algorithms: ['RS256', 'ES256', 'EdDSA'] });
        const seen = await call(mw, bearer(await signToken({ sub: alg }, alg, pair.privateKey)));
        assert.equal(seen.direct?.sub, alg);
      }
    });

    it('should read the gRPC authorization metadata and a lower-case "bearer"', async () => {
      const token = await signToken({ sub: 'grpc' }, 'HS256', bytes(SECRET));
      const seen = await call(hs256, serverContext({ authorization: `bearer ${token}` }, 'grpc'));
      assert.equal(seen.direct?.sub, 'grpc');
    });

    it('should check issuer and audience when configured', async () => {
      const mw = jwtServer({ key: SECRET, algorithms: ['HS256'], issuer: 'https://idp', audience: ['api', 'web'] });
      const seen = await call(mw, bearer(await signToken({ iss: 'https://idp', aud: 'web' }, 'HS256', bytes(SECRET))));
      assert.equal(seen.direct?.iss, 'https://idp');
    });
  });

  describe('having no token', () => {
    for (const [label, headers] of [
      ['no authorization header', {}],
      ['a Basic authorization', { authorization: 'Basic dXNlcjpwdw==' }],
      ['a bare token without Bearer', { authorization: 'abc.def.ghi' }],
      ['Bearer with nothing after it', { authorization: 'Bearer ' }],
    ] as const) {
      it(`should refuse ${label} as missing`, async () => {
        await rejectsWith(call(hs256, serverContext(headers)), JWT_MISSING);
      });
    }
  });

  describe('having a token with a disallowed algorithm', () => {
    it("should refuse alg 'none' as a wrong signing method", async () => {
      await rejectsWith(call(hs256, bearer(unsignedToken({ sub: 'mallory', exp: nowSeconds() + 60 }))), JWT_WRONG_METHOD);
    });

    it('should refuse RS256 when only HS256 is allowed', async () => {
      const { privateKey } = await rsaPair;
      await rejectsWith(call(hs256, bearer(await signToken({}, 'RS256', privateKey))), JWT_WRONG_METHOD);
    });

    describe('when it is HS256 signed with the RSA public key PEM as secret', () => {
      let publicKey: CryptoKey;
      let forged: string;
      before(async () => {
        ({ publicKey } = await rsaPair);
        forged = await signToken({ sub: 'mallory' }, 'HS256', bytes(await exportSPKI(publicKey)));
      });

      it('should refuse it when RS256 is configured', async () => {
        await rejectsWith(call(jwtServer({ key: publicKey, algorithms: ['RS256'] }), bearer(forged)), JWT_WRONG_METHOD);
      });

      it('should refuse it even when HS256 is listed, because a public key is no HMAC secret', async () => {
        const mw = jwtServer({ keyFunction: () => publicKey, algorithms: ['RS256', 'HS256'] });
        await rejectsWith(call(mw, bearer(forged)), JWT_WRONG_METHOD);
      });
    });
  });

  describe('having a token outside its validity window', () => {
    it('should refuse an expired token', async () => {
      const token = await signToken({ exp: nowSeconds() - 60 }, 'HS256', bytes(SECRET));
      await rejectsWith(call(hs256, bearer(token)), JWT_EXPIRED);
    });

    it('should refuse a token not valid yet', async () => {
      const token = await signToken({ nbf: nowSeconds() + 60 }, 'HS256', bytes(SECRET));
      await rejectsWith(call(hs256, bearer(token)), JWT_EXPIRED);
    });

    it('should accept a token expired 2 s ago within the default 5 s tolerance', async () => {
      const token = await signToken({ sub: 'late', exp: nowSeconds() - 2 }, 'HS256', bytes(SECRET));
      assert.equal((await call(hs256, bearer(token))).direct?.sub, 'late');
    });

    it('should refuse it with a zero tolerance', async () => {
      const token = await signToken({ exp: nowSeconds() - 2 }, 'HS256', bytes(SECRET));
      await rejectsWith(call(jwtServer({ key: SECRET, algorithms: ['HS256'], clockTolerance: 0 }), bearer(token)), JWT_EXPIRED);
    });
  });

  describe('having a token that does not verify', () => {
    it('should refuse a bad signature as invalid', async () => {
      const token = await signToken({}, 'HS256', bytes('another-secret-of-at-least-32-bytes!!'));
      await rejectsWith(call(hs256, bearer(token)), JWT_INVALID);
    });

    it('should refuse a wrong issuer as invalid', async () => {
      const mw = jwtServer({ key: SECRET, algorithms: ['HS256'], issuer: 'https://idp' });
      await rejectsWith(call(mw, bearer(await signToken({ iss: 'https://evil' }, 'HS256', bytes(SECRET)))), JWT_INVALID);
    });

    it('should refuse a wrong audience as invalid', async () => {
      const mw = jwtServer({ key: SECRET, algorithms: ['HS256'], audience: 'api' });
      await rejectsWith(call(mw, bearer(await signToken({ aud: 'other' }, 'HS256', bytes(SECRET)))), JWT_INVALID);
    });

    it('should refuse a signed payload that is not a claims set as invalid', async () => {
      const token = await new CompactSign(bytes('not json')).setProtectedHeader({ alg: 'HS256' }).sign(bytes(SECRET));
      await rejectsWith(call(hs256, bearer(token)), JWT_INVALID);
    });

    it('should refuse a token whose key lookup fails as invalid', async () => {
      const mw = jwtServer({ keyFunction: () => Promise.reject(new Error('unknown kid')), algorithms: ['HS256'] });
      await rejectsWith(call(mw, bearer(await signToken({}, 'HS256', bytes(SECRET)))), JWT_INVALID);
    });
  });

  describe('having a token that is not a JWT', () => {
    for (const garbage of ['garbage', 'a.b', '!!!.@@@.###', `${Buffer.from('[1]').toString('base64url')}.e30.x`]) {
      it(`should refuse ${JSON.stringify(garbage)} as unparsable`, async () => {
        await rejectsWith(call(hs256, bearer(garbage)), JWT_UNPARSABLE);
      });
    }
  });

  describe('when called on a client context', () => {
    it('should refuse with the wrong-context message', async () => {
      await rejectsWith(call(hs256, clientContext()), JWT_WRONG_CONTEXT);
    });
  });
});
