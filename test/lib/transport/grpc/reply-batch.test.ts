// A reply stream is written to the call's HTTP/2 stream in batches (what a synchronous reply has ready,
// what an async one yields before the process next looks for I/O), not one HTTP/2 write per message
// as grpc-js' `call.write` does (docs/performance.md "The eleventh round: server streams"): node makes
// a write request, a tick and four closures per write, and with an AsyncLocalStorage entered its init
// hook runs for each. Every message still arrives, in order, after the handler's reply header, with
// the stream's status last; a reader that stops still stops the writer
// (test/lib/middleware/reply-stream.test.ts), and a server whose grpc-js must see each message (a send
// size limit) keeps writing through it.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHook } from 'node:async_hooks';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { Context } from '../../../../lib/transport/index.js';
import { GrpcServer, type GrpcMethod } from '../../../../lib/transport/grpc/index.js';
import { echoService, repoPath } from '../../../helpers/echo-service.js';

type Msg = { text: string; n: number };
const svc = echoService();
const countSchema = svc.methods.find((m) => m.name === 'Count')!;
const Msg = countSchema.responseType;
const run = promisify(execFile);

/** `n` messages `text0`, `text1`..., from a `*` generator; message `failAt` throws instead. */
function* count(req: Msg, failAt = -1): Iterable<Msg> {
  for (let i = 0; i < req.n; i++) {
    if (i === failAt) throw new Error('broken');
    yield { text: `${req.text}${i}`, n: i };
  }
}

let server: GrpcServer | undefined;
let client: Client | undefined;
afterEach(async () => {
  client?.close();
  client = undefined;
  await server?.stop(Date.now() + 1000);
  server = undefined;
});

async function serve(handler: (req: Msg, ctx: Context) => unknown, options: { maxSendMessageLength?: number } = {}): Promise<number> {
  server = new GrpcServer({ addr: '127.0.0.1:0', timeout: 0, ...options });
  const methods: GrpcMethod[] = svc.methods.map((schema) => ({ schema, handler: schema === countSchema ? (handler as GrpcMethod['handler']) : async () => ({}) }));
  server.addService(svc.fullName, methods);
  await server.start();
  return server.port;
}

/** Reads a Count stream with grpc-js: the messages' `n`, the reply header, the status, and the HTTP/2 writes made meanwhile. */
async function read(port: number, req: Msg): Promise<{ ns: number[]; header: unknown; code: number; details: string; writes: number }> {
  client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
  let writes = 0;
  const hook = createHook({ init: (_id, type) => void (type === 'WRITEWRAP' && writes++) });
  hook.enable();
  try {
    return await new Promise((resolve) => {
      const ns: number[] = [];
      let header: unknown;
      const call = client!.makeServerStreamRequest(countSchema.operation, (m: Msg) => Buffer.from(Msg.encode(m).finish()), (b: Buffer) => Msg.decode(b) as unknown as Msg, req);
      call.on('metadata', (md: Metadata) => (header = md.get('x-reply')[0]));
      call.on('data', (m: Msg) => ns.push(m.n));
      call.on('error', (err: ServiceError) => resolve({ ns, header, code: err.code, details: err.details, writes }));
      call.on('status', (s: { code: number; details: string }) => {
        if (s.code === status.OK) resolve({ ns, header, code: s.code, details: s.details, writes });
      });
    });
  } finally {
    hook.disable();
  }
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('a gRPC reply stream written in batches', () => {
  it('should reach the client in order in far fewer HTTP/2 writes than messages, after its reply header', async () => {
    const port = await serve((req, ctx) => {
      ctx.replyHeader.set('x-reply', 'r1');
      return count(req);
    });
    const got = await read(port, { text: 'tick', n: 20_000 });
    assert.equal(got.code, status.OK);
    assert.deepEqual(got.ns, range(20_000));
    assert.equal(got.header, 'r1');
    // One write per message before; the client's own writes (its request, window updates) are a few.
    assert.ok(got.writes < 20_000 / 20, `${got.writes} HTTP/2 writes for 20,000 messages`);
  });

  it('should send the messages before a failure, then the failure as the status', async () => {
    const port = await serve((req) => count(req, 2500));
    const got = await read(port, { text: 'tick', n: 5000 });
    assert.equal(got.code, status.INTERNAL);
    assert.deepEqual(got.ns, range(2500));
  });

  it('should send the messages before one that cannot be encoded, then INTERNAL', async () => {
    const port = await serve((req) => (function* () {
      yield* count(req);
      yield null;
    })());
    const got = await read(port, { text: 'tick', n: 3000 });
    assert.equal(got.code, status.INTERNAL);
    assert.deepEqual(got.ns, range(3000));
  });

  it('should answer INTERNAL and send no message when the first message cannot be encoded', async () => {
    const port = await serve(() => [null, { text: 'never', n: 1 }]);
    const got = await read(port, { text: '', n: 1 });
    assert.deepEqual([got.code, got.ns], [status.INTERNAL, []]);
  });

  it('should write an array, and an empty reply as a status alone', async () => {
    const port = await serve((req) => (req.n === 0 ? [] : Array.from({ length: req.n }, (_, n) => ({ text: 'a', n }))));
    assert.deepEqual((await read(port, { text: '', n: 700 })).ns, range(700));
    client!.close();
    const empty = await read(port, { text: '', n: 0 });
    assert.deepEqual([empty.code, empty.ns], [status.OK, []]);
  });

  it('should leave each message to grpc-js when the server limits what it sends (too large: RESOURCE_EXHAUSTED)', async () => {
    const port = await serve((req) => count(req), { maxSendMessageLength: 64 });
    const ok = await read(port, { text: 'tick', n: 300 });
    assert.deepEqual(ok.ns, range(300));
    assert.ok(ok.writes >= 300, `${ok.writes} HTTP/2 writes: grpc-js wrote each message`);
    client!.close();
    const big = await read(port, { text: 'x'.repeat(100), n: 3 });
    assert.equal(big.code, status.RESOURCE_EXHAUSTED);
    assert.deepEqual(big.ns, []);
  });

  it('should batch an async reply too', async () => {
    const port = await serve(async (req) => (async function* () {
      yield* count(req);
    })());
    const got = await read(port, { text: 'tick', n: 20_000 });
    assert.deepEqual(got.ns, range(20_000));
    assert.ok(got.writes < 20_000 / 20, `${got.writes} HTTP/2 writes for 20,000 messages`);
  });

  it("should send an async reply's message before its next one is produced", async () => {
    // The generator waits until the client has read its first message: a message kept for a batch
    // that never fills would stall it.
    let firstRead!: () => void;
    const seen = new Promise<void>((resolve) => (firstRead = resolve));
    const port = await serve(async () => (async function* () {
      yield { text: 'first', n: 1 };
      await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error('the first message was kept')), 3000))]);
      yield { text: 'second', n: 2 };
    })());
    client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
    const texts = await new Promise<string[]>((resolve, reject) => {
      const out: string[] = [];
      const call = client!.makeServerStreamRequest(countSchema.operation, (m: Msg) => Buffer.from(Msg.encode(m).finish()), (b: Buffer) => Msg.decode(b) as unknown as Msg, { text: '', n: 0 });
      call.on('data', (m: Msg) => (out.push(m.text), firstRead()));
      call.on('error', reject);
      call.on('status', (st: { code: number }) => st.code === status.OK && resolve(out));
    });
    assert.deepEqual(texts, ['first', 'second']);
  });

  it('should be read to its end, in order, by python3-grpcio', async () => {
    const port = await serve((req, ctx) => {
      ctx.replyHeader.set('x-reply', 'py');
      return count(req);
    });
    const { stdout } = await run('/usr/bin/python3', [repoPath('test/interop/stream_reader.py'), String(port), '30000', 'p'.repeat(40)], { maxBuffer: 1 << 24 });
    const seen = JSON.parse(stdout) as { ns: number[]; first: string; header: string; code: string };
    assert.equal(seen.code, 'OK');
    assert.equal(seen.header, 'py');
    assert.equal(seen.first, `${'p'.repeat(40)}0`);
    assert.deepEqual(seen.ns, range(30_000));
  });
});
