import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { claimsOf, currentClaims, jwtServer, JWT_INVALID } from '../../../lib/auth/index.js';
import { bearer, bytes, call, rejectsWith, serverContext, signToken } from './fixtures.js';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';

describe('claimsOf', () => {
  describe('having a context jwtServer did not run for', () => {
    it('should give undefined', () => {
      assert.equal(claimsOf(serverContext()), undefined);
    });
  });

  describe('having a verified call', () => {
    it('should not put the claims in the propagated metadata', async () => {
      const ctx = bearer(await signToken({ sub: 'alice' }, 'HS256', bytes(SECRET)));
      await call(jwtServer({ key: SECRET, algorithms: ['HS256'] }), ctx);
      assert.equal(claimsOf(ctx)?.sub, 'alice');
      assert.deepEqual(ctx.metadata.keys(), []);
    });
  });
});

describe('currentClaims', () => {
  describe('when called outside a call', () => {
    it('should give undefined', () => {
      assert.equal(currentClaims(), undefined);
    });
  });
});

describe('jwtServer', () => {
  describe('having a claimsSchema', () => {
    const schema = z.object({ sub: z.string(), role: z.enum(['admin', 'user']) });
    const mw = jwtServer({ key: SECRET, algorithms: ['HS256'], claimsSchema: schema });

    it("should expose the schema's output as the claims", async () => {
      const seen = await call(mw, bearer(await signToken({ sub: 'alice', role: 'admin' }, 'HS256', bytes(SECRET))));
      assert.deepEqual(seen.direct, { sub: 'alice', role: 'admin' });
      assert.deepEqual(seen.ambient, seen.direct);
    });

    it('should refuse claims the schema rejects as invalid', async () => {
      await rejectsWith(call(mw, bearer(await signToken({ sub: 'alice', role: 'root' }, 'HS256', bytes(SECRET)))), JWT_INVALID);
    });
  });
});
