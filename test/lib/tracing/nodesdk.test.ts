import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { repoPath } from '../../helpers/echo-service.js';
import { startOtlpReceiver, type ReceivedSpan } from '../../helpers/otlp-receiver.js';

const app = fileURLToPath(new URL('../../fixtures/apps/otel-nodesdk-app.js', import.meta.url));
const setup = repoPath('test/fixtures/otel/nodesdk-setup.cjs');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const SERVER = 2;
const CLIENT = 3;

/** Starts the service the way a NodeSDK user does (`node --require ./otel-setup.cjs`), env only. */
async function runUnderNodeSdk(env: Record<string, string>): Promise<{ spans: ReceivedSpan[]; pid: number; body: { trace: string; stock: string; price: string } }> {
  const receiver = await startOtlpReceiver();
  try {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const child = spawn(process.execPath, ['--require', setup, app], {
      env: {
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SERVICE_NAME: 'checkout',
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
        KRATOS_TEST_REQUESTS: JSON.stringify([{ traceparent: `00-${TRACE}-${PARENT}-01` }]),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0, stderr);
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? 'RESULT {}';
    const result = JSON.parse(line.slice(7)) as { status: number; body: { trace: string; stock: string; price: string } };
    assert.equal(result.status, 200, stdout + stderr);
    return { spans: [...receiver.spans], pid: child.pid ?? 0, body: result.body };
  } finally {
    await receiver.close();
  }
}

/**
 * Under `serverSpan`: the handler's node:http call (auto-instrumented) with the downstream server it
 * reached, and its kratos-ts gRPC call with the kratos-ts server span of the other app.
 */
function assertChildren(spans: ReceivedSpan[], serverSpan: ReceivedSpan, downstreamTraced: boolean): void {
  const grpcClient = spans.find((s) => s.kind === CLIENT && s.name === '/echo.v1.Echo/Say');
  assert.deepEqual([grpcClient?.scope, grpcClient?.parentSpanId], ['kratos', serverSpan.spanId]);
  const grpcServers = spans.filter((s) => s.kind === SERVER && s.name === '/echo.v1.Echo/Say');
  assert.equal(grpcServers.length, 1);
  assert.deepEqual([grpcServers[0]?.scope, grpcServers[0]?.parentSpanId, grpcServers[0]?.traceId], ['kratos', grpcClient?.spanId, TRACE]);
  const client = spans.find((s) => s.kind === CLIENT && s.parentSpanId === serverSpan.spanId && s.name !== '/echo.v1.Echo/Say');
  assert.ok(client !== undefined, `no client span under the kratos-ts server span: ${JSON.stringify(spans.map((s) => [s.name, s.kind, s.spanId, s.parentSpanId]))}`);
  assert.equal(client.scope, '@opentelemetry/instrumentation-http');
  assert.equal(client.traceId, TRACE);
  const downstream = spans.find((s) => s.kind === SERVER && s.parentSpanId === client.spanId);
  assert.equal(downstream?.attributes['url.path'], downstreamTraced ? '/stock' : undefined);
}

describe('tracing under a user-started NodeSDK with @opentelemetry/instrumentation-http', () => {
  it('should make one server span per request, named and attributed by kratos-ts, parent of the auto-instrumented client call', async () => {
    const { spans, pid, body } = await runUnderNodeSdk({});
    assert.equal(body.trace, TRACE);
    assert.equal(body.stock, 'stock: 3');
    assert.equal(body.price, 'book: 9.99');
    // Everything went through the user's provider: its resource (process detector) and exporter.
    for (const s of spans) {
      assert.equal(s.resource['service.name'], 'checkout');
      assert.equal(s.resource['process.pid'], pid);
    }
    const servers = spans.filter((s) => s.kind === SERVER && s.parentSpanId === PARENT);
    assert.equal(servers.length, 1, JSON.stringify(spans.map((s) => [s.name, s.kind, s.parentSpanId])));
    const server = servers[0] as ReceivedSpan;
    assert.equal(server.name, '/checkout');
    assert.equal(server.traceId, TRACE);
    assert.equal(server.attributes['rpc.system'], 'http');
    assert.equal(server.attributes['http.route'], '/checkout');
    assert.equal(server.attributes['http.request.method'], 'GET');
    assert.equal(server.attributes['http.response.status_code'], 200);
    assertChildren(spans, server, true);
    assert.equal(spans.length, 5);
  });

  it('should open its own server span through the user\'s provider when incoming requests are not instrumented', async () => {
    const { spans, pid } = await runUnderNodeSdk({ KRATOS_TEST_INCOMING: 'off' });
    const servers = spans.filter((s) => s.kind === SERVER && s.parentSpanId === PARENT);
    assert.equal(servers.length, 1);
    const server = servers[0] as ReceivedSpan;
    assert.deepEqual([server.name, server.scope, server.resource['process.pid']], ['/checkout', 'kratos', pid]);
    assert.deepEqual(server.attributes, { 'rpc.system': 'http', 'rpc.operation': '/checkout', 'http.route': '/checkout' });
    assertChildren(spans, server, false);
    assert.equal(spans.length, 4);
  });
});
