import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };

/** Whether `entry` (e.g. `kratos-ts/http`) offers `name`, as a value or as a type. */
async function offers(entry: string, name: string): Promise<boolean> {
  const mod = (await import(entry)) as Record<string, unknown>;
  if (name in mod) return true;
  const target = pkg.exports[`.${entry.slice('kratos-ts'.length)}`];
  if (typeof target !== 'object') return false;
  const dts = readFileSync(join(repo, target.types), 'utf8');
  return new RegExp(`\\b${name}\\b`).test(dts);
}

/** The rows of the README's migration table: names and the entry they moved to. */
function migrationRows(): { names: string[]; entry: string }[] {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('### Migrating from 0.1'), readme.indexOf('## Development'));
  return [...table.matchAll(/^\| (`[^|]+`) \| the same names from `(kratos-ts\/[a-z]+)` \|$/gm)].map((m) => ({
    names: [...(m[1] as string).matchAll(/`(\w+)`/g)].map((n) => n[1] as string),
    entry: m[2] as string,
  }));
}

describe('the package entries', () => {
  it('should point every subpath export at a built file', () => {
    for (const [subpath, target] of Object.entries(pkg.exports)) {
      const files = typeof target === 'string' ? [target] : [target.types, target.default];
      for (const f of files) assert.ok(existsSync(join(repo, f)), `${subpath} -> ${f}`);
    }
  });

  it('should offer every name that API.md fixes from the entry it names', async () => {
    for (const name of ['createApp', 'errors', 'Logger', 'Handler', 'Context', 'createGrpcClient', 'createHttpClient', 'token', 'Middleware', 'selector']) {
      assert.ok(await offers('kratos-ts', name), `kratos-ts lacks ${name}`);
    }
    for (const name of ['Module', 'Service', 'Rpc', 'Http', 'Get', 'Post', 'Put', 'Patch', 'Delete', 'Middleware', 'UseMiddleware', 'Inject', 'Optional']) {
      assert.ok(await offers('kratos-ts/decorators', name), `kratos-ts/decorators lacks ${name}`);
    }
    assert.ok(await offers('kratos-ts/testing', 'createTestApp'));
  });

  it('should offer every moved name where the README migration table says', async () => {
    const rows = migrationRows();
    assert.ok(rows.length >= 10, 'the migration table was not found');
    for (const { names, entry } of rows) {
      for (const name of names) assert.ok(await offers(entry, name), `${entry} lacks ${name}`);
    }
  });

  it('should keep the root entry free of what moved', async () => {
    const rootEntry = (await import('kratos-ts')) as Record<string, unknown>;
    for (const name of ['HttpServer', 'GrpcServer', 'circuitBreaker', 'CacheAside', 'jwtServer', 'MapHeader']) assert.equal(name in rootEntry, false, name);
  });
});
