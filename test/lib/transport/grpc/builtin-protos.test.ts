import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// The protos kratos-ts ships for gRPC health and reflection are parsed when a server first serves them,
// not when kratos-ts is imported: an HTTP-only app reads none of them. Checked from a plain `node`
// process importing the bundled package as an app does, with every file read recorded.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', '..');
const helloworld = join(repo, 'dist', 'samples', 'helloworld');
const run = promisify(execFile);

const APP = `import { createRequire } from 'node:module';
const fs = createRequire(import.meta.url)('node:fs');
const read = fs.readFileSync;
const protos = [];
fs.readFileSync = function (path, ...rest) {
  if (/grpc\\/(health|reflection)\\//.test(String(path))) protos.push(String(path).replace(/^.*\\/grpc\\//, 'grpc/'));
  return read.call(this, path, ...rest);
};
const { createApp } = await import('kratos-ts');
const afterImport = [...protos];
const { AppModule } = await import(process.cwd() + '/src/server/app.module.js');
const grpc = JSON.parse(process.env.GRPC);
const app = await createApp(AppModule, { name: 'protos', version: '0', configDir: process.cwd() + '/configs', signals: [], ...(grpc ? {} : { grpc: false }) });
await app.start();
const reply = await fetch(app.endpoints[0] + '/helloworld/protos');
await app.stop();
console.log(JSON.stringify({ status: reply.status, afterImport, protos }));`;

async function boot(grpc: boolean): Promise<{ status: number; afterImport: string[]; protos: string[] }> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0', LOG_LEVEL: 'warn', GRPC: JSON.stringify(grpc) };
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', APP], { cwd: helloworld, env, timeout: 30_000 });
  return JSON.parse(stdout) as { status: number; afterImport: string[]; protos: string[] };
}

describe('the health and reflection protos kratos-ts ships', () => {
  it('should not be read by importing kratos-ts, nor by an app without a gRPC server', async () => {
    const booted = await boot(false);
    assert.equal(booted.status, 200);
    assert.deepEqual(booted.afterImport, []);
    assert.deepEqual(booted.protos, []);
  });

  it('should be read once each when the app serves gRPC', async () => {
    const booted = await boot(true);
    assert.equal(booted.status, 200);
    assert.deepEqual(booted.afterImport, []);
    assert.deepEqual([...booted.protos].sort(), ['grpc/health/v1/health.proto', 'grpc/reflection/v1/reflection.proto', 'grpc/reflection/v1alpha/reflection.proto']);
  });
});
