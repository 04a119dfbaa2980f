import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createGrpcClient } from 'kratos-ts';
import { createTestApp, type TestApp } from 'kratos-ts/testing';
import { AppModule } from '../src/server/app.module.js';

const proto = fileURLToPath(new URL('../api/helloworld/v1/greeter.proto', import.meta.url));

describe('helloworld /metrics', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(AppModule);
  });
  after(() => t.close());

  it('should count HTTP and gRPC calls, errors with code and reason, in a format promtool parses', async () => {
    await fetch(`${t.httpUrl}/helloworld/kratos`);
    await fetch(`${t.httpUrl}/helloworld/error`);
    const client = createGrpcClient({ proto, name: 'helloworld.v1.Greeter' }, { endpoint: t.grpcAddress });
    await (client['sayHello'] as (r: object) => Promise<unknown>)({ name: 'grpc' });
    client.close();
    const res = await fetch(`${t.httpUrl}/metrics`);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    const op = 'operation="/helloworld.v1.Greeter/SayHello"';
    assert.match(text, new RegExp(`server_requests_code_total\\{kind="http",${op},code="200",reason=""\\} 1`));
    assert.match(text, new RegExp(`server_requests_code_total\\{kind="http",${op},code="404",reason="USER_NOT_FOUND"\\} 1`));
    assert.match(text, new RegExp(`server_requests_code_total\\{kind="grpc",${op},code="200",reason=""\\} 1`));
    assert.match(text, /server_requests_seconds_bucket\{le="0.005",kind="http",operation="\/helloworld.v1.Greeter\/SayHello"\}|server_requests_seconds_bucket\{kind="http",operation="\/helloworld.v1.Greeter\/SayHello",le="0.005"\}/);
    assert.match(text, /nodejs_eventloop_lag_seconds/);
    if (existsSync('/usr/bin/promtool')) {
      // prom-client's own nodejs_* gauges trip promtool's naming lint (exit 3); a parse error is exit 1.
      const check = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text });
      assert.notEqual(check.status, 1, String(check.stderr) + String(check.stdout));
      const ours = text.split('\n').filter((l) => !/nodejs_|process_/.test(l)).join('\n');
      assert.equal(spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: ours }).status, 0);
    }
  });
});
