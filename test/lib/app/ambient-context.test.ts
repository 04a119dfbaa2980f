// `ambientContext: false`: handlers run as plain calls, so no AsyncLocalStorage is ever entered and
// Node's async hooks stay off for the whole process, while routes, rpcs, streams, middleware, errors,
// metrics and health work as before. Each app runs in a process of its own (the test runner's
// process may have hooks on for its own reasons), the same fixture with the context on as the contrast.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { repoPath } from '../../helpers/grpc-web-peer.js';

interface Run {
  results: Record<string, unknown>;
  seen: Record<string, boolean | string>;
  operations: string[];
  entered: string[];
  promisesWithHooks: boolean;
  hooksNow: boolean;
}

async function runApp(mode: 'on' | 'off'): Promise<Run> {
  const script = fileURLToPath(new URL('../../fixtures/apps/ambient-context.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, mode], { timeout: 20_000, cwd: repoPath() });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Run;
}

const SERVED = {
  hello: [200, { message: 'hello ts', operation: '/hello/{name}' }],
  teapot: [418, 'TEAPOT'],
  crash: [500, 'UNKNOWN'],
  ndjson: 2,
  // One gRPC-Web message frame: Tick { n: 7 }.
  grpcWeb: [0, 0, 0, 0, 2, 8, 7],
  grpcEcho: [8, 9],
  grpcStream: 3,
  // grpc.health.v1.HealthCheckResponse { status: SERVING }.
  health: [8, 1],
  metrics: true,
};
const OPERATIONS = ['/crash', '/grpc.health.v1.Health/Check', '/hello/{name}', '/metrics', '/teapot', '/ticker.v1.Ticker/Echo', '/ticker.v1.Ticker/Ticks'];

describe('an app with ambientContext: false', () => {
  it('should serve HTTP, gRPC, gRPC-Web, streams, errors, metrics and health without ever entering an AsyncLocalStorage', async () => {
    const off = await runApp('off');
    assert.deepEqual(off.results, SERVED);
    assert.deepEqual(off.operations, OPERATIONS, 'app middleware saw every call');
    assert.deepEqual(off.entered, [], 'AsyncLocalStorage run/enterWith never called');
    assert.equal(off.promisesWithHooks, false, 'no async id on promises made inside a handler');
    assert.equal(off.hooksNow, false, "Node's async hooks are still off after serving");
  });

  it('should give handlers their ctx and no currentContext()', async () => {
    const off = await runApp('off');
    assert.deepEqual(off.seen, { http: false, 'stream-http': false, 'echo-grpc': false, 'stream-grpc': false });
  });

  it('should differ from the same app with the ambient context on only there', async () => {
    const on = await runApp('on');
    assert.deepEqual(on.results, SERVED);
    assert.deepEqual(on.operations, OPERATIONS);
    assert.deepEqual(on.seen, { http: true, 'stream-http': true, 'echo-grpc': true, 'stream-grpc': true });
    assert.deepEqual(on.entered, ['run']);
    assert.equal(on.promisesWithHooks, true);
  });
});
