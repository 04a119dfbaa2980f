import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { FrameworkError } from '../../../lib/errors/index.js';
import { ProtoLoader } from '../../../lib/proto/index.js';

const fixture = (p: string): string => fileURLToPath(new URL(`../../../../test/fixtures/proto/${p}`, import.meta.url));

const invalid = (...parts: string[]) => (e: unknown): boolean => {
  assert.ok(FrameworkError.isFrameworkError(e), String(e));
  assert.equal(e.code, 'KRATOS_ERR_PROTO_INVALID');
  for (const p of parts) assert.ok(e.message.includes(p), `'${p}' not in: ${e.message}`);
  return true;
};

describe('ProtoLoader', () => {
  describe('.load', () => {
    it('should name the imported file and line when the syntax error is in an import', async () => {
      await assert.rejects(new ProtoLoader().load(fixture('broken/imports-syntax.proto')), invalid('broken/syntax.proto:9:'));
    });

    it('should name the import as written and where it was looked for', async () => {
      await assert.rejects(
        new ProtoLoader({ includeDirs: [fixture('include')] }).load(fixture('broken/missing-import.proto')),
        invalid("missing-import.proto: import 'nowhere/missing.proto' not found", fixture('include')),
      );
    });

    it('should search user include dirs before the bundled protos', async () => {
      const own = await new ProtoLoader({ includeDirs: [fixture('shadow')] }).load(fixture('uses-status.proto'));
      assert.ok(own.lookupType('google.rpc.Status').fields['shadowed']);
      const bundled = await new ProtoLoader().load(fixture('uses-status.proto'));
      assert.ok(bundled.lookupType('google.rpc.Status').fields['details']);
    });
  });
});
