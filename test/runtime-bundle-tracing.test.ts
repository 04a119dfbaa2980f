import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startOtlpReceiver, type OtlpReceiver } from './helpers/otlp-receiver.js';

// The bundled runtime holds the OTel SDK (scripts/bundle-runtime.mjs: dist/lib/tracing/otel-sdk.js as
// a lazy part): an app with tracing must trace from the bundle alone, and one with tracing off must
// never evaluate it. Checked from plain `node` processes (no export condition) the way an app starts,
// with the SDK's packages hidden from require() and V8's coverage telling which bundled parts ran.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const helloworld = join(repo, 'dist', 'samples', 'helloworld');
const run = promisify(execFile);

/** The OTel SDK packages the runtime bundles: a require() of any of them from node_modules fails. */
const BUNDLED_SDK = /^@opentelemetry\/(sdk-trace|sdk-trace-base|sdk-trace-node|context-async-hooks|sdk-node)(\/|$)/;
const HIDE = `const Module = require('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (${BUNDLED_SDK}.test(request)) throw Object.assign(new Error('hidden by the test: ' + request), { code: 'MODULE_NOT_FOUND' });
  return resolveFilename.call(this, request, ...rest);
};
`;

/** Boots the helloworld sample's module with `tracing`, calls it once over HTTP, stops; what it loaded. */
const APP = `import { createRequire } from 'node:module';
const { createApp } = await import('kratos-ts');
const { AppModule } = await import(process.cwd() + '/src/server/app.module.js');
const app = await createApp(AppModule, { name: 'bundle-tracing', version: '0', configDir: process.cwd() + '/configs', signals: [], tracing: JSON.parse(process.env.TRACING) });
await app.start();
const reply = await fetch(app.endpoints[0] + '/helloworld/bundle');
await app.stop();
const packages = new Set(Object.keys(createRequire(process.cwd() + '/').cache).filter((f) => f.includes('/node_modules/@opentelemetry/'))
  .map((f) => f.split('/node_modules/').pop().split('/').slice(0, 2).join('/')));
console.log(JSON.stringify({ status: reply.status, packages: [...packages].sort() }));`;

interface Booted {
  status: number;
  /** @opentelemetry packages require()d from node_modules. */
  packages: string[];
  /** Whether the bundle's OTel SDK part (dist/lib/tracing/otel-sdk.js inside runtime.cjs) was evaluated. */
  sdkEvaluated: boolean;
  /** Bundled modules of @opentelemetry/semantic-conventions' CommonJS build that were evaluated. */
  semconvCjs: string[];
}

describe('the OTel SDK in the bundled runtime', () => {
  let dir: string;
  let receiver: OtlpReceiver;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kratos-bundle-otel-'));
    writeFileSync(join(dir, 'hide-sdk.cjs'), HIDE);
    receiver = await startOtlpReceiver();
  });
  after(async () => {
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function boot(name: string, tracing: unknown): Promise<Booted> {
    const coverage = join(dir, name);
    const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0', LOG_LEVEL: 'warn', TRACING: JSON.stringify(tracing), NODE_V8_COVERAGE: coverage };
    const { stdout } = await run(process.execPath, ['--require', join(dir, 'hide-sdk.cjs'), '--input-type=module', '-e', APP], { cwd: helloworld, env, timeout: 30_000 });
    const booted = JSON.parse(stdout) as Omit<Booted, 'sdkEvaluated'>;
    // V8's precise coverage names each bundled module's body by its path; count 0: never evaluated.
    let sdk: { ranges: { count: number }[] } | undefined;
    const semconvCjs: string[] = [];
    for (const file of readdirSync(coverage)) {
      const scripts = (JSON.parse(readFileSync(join(coverage, file), 'utf8')) as { result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[] }).result;
      const runtime = scripts.find((s) => s.url.endsWith('/dist/bundle/runtime.cjs'));
      sdk ??= runtime?.functions.find((f) => f.functionName === 'dist/lib/tracing/otel-sdk.js');
      for (const f of runtime?.functions ?? []) if (/semantic-conventions\/.*\.cjs$/.test(f.functionName) && (f.ranges[0]?.count ?? 0) > 0) semconvCjs.push(f.functionName);
    }
    assert.ok(sdk !== undefined, 'no coverage of the bundled OTel SDK part: did scripts/bundle-runtime.mjs stop bundling it?');
    return { ...booted, sdkEvaluated: (sdk.ranges[0]?.count ?? 0) > 0, semconvCjs };
  }

  it('should trace a sampled app and export its spans over OTLP with the SDK from the bundle only', async () => {
    receiver.reset();
    const booted = await boot('sampled', { exporter: 'otlp-http', endpoint: `${receiver.url}/v1/traces`, sampleRatio: 1 });
    assert.equal(booted.status, 200);
    assert.equal(booted.sdkEvaluated, true);
    const server = receiver.spans.filter((s) => s.kind === 2 /* SERVER */);
    assert.ok(server.some((s) => s.name.endsWith('/SayHello')), `server spans: ${JSON.stringify(server.map((s) => s.name))}`);
    assert.equal(server[0]?.resource['service.name'], 'bundle-tracing');
    // The SDK comes from its ES module builds: of semantic-conventions only the names it uses, none of
    // the CommonJS build's tables (milliseconds of a traced app's start), and the SDK's own attributes intact.
    assert.deepEqual(booted.semconvCjs, []);
    assert.equal(server[0]?.resource['telemetry.sdk.name'], 'opentelemetry');
    assert.equal(server[0]?.resource['telemetry.sdk.language'], 'nodejs');
    // The OTLP exporter is a package of its own (lazy, outside the bundle) with its own dependencies;
    // none of the SDK packages the bundle holds came from node_modules.
    assert.deepEqual(booted.packages.filter((p) => BUNDLED_SDK.test(p)), []);
    assert.ok(booted.packages.includes('@opentelemetry/exporter-trace-otlp-http'), booted.packages.join());
  });

  it('should export over OTLP http/protobuf from the bundle, spans written as they end (EncodedBatchSpanProcessor)', async () => {
    receiver.reset();
    const booted = await boot('protobuf', { exporter: 'otlp', endpoint: `${receiver.url}/v1/traces`, sampleRatio: 1 });
    assert.equal(booted.status, 200);
    assert.deepEqual(receiver.exports.map((e) => e.contentType), ['application/x-protobuf']);
    const server = receiver.spans.filter((s) => s.kind === 2 /* SERVER */);
    assert.ok(server.some((s) => s.name.endsWith('/SayHello')), `server spans: ${JSON.stringify(server.map((s) => s.name))}`);
    assert.deepEqual(booted.packages.filter((p) => BUNDLED_SDK.test(p)), []);
  });

  it('should not evaluate the bundled SDK nor load any OTel package when tracing is off', async () => {
    const booted = await boot('off', false);
    assert.equal(booted.status, 200);
    assert.equal(booted.sdkEvaluated, false);
    assert.deepEqual(booted.packages, []);
  });
});
