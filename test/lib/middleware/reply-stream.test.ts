// Synchronous reply streams (a `*` generator, an array) on every transport, with the default
// middleware watching them: all messages in order, one report per call, cancellation and failures
// mid-stream, backpressure against slow readers (grpc-js and python3-grpcio), and the handler's
// iterator closed whenever the call stops early.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { METER, TRACING } from '../../../lib/app/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import type { PrometheusMeter } from '../../../lib/metrics/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { repoPath } from '../../helpers/grpc-web-peer.js';
import { CaptureLogger as Capture } from '../../helpers/capture-logger.js';

const TICKS = '/ticker.v1.Ticker/Ticks';
const PROTO = { proto: 'test/fixtures/grpcweb/ticker.proto', name: 'ticker.v1.Ticker' };

interface TicksRequest {
  count: number;
  failAt: number;
  size: number;
}
interface Tick {
  n: number;
  pad: string;
}

/** What the handlers did: messages produced, and how many iterators ran their `finally`. */
const state = { produced: 0, finished: 0 };

@Service(PROTO)
class GeneratorTicker {
  /** `count` ticks (0: endless), padded with `size` bytes; tick `failAt` throws 503 TICKER_DOWN instead. */
  @Rpc()
  *ticks(req: TicksRequest): Iterable<Tick> {
    try {
      const pad = 'x'.repeat(req.size);
      for (let n = 1; req.count === 0 || n <= req.count; n++) {
        if (n === req.failAt) throw new KratosError(503, 'TICKER_DOWN', 'ticker down');
        state.produced++;
        yield { n, pad };
      }
    } finally {
      state.finished++;
    }
  }

  @Rpc()
  async echo(req: Tick): Promise<Tick> {
    return req;
  }
}

@Service(PROTO)
class ArrayTicker {
  @Rpc()
  ticks(req: TicksRequest): Tick[] {
    return Array.from({ length: req.count }, (_, i) => ({ n: i + 1, pad: '' }));
  }

  @Rpc()
  async echo(req: Tick): Promise<Tick> {
    return req;
  }
}

@Module({ services: [GeneratorTicker] })
class GeneratorModule {}
@Module({ services: [ArrayTicker] })
class ArrayModule {}


function varint(n: number): number[] {
  const out: number[] = [];
  for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
  out.push(n);
  return out;
}

/** A TicksRequest in the protobuf wire format, written by hand. */
function ticksRequest(r: Partial<TicksRequest>): Buffer {
  const bytes: number[] = [];
  if (r.count) bytes.push(0x08, ...varint(r.count));
  if (r.failAt) bytes.push(0x10, ...varint(r.failAt));
  if (r.size) bytes.push(0x20, ...varint(r.size));
  return Buffer.from(bytes);
}

/** The tick number (field 1) of an encoded Tick. */
function tickNumber(b: Buffer): number {
  if (b[0] !== 0x08) return 0;
  let n = 0;
  for (let i = 1, shift = 0; i < b.length; i++, shift += 7) {
    n |= (b[i]! & 0x7f) << shift;
    if ((b[i]! & 0x80) === 0) break;
  }
  return n;
}

let test: TestApp | undefined;
let logs: Capture;
let client: Client | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await test?.close();
  test = undefined;
});

async function start(root: typeof GeneratorModule): Promise<TestApp> {
  state.produced = 0;
  state.finished = 0;
  logs = new Capture();
  test = await createTestApp(root, { protoPaths: [repoPath()], logger: logs, tracing: { exporter: 'memory', sampleRatio: 1 } });
  return test;
}

/** The access lines, request counts and spans of the stream operation once its call was reported. */
async function reported(): Promise<{ logs: Record<string, unknown>[]; counts: string[]; spans: { attributes: Record<string, unknown> }[] }> {
  const until = Date.now() + 3000;
  const lines = (): Record<string, unknown>[] => logs.records.filter((r) => r['operation'] === TICKS);
  while (lines().length === 0 && Date.now() < until) await sleep(10);
  await sleep(100);
  const text = await (test!.get(METER) as PrometheusMeter).metrics();
  return {
    logs: lines(),
    counts: text.split('\n').filter((l) => l.startsWith('server_requests_code_total{') && l.includes(`operation="${TICKS}"`)),
    spans: test!.get(TRACING)!.memoryExporter!.getFinishedSpans().filter((s) => s.name === TICKS) as unknown as { attributes: Record<string, unknown> }[],
  };
}

function assertReportedOnce(r: Awaited<ReturnType<typeof reported>>, code: number, reason: string, kind: 'grpc' | 'http'): void {
  assert.equal(r.logs.length, 1, `log lines: ${JSON.stringify(r.logs)}`);
  assert.equal(r.logs[0]!['code'], code);
  assert.equal(r.logs[0]!['reason'], reason);
  assert.deepEqual(r.counts, [`server_requests_code_total{kind="${kind}",operation="${TICKS}",code="${code}",reason="${reason}"} 1`]);
  assert.equal(r.spans.length, 1);
  // A span carries a status code only when the call failed.
  assert.equal(r.spans[0]!.attributes['rpc.status_code'], code === 200 ? undefined : code);
}

/** Reads a gRPC server stream to its end: the tick numbers and the final status code. */
function readAll(c: Client, req: Partial<TicksRequest>): Promise<{ ticks: number[]; code: number }> {
  return new Promise((resolve) => {
    const ticks: number[] = [];
    const call = c.makeServerStreamRequest(TICKS, (b: Buffer) => b, (b: Buffer) => b, ticksRequest(req));
    call.on('data', (b: Buffer) => ticks.push(tickNumber(b)));
    call.on('error', (err: ServiceError) => resolve({ ticks, code: err.code }));
    call.on('status', (s: { code: number }) => {
      if (s.code === status.OK) resolve({ ticks, code: s.code });
    });
  });
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/**
 * Waits (up to `within` ms) until the handler has produced nothing for 300 ms, and returns how much it
 * had produced then; undefined when it kept producing: the writer did not wait for the reader. The
 * reader's buffers (its HTTP/2 window, grpc core's own reads) take a while to fill on a busy machine.
 */
async function settledProduction(within: number): Promise<number | undefined> {
  const until = Date.now() + within;
  let last = state.produced;
  while (Date.now() < until) {
    await sleep(300);
    if (state.produced === last) return last;
    last = state.produced;
  }
  return undefined;
}

describe('a synchronous reply stream', () => {
  for (const [what, root] of [['a * generator', GeneratorModule], ['an array', ArrayModule]] as const) {
    it(`should write every message of ${what} in order on gRPC, reported once as a success`, async () => {
      await start(root);
      client = new Client(test!.grpcAddress, credentials.createInsecure());
      const got = await readAll(client, { count: 3000 });
      assert.equal(got.code, status.OK);
      assert.deepEqual(got.ticks, range(3000));
      assertReportedOnce(await reported(), 200, '', 'grpc');
    });

    it(`should write ${what} as NDJSON lines and as gRPC-Web frames`, async () => {
      await start(root);
      const lines = (await (await fetch(`${test!.httpUrl}/v1/ticks?count=3`)).text()).trim().split('\n');
      assert.deepEqual(lines.map((l) => (JSON.parse(l) as { result: Tick }).result.n), [1, 2, 3]);
      const res = await fetch(`${test!.httpUrl}/ticker.v1.Ticker/Ticks`, {
        method: 'POST',
        headers: { 'content-type': 'application/grpc-web+proto', 'x-grpc-web': '1' },
        body: Buffer.concat([Buffer.from([0, 0, 0, 0, 2]), ticksRequest({ count: 3 })]),
      });
      let body = Buffer.from(await res.arrayBuffer());
      const frames: number[] = [];
      while (body.length > 0 && body[0] === 0) {
        const len = body.readUInt32BE(1);
        frames.push(tickNumber(body.subarray(5, 5 + len)));
        body = body.subarray(5 + len);
      }
      assert.deepEqual(frames, [1, 2, 3]);
      assert.match(body.subarray(5).toString('latin1'), /grpc-status: ?0\r\n/);
    });
  }

  it('should end a gRPC call that fails mid-stream with its status, reported once with its error', async () => {
    await start(GeneratorModule);
    client = new Client(test!.grpcAddress, credentials.createInsecure());
    const got = await readAll(client, { count: 10, failAt: 4 });
    assert.deepEqual(got.ticks, [1, 2, 3]);
    assert.equal(got.code, status.UNAVAILABLE);
    assertReportedOnce(await reported(), 503, 'TICKER_DOWN', 'grpc');
    assert.equal(state.finished, 1);
  });

  it('should end an NDJSON reply that fails mid-stream with an error line, reported once', async () => {
    await start(GeneratorModule);
    const lines = (await (await fetch(`${test!.httpUrl}/v1/ticks?count=10&fail_at=3`)).text()).trim().split('\n').map((l) => JSON.parse(l) as Record<string, { reason?: string; n?: number }>);
    assert.deepEqual(lines.slice(0, 2).map((l) => l['result']!.n), [1, 2]);
    assert.equal(lines[2]!['error']!.reason, 'TICKER_DOWN');
    assertReportedOnce(await reported(), 503, 'TICKER_DOWN', 'http');
  });

  it('should answer a failure before the first message as an ordinary error reply', async () => {
    await start(GeneratorModule);
    const res = await fetch(`${test!.httpUrl}/v1/ticks?count=10&fail_at=1`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { reason: string }).reason, 'TICKER_DOWN');
  });

  it('should stop an endless stream the grpc-js client cancels mid-stream, close the generator and report it once as cancelled', async () => {
    await start(GeneratorModule);
    client = new Client(test!.grpcAddress, credentials.createInsecure());
    const code = await new Promise<number>((resolve) => {
      const call = client!.makeServerStreamRequest(TICKS, (b: Buffer) => b, (b: Buffer) => b, ticksRequest({ size: 100 }));
      call.once('data', () => call.cancel());
      call.on('error', (err: ServiceError) => resolve(err.code));
    });
    assert.equal(code, status.CANCELLED);
    assertReportedOnce(await reported(), 499, 'CANCELLED', 'grpc');
    assert.equal(state.finished, 1, 'the generator was returned');
  });

  it('should stop an endless NDJSON stream whose client disconnects, closing the generator', async () => {
    await start(GeneratorModule);
    await new Promise<void>((resolve, reject) => {
      const req = request(`${test!.httpUrl}/v1/ticks?size=1000`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
      req.end();
    });
    assertReportedOnce(await reported(), 499, 'CANCELLED', 'http');
    assert.equal(state.finished, 1);
  });

  it('should wait for a grpc-js reader that stops reading, producing nothing more until it reads again', async () => {
    await start(GeneratorModule);
    client = new Client(test!.grpcAddress, credentials.createInsecure());
    const call = client.makeServerStreamRequest(TICKS, (b: Buffer) => b, (b: Buffer) => b, ticksRequest({ size: 1000 }));
    const ended = new Promise<number>((resolve) => call.on('error', (err: ServiceError) => resolve(err.code)));
    const ticks: number[] = [];
    await new Promise<void>((resolve) => {
      call.on('data', (b: Buffer) => {
        ticks.push(tickNumber(b));
        if (ticks.length === 1) {
          call.pause();
          resolve();
        }
      });
    });
    const paused = await settledProduction(3000);
    assert.ok(paused !== undefined, 'the generator is not pulled while the reader is paused');
    assert.ok(paused < 20_000, `${paused} ticks of 1 KB buffered for a paused reader`);
    call.resume();
    // At least the 200 checked below: how many were produced while paused depends on how the writes
    // filled HTTP/2's windows (under a busy suite it read 87, so 187 had arrived when the call was cancelled).
    while (ticks.length < Math.max(paused + 100, 200)) await sleep(10);
    call.cancel();
    assert.equal(await ended, status.CANCELLED);
    assert.deepEqual(ticks.slice(0, 200), range(200));
    assertReportedOnce(await reported(), 499, 'CANCELLED', 'grpc');
    assert.equal(state.finished, 1);
  });

  it('should wait for a slow python3-grpcio reader, then stop when it cancels', async () => {
    await start(GeneratorModule);
    const port = test!.grpcAddress.split(':')[1] as string;
    const py = spawn('/usr/bin/python3', [repoPath('test/interop/slow_stream_client.py'), port, '3.5', '50'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const out = createInterface({ input: py.stdout });
    const lines: string[] = [];
    let first!: () => void;
    const firstRead = new Promise<void>((resolve) => (first = resolve));
    out.on('line', (l) => (l === 'first' ? first() : lines.push(l)));
    const exited = new Promise<number | null>((resolve) => py.on('exit', resolve));
    const timer = setTimeout(() => py.kill(), 20_000);
    try {
      await firstRead;
      const paused = await settledProduction(3000);
      assert.ok(paused !== undefined, 'nothing produced while python reads nothing');
      assert.ok(paused < 20_000, `${paused} ticks of 1 KB buffered for a sleeping reader`);
      assert.equal(await exited, 0);
    } finally {
      clearTimeout(timer);
    }
    const seen = JSON.parse(lines.at(-1)!) as { ticks: number[]; code: string };
    assert.deepEqual(seen.ticks, range(51));
    assert.equal(seen.code, 'CANCELLED');
    assertReportedOnce(await reported(), 499, 'CANCELLED', 'grpc');
    assert.equal(state.finished, 1);
  });
});
