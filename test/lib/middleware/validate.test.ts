import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Metadata } from '../../../lib/metadata/index.js';
import { FrameworkError, KratosError } from '../../../lib/errors/index.js';
import { fromStandardSchema, validate } from '../../../lib/middleware/validate/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { type Context } from '../../../lib/transport/index.js';

const ctx: Context = {
  kind: 'http', side: 'server', operation: '/x', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
};
const echo: Handler = async (req) => req;

describe('validate', () => {
  describe('having a zod schema', () => {
    const schema = z.object({ name: z.string().min(3), age: z.number().int().min(0), tags: z.array(z.string()).max(2).optional() });
    const run = (req: unknown) => validate(fromStandardSchema(schema))(echo)(req, ctx);

    it('should pass a valid request to the handler, with the schema output', async () => {
      assert.deepEqual(await run({ name: 'kratos', age: 3, extra: 1 }), { name: 'kratos', age: 3 });
    });

    it('should answer 400 VALIDATOR naming every failing field in the message and metadata', async () => {
      const err = (await run({ name: 'k', age: -1, tags: ['a', 'b', 'c'] }).catch((e: unknown) => e)) as KratosError;
      assert.ok(KratosError.isKratosError(err));
      assert.equal(err.code, 400);
      assert.equal(err.reason, 'VALIDATOR');
      assert.match(err.message, /^invalid request: /);
      for (const f of ['name', 'age', 'tags']) {
        assert.ok(err.message.includes(`${f}: `), err.message);
        assert.ok(err.metadata[f] !== undefined, f);
      }
    });
  });

  describe('having a hand-written Standard Schema', () => {
    it('should support async validators and whole-request issues', async () => {
      const schema = { '~standard': { version: 1 as const, vendor: 'test', validate: async (v: unknown) => (v === 'ok' ? { value: v } : { issues: [{ message: 'not ok' }] }) } };
      assert.equal(await validate(fromStandardSchema(schema))(echo)('ok', ctx), 'ok');
      const err = (await validate(fromStandardSchema(schema))(echo)('bad', ctx).catch((e: unknown) => e)) as KratosError;
      assert.deepEqual(err.toJSON(), { code: 400, reason: 'VALIDATOR', message: 'invalid request: not ok', metadata: { _: 'not ok' } });
    });
  });

  describe('fromStandardSchema', () => {
    it('should refuse something that is not a Standard Schema', () => {
      assert.throws(() => fromStandardSchema({} as never), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
    });
  });
});
