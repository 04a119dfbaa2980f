import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../../../', import.meta.url));
const cli = join(repo, 'dist', 'lib', 'tools', 'cli', 'main.js');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { cwd: repo, encoding: 'utf8' });

describe('kratos-ts proto client --target browser', () => {
  it('should write one <name>.web.ts per proto, the same file the streaming sample ships', () => {
    const out = mkdtempSync(join(tmpdir(), 'kratos-cli-web-'));
    try {
      const r = run(['proto', 'client', 'samples/streaming/api/chat/v1/chat.proto', '--target', 'browser', '-o', out]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(readdirSync(out), ['chat.web.ts']);
      assert.equal(readFileSync(join(out, 'chat.web.ts'), 'utf8'), readFileSync(join(repo, 'samples/streaming/web/chat.web.ts'), 'utf8'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('should refuse an unknown target, naming the ones it knows', () => {
    const r = run(['proto', 'client', 'samples/streaming/api/chat/v1/chat.proto', '--target', 'deno']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /--target deno: want node or browser/);
  });
});
