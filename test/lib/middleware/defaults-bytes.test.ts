import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createApp, type App } from '../../../lib/app/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';
import { createGrpcClient, type GrpcClient } from '../../../lib/transport/grpc/index.js';
import { repoPath } from '../../helpers/echo-service.js';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.js';

// What the defaults write, byte for byte: the access log line, the /metrics text and the exported
// OTLP span of a call on each transport, with only what varies per call (time, ids, latency, stack)
// replaced by a placeholder. These are the bytes the defaults wrote before their per-call cost was
// cut (issue 19); any change to them is a behaviour change, not an optimisation.

const greeterProto = repoPath('test/fixtures/kratos-examples/layout/api/helloworld/v1/greeter.proto');
const PARENT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN = '00f067aa0ba902b7';

@Service({ proto: greeterProto, name: 'helloworld.v1.Greeter' })
class Greeter {
  @Rpc()
  sayHello(req: { name: string }): { message: string } {
    if (req.name === 'missing') throw new KratosError(404, 'USER_NOT_FOUND', 'no such user');
    if (req.name === 'crash') throw new TypeError('boom');
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [Greeter] })
class Root {}

async function startApp(extra: object = {}): Promise<{ app: App; http: string; grpc: GrpcClient }> {
  const app = await createApp(Root, { id: 'pin-1', name: 'pin', version: 'v9', configDir: false, signals: [], stopTimeout: 2000, http: { addr: '127.0.0.1:0' }, grpc: { addr: '127.0.0.1:0' }, ...extra });
  await app.start();
  const grpc = createGrpcClient({ proto: greeterProto, name: 'helloworld.v1.Greeter' }, { endpoint: `127.0.0.1:${app.grpc?.port}` });
  return { app, http: `http://127.0.0.1:${app.http?.port}`, grpc };
}

const say = (c: GrpcClient, name: string, metadata?: Record<string, string>): Promise<unknown> =>
  (c['sayHello'] as (r: object, o?: object) => Promise<unknown>)({ name }, metadata === undefined ? undefined : { metadata }).catch((e: unknown) => e);

// The calls both pins make: success, a Kratos error, a crash (recovery), and a call continuing a trace.
async function calls(http: string, grpc: GrpcClient, traceparent: string): Promise<void> {
  for (const name of ['alice', 'missing', 'crash']) await fetch(`${http}/helloworld/${name}`).then((r) => r.arrayBuffer());
  await fetch(`${http}/helloworld/traced`, { headers: { traceparent, 'x-md-global-k': 'v' } }).then((r) => r.arrayBuffer());
  for (const name of ['bob', 'missing', 'crash']) await say(grpc, name);
  await say(grpc, 'traced', { traceparent });
}

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Access lines with time, ids, latency and stacks replaced; each replaced part checked for its shape first. */
function normalizeLine(line: string): string {
  return line
    .replace(/"ts":"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)"/, '"ts":"<ts>"')
    .replace(/"trace.id":"(?!4bf92f)[0-9a-f]{32}"/, '"trace.id":"<new trace>"')
    .replace(/"span.id":"[0-9a-f]{16}"/, '"span.id":"<span>"')
    .replace(/"latency":\d+(\.\d+)?(e-\d+)?/, '"latency":<latency>')
    .replace(/"stack":"(KratosError|TypeError): [^"]*?(\\n    at [^"]*)+"/, '"stack":"<stack of $1>"');
}

const ACCESS_LINES = [
  '{"level":"info","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"<new trace>","span.id":"<span>","kind":"server","component":"http","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"alice\\"}","code":200,"reason":"","stack":"","latency":<latency>}',
  '{"level":"error","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"<new trace>","span.id":"<span>","kind":"server","component":"http","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"missing\\"}","code":404,"reason":"USER_NOT_FOUND","stack":"<stack of KratosError>","latency":<latency>}',
  '{"level":"error","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"<new trace>","span.id":"<span>","kind":"server","component":"http","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"crash\\"}","code":500,"reason":"UNKNOWN","stack":"<stack of TypeError>","latency":<latency>}',
  '{"level":"info","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"4bf92f3577b34da6a3ce929d0e0e4736","span.id":"<span>","kind":"server","component":"http","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"traced\\"}","code":200,"reason":"","stack":"","latency":<latency>}',
  '{"level":"info","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"<new trace>","span.id":"<span>","kind":"server","component":"grpc","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"bob\\"}","code":200,"reason":"","stack":"","latency":<latency>}',
  '{"level":"error","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"<new trace>","span.id":"<span>","kind":"server","component":"grpc","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"missing\\"}","code":404,"reason":"USER_NOT_FOUND","stack":"<stack of KratosError>","latency":<latency>}',
  '{"level":"error","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"<new trace>","span.id":"<span>","kind":"server","component":"grpc","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"crash\\"}","code":500,"reason":"UNKNOWN","stack":"<stack of TypeError>","latency":<latency>}',
  '{"level":"info","ts":"<ts>","service.id":"pin-1","service.name":"pin","service.version":"v9","trace.id":"4bf92f3577b34da6a3ce929d0e0e4736","span.id":"<span>","kind":"server","component":"grpc","operation":"/helloworld.v1.Greeter/SayHello","args":"{\\"name\\":\\"traced\\"}","code":200,"reason":"","stack":"","latency":<latency>}',
];

const METRIC_LINES = [
  '# HELP server_requests_code_total The total number of processed server requests',
  '# TYPE server_requests_code_total counter',
  'server_requests_code_total{kind="http",operation="/helloworld.v1.Greeter/SayHello",code="200",reason=""} 2',
  'server_requests_code_total{kind="http",operation="/helloworld.v1.Greeter/SayHello",code="404",reason="USER_NOT_FOUND"} 1',
  'server_requests_code_total{kind="http",operation="/helloworld.v1.Greeter/SayHello",code="500",reason="UNKNOWN"} 1',
  'server_requests_code_total{kind="grpc",operation="/helloworld.v1.Greeter/SayHello",code="200",reason=""} 2',
  'server_requests_code_total{kind="grpc",operation="/helloworld.v1.Greeter/SayHello",code="404",reason="USER_NOT_FOUND"} 1',
  'server_requests_code_total{kind="grpc",operation="/helloworld.v1.Greeter/SayHello",code="500",reason="UNKNOWN"} 1',
  '',
  '# HELP server_requests_seconds server requests duration (sec).',
  '# TYPE server_requests_seconds histogram',
  ...['http', 'grpc'].flatMap((kind) => [
    ...['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '+Inf'].map((le) => `server_requests_seconds_bucket{le="${le}",kind="${kind}",operation="/helloworld.v1.Greeter/SayHello"} <n>`),
    `server_requests_seconds_sum{kind="${kind}",operation="/helloworld.v1.Greeter/SayHello"} <sum>`,
    `server_requests_seconds_count{kind="${kind}",operation="/helloworld.v1.Greeter/SayHello"} 4`,
  ]),
];

describe('the bytes the defaults write (issue 19 pins)', () => {
  let receiver: OtlpReceiver;
  before(async () => {
    receiver = await startOtlpReceiver();
  });
  after(() => receiver.close());

  it('should write the access line of HTTP and gRPC calls, success and failure, byte for byte as before', async () => {
    const { app, http, grpc } = await startApp();
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stdout.write;
    try {
      await calls(http, grpc, `00-${PARENT_TRACE}-${PARENT_SPAN}-00`);
      await tick();
      await tick();
    } finally {
      process.stdout.write = write;
      grpc.close();
      await app.stop();
    }
    const lines = written.join('').split('\n').filter((l) => l.includes('"kind":"server"'));
    if (process.env['PIN_PRINT'] !== undefined) process.stderr.write(lines.map(normalizeLine).join('\n') + '\n');
    assert.deepEqual(lines.map(normalizeLine), ACCESS_LINES);
  });

  it('should expose the request counter and latency histogram of those calls, byte for byte as before', async () => {
    const { app, http, grpc } = await startApp({ accessLog: false, logger: quietLogger() });
    try {
      await calls(http, grpc, `00-${PARENT_TRACE}-${PARENT_SPAN}-00`);
      const text = await (await fetch(`${http}/metrics`)).text();
      const start = text.indexOf('# HELP server_requests_code_total');
      const block = text.slice(start, text.indexOf('\n\n', text.indexOf('# HELP server_requests_seconds')) + 1).trimEnd().split('\n');
      const normalized = block.map((l) => l.replace(/^(server_requests_seconds_bucket\{.*\}) \d+$/, '$1 <n>').replace(/^(server_requests_seconds_sum\{.*\}) [\d.e-]+$/, '$1 <sum>'));
      assert.deepEqual(normalized, METRIC_LINES);
      // The buckets still count: every call took less than a second.
      assert.match(text, /server_requests_seconds_bucket\{le="1",kind="http",operation="\/helloworld.v1.Greeter\/SayHello"\} 4/);
    } finally {
      grpc.close();
      await app.stop();
    }
  });

  it('should export the SERVER span of each call as the same OTLP message as before', async () => {
    receiver.reset();
    const { app, http, grpc } = await startApp({ accessLog: false, logger: quietLogger(), tracing: { sampleRatio: 1, exporter: 'otlp', endpoint: `${receiver.url}/v1/traces` } });
    try {
      await calls(http, grpc, `00-${PARENT_TRACE}-${PARENT_SPAN}-01`);
    } finally {
      grpc.close();
      await app.stop();
    }
    const spans = exportedSpans(receiver.bodies);
    if (process.env['PIN_PRINT'] !== undefined) process.stderr.write(`${JSON.stringify(spans)}\n`);
    assert.equal(spans.length, 8);
    assert.deepEqual(spans, EXPECTED_SPANS);
  });
});

const quietLogger = (): NoopLogger => new NoopLogger();

/** Every span of the export requests, as JSON, time and new ids replaced after checking their shape. */
function exportedSpans(bodies: Buffer[]): unknown[] {
  const root = new protobuf.Root().loadSync(repoPath('test/fixtures/otlp/trace_service.proto'));
  const type = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
  const out: unknown[] = [];
  for (const body of bodies) {
    const req = type.toObject(type.decode(body), { longs: String, enums: Number, bytes: String }) as { resourceSpans: { resource: unknown; scopeSpans: { scope: unknown; spans: Record<string, unknown>[] }[] }[] };
    for (const rs of req.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const s of ss.spans) out.push(normalizeSpan({ resource: rs.resource, scope: ss.scope, ...s }));
      }
    }
  }
  return out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

function normalizeSpan(s: Record<string, unknown>): unknown {
  const hex = (b64: unknown): string => Buffer.from(String(b64), 'base64').toString('hex');
  const traceId = hex(s['traceId']);
  assert.match(traceId, /^[0-9a-f]{32}$/);
  assert.match(hex(s['spanId']), /^[0-9a-f]{16}$/);
  const start = BigInt(String(s['startTimeUnixNano']));
  const end = BigInt(String(s['endTimeUnixNano']));
  assert.ok(end >= start && start > 1_600_000_000_000_000_000n);
  const json = JSON.stringify({
    ...s,
    traceId: traceId === PARENT_TRACE ? traceId : '<new trace>',
    spanId: '<span>',
    ...(s['parentSpanId'] === undefined ? {} : { parentSpanId: hex(s['parentSpanId']) }),
    startTimeUnixNano: '<start>',
    endTimeUnixNano: '<end>',
    events: (s['events'] as Record<string, unknown>[] | undefined)?.map((e) => ({ ...e, timeUnixNano: '<time>' })),
  });
  return JSON.parse(json.replace(/"stringValue":"((?:Kratos|Type)Error): ([^"]*?)(\\n    at [^"]*)+"/g, '"stringValue":"<stack of $1: $2>"'));
}

// The eight spans of `calls` as exported before issue 19's per-call work, normalized as above.
const EXPECTED_SPANS = JSON.parse(readFileSync(repoPath('test/fixtures/otlp/default-server-spans.json'), 'utf8')) as unknown[];
