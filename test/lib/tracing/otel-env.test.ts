import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startOtlpReceiver, type ReceivedExport, type ReceivedSpan } from '../../helpers/otlp-receiver.js';

const chainApp = fileURLToPath(new URL('../../fixtures/apps/otel-chain.js', import.meta.url));
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';
const SAMPLED = { traceparent: `00-${TRACE}-${PARENT}-01` };
const UNSAMPLED = { traceparent: `00-${'a'.repeat(32)}-${PARENT}-00` };
const SERVER = 2;
const CLIENT = 3;

interface Run {
  results: { status: number; body: { traceA: string; traceB: string; traceC: string } }[];
  spans: ReceivedSpan[];
  exports: ReceivedExport[];
  stdout: string;
}

/**
 * Runs svc-a -> svc-b -> svc-c (test/fixtures/apps/otel-chain.ts) in a child process with `env` on top
 * of a clean OTEL_* environment pointed at a fresh receiver (unless `env` says otherwise).
 */
async function runChain(env: Record<string, string>, opts: { config?: object; requests?: object[]; receiverEnv?: boolean; expectFailure?: boolean } = {}): Promise<Run> {
  const receiver = await startOtlpReceiver();
  try {
    const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    const fullEnv: Record<string, string | undefined> = {
      ...base,
      ...(opts.receiverEnv === false ? {} : { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
      KRATOS_TEST_CONFIG: JSON.stringify(opts.config ?? {}),
      KRATOS_TEST_REQUESTS: JSON.stringify(opts.requests ?? [{}]),
      ...Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v.replaceAll('$RECEIVER', receiver.url)])),
    };
    const child = spawn(process.execPath, [chainApp], { env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    if (opts.expectFailure === true) {
      assert.notEqual(code, 0);
      return { results: [], spans: [], exports: [], stdout: stderr };
    }
    assert.equal(code, 0, stderr);
    const results = stdout.split('\n').filter((l) => l.startsWith('RESULT ')).map((l) => JSON.parse(l.slice(7)) as Run['results'][number]);
    return { results, spans: [...receiver.spans], exports: [...receiver.exports], stdout };
  } finally {
    await receiver.close();
  }
}

function span(spans: ReceivedSpan[], service: string, name: string, kind: number): ReceivedSpan {
  const s = spans.find((x) => x.resource['service.name'] === service && x.name === name && x.kind === kind);
  assert.ok(s !== undefined, `no ${service} ${name} kind ${kind} in ${JSON.stringify(spans.map((x) => [x.resource['service.name'], x.name, x.kind]))}`);
  return s;
}

/** The five spans of one call through the chain, checked as one trace with the right parents. */
function assertChain(spans: ReceivedSpan[], names: [string, string, string], traceId?: string, parentOfA = ''): void {
  const aServer = span(spans, names[0], '/a', SERVER);
  const bClient = span(spans, names[0], '/echo.v1.Echo/Say', CLIENT);
  const bServer = span(spans, names[1], '/echo.v1.Echo/Say', SERVER);
  const cClient = span(spans, names[1], '/c', CLIENT);
  const cServer = span(spans, names[2], '/c', SERVER);
  for (const s of [aServer, bClient, bServer, cClient, cServer]) assert.equal(s.traceId, traceId ?? aServer.traceId);
  assert.equal(aServer.parentSpanId, parentOfA);
  assert.equal(bClient.parentSpanId, aServer.spanId);
  assert.equal(bServer.parentSpanId, bClient.spanId);
  assert.equal(cClient.parentSpanId, bServer.spanId);
  assert.equal(cServer.parentSpanId, cClient.spanId);
  assert.deepEqual(aServer.attributes, { 'rpc.system': 'http', 'rpc.operation': '/a', 'http.route': '/a' });
  assert.deepEqual(bServer.attributes, { 'rpc.system': 'grpc', 'rpc.service': 'echo.v1.Echo', 'rpc.method': 'Say' });
}

const CHAIN: [string, string, string] = ['svc-a', 'svc-b', 'svc-c'];

describe('tracing configured by the OTel SDK environment', { concurrency: 3 }, () => {
  describe('resource', () => {
    it('should name the service from OTEL_SERVICE_NAME over OTEL_RESOURCE_ATTRIBUTES, keep the other attributes, and send OTEL_EXPORTER_OTLP_HEADERS', async () => {
      const run = await runChain({
        OTEL_SERVICE_NAME: 'orders',
        OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,service.namespace=shop,deployment.environment.name=staging',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s3cret',
        OTEL_TRACES_SAMPLER: 'always_on',
      });
      assert.equal(run.spans.length, 5);
      for (const s of run.spans) {
        assert.equal(s.resource['service.name'], 'orders');
        assert.equal(s.resource['service.namespace'], 'shop');
        assert.equal(s.resource['deployment.environment.name'], 'staging');
        assert.equal(s.resource['telemetry.sdk.language'], 'nodejs');
        assert.equal(s.scope, 'kratos');
      }
      assert.ok(run.exports.length > 0);
      for (const e of run.exports) {
        assert.deepEqual([e.path, e.contentType, e.headers['x-api-key']], ['/v1/traces', 'application/x-protobuf', 's3cret']);
      }
    });

    it('should let trace.serviceName and trace.resource in config win over the environment', async () => {
      const run = await runChain(
        { OTEL_SERVICE_NAME: 'orders', OTEL_RESOURCE_ATTRIBUTES: 'service.namespace=shop,team=env', OTEL_TRACES_SAMPLER: 'always_on' },
        { config: { trace: { serviceName: 'from-config', resource: { team: 'core' } } } },
      );
      assert.equal(run.spans.length, 5);
      for (const s of run.spans) assert.deepEqual([s.resource['service.name'], s.resource['service.namespace'], s.resource['team']], ['from-config', 'shop', 'core']);
    });
  });

  describe('HTTP -> gRPC -> HTTP over OTLP', () => {
    it('should export one trace per call from three services, continuing the caller\'s traceparent', async () => {
      const run = await runChain({ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, { requests: [SAMPLED] });
      assert.deepEqual(run.results[0]?.body, { traceA: TRACE, traceB: TRACE, traceC: TRACE });
      assert.equal(run.spans.length, 5);
      assertChain(run.spans, CHAIN, TRACE, PARENT);
    });
  });

  describe('sampler', () => {
    const requests = [SAMPLED, UNSAMPLED, {}];
    const traces = (spans: ReceivedSpan[]) => [...new Set(spans.map((s) => s.traceId))].sort();
    const cases: [string, Record<string, string>, object, number][] = [
      ['always_off records nothing', { OTEL_TRACES_SAMPLER: 'always_off' }, {}, 0],
      ['parentbased_always_off records only calls whose caller sampled them', { OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, {}, 1],
      ['traceidratio 1 records every call, ignoring the caller\'s decision', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, {}, 3],
      ['parentbased_traceidratio 1 records new traces and sampled parents', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, {}, 2],
      ['trace.sampleRatio in config wins over OTEL_TRACES_SAMPLER', { OTEL_TRACES_SAMPLER: 'always_on' }, { trace: { sampleRatio: 0 } }, 1],
      ['no sampler set keeps kratos-ts\' default (new traces off, parents followed)', {}, {}, 1],
    ];
    for (const [what, env, config, recorded] of cases) {
      it(`should follow OTEL_TRACES_SAMPLER: ${what}`, async () => {
        const run = await runChain(env, { config, requests });
        assert.deepEqual(run.results.map((r) => r.status), [200, 200, 200]);
        assert.equal(run.spans.length, recorded * 5);
        if (recorded === 1) assert.deepEqual(traces(run.spans), [TRACE]);
        for (const t of traces(run.spans)) assertChain(run.spans.filter((s) => s.traceId === t), CHAIN, t, t === TRACE || t === 'a'.repeat(32) ? PARENT : '');
        if (recorded === 2) assert.ok(!traces(run.spans).includes('a'.repeat(32)));
      });
    }
  });

  describe('propagators', () => {
    const B3_TRACE = '80f198ee56343ba864fe8b2a57d3eff7';
    const B3_SPAN = 'e457b5a2e4d86bd1';
    const cases: [string, object][] = [
      ['b3', { b3: `${B3_TRACE}-${B3_SPAN}-1` }],
      ['b3multi', { 'x-b3-traceid': B3_TRACE, 'x-b3-spanid': B3_SPAN, 'x-b3-sampled': '1' }],
      ['jaeger', { 'uber-trace-id': `${B3_TRACE}:${B3_SPAN}:0:1` }],
      ['tracecontext,baggage', { traceparent: `00-${B3_TRACE}-${B3_SPAN}-01` }],
    ];
    for (const [propagators, headers] of cases) {
      it(`should read and write ${propagators} headers across all three services`, async () => {
        // The W3C header is there too: only the named propagators may read it.
        const run = await runChain({ OTEL_PROPAGATORS: propagators, OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, { requests: [{ ...headers, ...(propagators.startsWith('trace') ? {} : SAMPLED) }] });
        assert.equal(run.spans.length, 5);
        assertChain(run.spans, CHAIN, B3_TRACE, B3_SPAN);
      });
    }

    it('should propagate nothing with OTEL_PROPAGATORS=none: each service starts its own trace', async () => {
      const run = await runChain({ OTEL_PROPAGATORS: 'none', OTEL_TRACES_SAMPLER: 'always_on' }, { requests: [SAMPLED] });
      const body = run.results[0]?.body;
      assert.ok(body !== undefined && body.traceA !== TRACE && body.traceA !== body.traceB && body.traceB !== body.traceC, JSON.stringify(body));
      assert.equal(span(run.spans, 'svc-a', '/a', SERVER).parentSpanId, '');
      assert.equal(span(run.spans, 'svc-b', '/echo.v1.Echo/Say', SERVER).parentSpanId, '');
      assert.equal(span(run.spans, 'svc-c', '/c', SERVER).parentSpanId, '');
    });
  });

  describe('exporters', () => {
    it('should speak OTLP/JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json', async () => {
      const run = await runChain({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_TRACES_SAMPLER: 'always_on' });
      assert.ok(run.exports.length > 0 && run.exports.every((e) => e.contentType === 'application/json'));
      assertChain(run.spans, CHAIN);
    });

    it('should prefer the traces-specific endpoint, protocol and headers over the general ones', async () => {
      const run = await runChain({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '$RECEIVER/collector/traces',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-tenant=general',
        OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=traces',
        OTEL_TRACES_SAMPLER: 'always_on',
      });
      assert.ok(run.exports.length > 0);
      for (const e of run.exports) assert.deepEqual([e.path, e.contentType, e.headers['x-tenant']], ['/collector/traces', 'application/x-protobuf', 'traces']);
      assertChain(run.spans, CHAIN);
    });

    it('should print spans with OTEL_TRACES_EXPORTER=console and send nothing to the collector', async () => {
      const run = await runChain({ OTEL_TRACES_EXPORTER: 'console', OTEL_TRACES_SAMPLER: 'always_on' });
      assert.equal(run.exports.length, 0);
      const traceId = run.results[0]?.body.traceA ?? '';
      assert.match(run.stdout, new RegExp(`traceId: '${traceId}'[\\s\\S]*name: '/echo.v1.Echo/Say'`));
    });

    it('should export nothing with OTEL_TRACES_EXPORTER=none, unless config names an exporter', async () => {
      const none = await runChain({ OTEL_TRACES_EXPORTER: 'none', OTEL_TRACES_SAMPLER: 'always_on' });
      assert.equal(none.exports.length, 0);
      assert.match(none.results[0]?.body.traceA ?? '', /^[0-9a-f]{32}$/);
      const configured = await runChain({
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_TRACES_SAMPLER: 'always_on',
        OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=still-read',
        KRATOS_TEST_CONFIG: JSON.stringify({ trace: { exporter: 'otlp', endpoint: '$RECEIVER/v1/traces' } }),
      });
      assert.equal(configured.spans.length, 5);
      assert.ok(configured.exports.every((e) => e.headers['x-api-key'] === 'still-read'));
    });
  });

  describe('OTEL_SDK_DISABLED', () => {
    it('should switch tracing off, unless config sets trace.enabled', async () => {
      const off = await runChain({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_SAMPLER: 'always_on' });
      assert.equal(off.results[0]?.status, 200);
      assert.deepEqual(off.results[0]?.body, { traceA: '', traceB: '', traceC: '' });
      assert.equal(off.exports.length, 0);
      const on = await runChain({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_SAMPLER: 'always_on' }, { config: { trace: { enabled: true } } });
      assertChain(on.spans, CHAIN);
    });
  });

  describe('bad values', () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['an unknown sampler', { OTEL_TRACES_SAMPLER: 'sometimes' }, /KRATOS_ERR_CONFIG_INVALID[\s\S]*OTEL_TRACES_SAMPLER="sometimes": unknown "sometimes"; expected always_on/],
      ['a ratio outside 0..1', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '5%' }, /OTEL_TRACES_SAMPLER_ARG="5%": a ratio within 0\.\.1 expected/],
      ['an unknown propagator', { OTEL_PROPAGATORS: 'tracecontext,xray' }, /OTEL_PROPAGATORS="tracecontext,xray": unknown "xray"/],
      ['an unknown protocol', { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http' }, /OTEL_EXPORTER_OTLP_TRACES_PROTOCOL="http": unknown "http"; expected grpc, http\/protobuf, http\/json/],
    ];
    for (const [what, env, message] of cases) {
      it(`should refuse to start with ${what}, naming the variable`, async () => {
        const run = await runChain(env, { expectFailure: true });
        assert.match(run.stdout, message);
      });
    }
  });
});
