import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CacheAside, MemoryCache } from '../../../../lib/cache/index.js';
import { repositoryMethods } from '../../../../lib/tools/codegen/index.js';
import { repoPath } from '../../../helpers/echo-service.js';

const cli = fileURLToPath(new URL('../../../../lib/tools/cli/main.js', import.meta.url));
const lib = fileURLToPath(new URL('../../../../lib/index.js', import.meta.url));

const REPO = `export interface User { id: string; name: string }

/** Users, wherever they are kept. */
export interface UserRepo {
  findUser(id: string): Promise<User | undefined>;
  listUsers(page: number, size: number): Promise<User[]>;
  rename(id: string, name: string): Promise<void>;
}
`;

describe('kratos-ts gen cache', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'kratos-gen-cache-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should read the async methods of an interface or abstract class', () => {
    assert.deepEqual(repositoryMethods(REPO, 'UserRepo', 'repo.ts').map((m) => [m.name, m.params.map((p) => p.name), m.returns]), [
      ['findUser', ['id'], 'User | undefined'],
      ['listUsers', ['page', 'size'], 'User[]'],
      ['rename', ['id', 'name'], 'void'],
    ]);
    const abstract = 'export abstract class GreeterRepo {\n  abstract find(name: string): Promise<Greeter | undefined>;\n}';
    assert.deepEqual(repositoryMethods(abstract, 'GreeterRepo', 'g.ts').map((m) => m.name), ['find']);
    assert.throws(() => repositoryMethods(REPO, 'Nope', 'repo.ts'), /repo\.ts: no interface or class named Nope/);
  });

  it('should write a wrapper that compiles, caches reads and evicts them on writes', async () => {
    writeFileSync(join(dir, 'repo.ts'), REPO);
    execFileSync(process.execPath, [cli, 'gen', 'cache', join(dir, 'repo.ts'), '--type', 'UserRepo'], { cwd: dir });
    const generated = readFileSync(join(dir, 'repo.cache.ts'), 'utf8');
    assert.match(generated, /export class CachedUserRepo implements UserRepo/);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', strict: true, outDir: 'out', rootDir: '.', skipLibCheck: true, paths: { 'kratos-ts': [lib.replace(/\.js$/, '.d.ts')], 'kratos-ts/cache': [lib.replace(/index\.js$/, 'entries/cache.d.ts')] } }, include: ['repo.ts', 'repo.cache.ts'] }),
    );
    writeFileSync(join(dir, 'package.json'), '{ "type": "module" }');
    execFileSync(process.execPath, [repoPath('node_modules/typescript/bin/tsc'), '-p', dir], { cwd: dir });
    const { CachedUserRepo } = (await import(join(dir, 'out', 'repo.cache.js'))) as { CachedUserRepo: new (inner: unknown, aside: CacheAside) => Record<string, (...a: unknown[]) => Promise<unknown>> };
    const calls: string[] = [];
    const names = new Map([['1', 'Ada']]);
    const inner = {
      findUser: async (id: string) => (calls.push(`find ${id}`), names.has(id) ? { id, name: names.get(id) } : undefined),
      listUsers: async () => (calls.push('list'), []),
      rename: async (id: string, name: string) => void (calls.push(`rename ${id}`), names.set(id, name)),
    };
    const repo = new CachedUserRepo(inner, new CacheAside({ cache: new MemoryCache() }));
    assert.deepEqual(await repo['findUser']?.('1'), { id: '1', name: 'Ada' });
    assert.deepEqual(await repo['findUser']?.('1'), { id: '1', name: 'Ada' });
    await repo['rename']?.('1', 'Grace');
    assert.deepEqual(await repo['findUser']?.('1'), { id: '1', name: 'Grace' });
    assert.deepEqual(calls, ['find 1', 'rename 1', 'find 1']);
  });
});
