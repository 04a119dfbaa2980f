import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createTestApp } from '../../../lib/testing/index.js';

// Relative to the project root (this repository: the nearest package.json above the test file).
@Service({ proto: 'test/fixtures/proto/paths/v1/paths.proto', name: 'paths.v1.Paths' })
class Paths {
  @Rpc() async list(req: Record<string, unknown>) { return req; }
}
@Module({ services: [Paths] }) class M {}

describe('createTestApp protoPaths', () => {
  it('should resolve relative proto files and protoPaths against the project root, whatever the working directory', async () => {
    const cwd = process.cwd();
    process.chdir(tmpdir());
    try {
      const t = await createTestApp(M, { protoPaths: ['test/fixtures/proto/include'] });
      try {
        const res = await fetch(`${t.httpUrl}/v1/paths?size=5`);
        assert.equal(res.status, 200);
        assert.equal(((await res.json()) as { size: number }).size, 5);
      } finally {
        await t.close();
      }
    } finally {
      process.chdir(cwd);
    }
  });
});
