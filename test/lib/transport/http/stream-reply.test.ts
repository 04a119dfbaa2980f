import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { TickerModule, tickerLog } from '../../../fixtures/grpcweb/ticker-service.js';
import { repoPath } from '../../../helpers/grpc-web-peer.js';

function lines(text: string): unknown[] {
  return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as unknown);
}

/** Server-Sent Events as the EventSource spec splits them: blank-line separated, `event:` and `data:` fields. */
function events(text: string): { event: string; data: unknown }[] {
  return text.split('\n\n').filter((b) => b.trim() !== '').map((block) => {
    let event = 'message';
    let data = '';
    for (const line of block.split('\n')) {
      if (line.startsWith('event: ')) event = line.slice(7);
      if (line.startsWith('data: ')) data += line.slice(6);
    }
    return { event, data: JSON.parse(data) as unknown };
  });
}

describe('server-streaming rpcs over their google.api.http rule', () => {
  let app: TestApp;
  before(async () => {
    app = await createTestApp(TickerModule, { protoPaths: [repoPath()] });
  });
  after(() => app.close());

  describe('having no Accept header', () => {
    it('should answer NDJSON, one {"result": message} per line, in proto JSON', async () => {
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=3`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/x-ndjson');
      assert.deepEqual(lines(await res.text()), [1, 2, 3].map((n) => ({ result: { n, pad: '' } })));
    });

    it('should end with an {"error": Kratos error} line when the handler fails mid-stream', async () => {
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=5&fail_at=3`);
      assert.equal(res.status, 200);
      assert.deepEqual(lines(await res.text()), [
        { result: { n: 1, pad: '' } },
        { result: { n: 2, pad: '' } },
        { error: { code: 409, reason: 'TICK_FAILED', message: 'tick 3 failed', metadata: { n: '3' } } },
      ]);
    });

    it('should answer an ordinary Kratos error with its status when the handler fails before any message', async () => {
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=5&fail_at=1`);
      assert.equal(res.status, 409);
      assert.deepEqual(await res.json(), { code: 409, reason: 'TICK_FAILED', message: 'tick 1 failed', metadata: { n: '1' } });
    });

    it('should run past the server timeout (1 s), as streams do on the gRPC server', async () => {
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=3&interval_ms=450`);
      assert.equal(lines(await res.text()).length, 3);
    });
  });

  describe('having Accept: text/event-stream', () => {
    it('should answer Server-Sent Events: one data event per message, then event: end', async () => {
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=2`, { headers: { accept: 'text/event-stream' } });
      assert.equal(res.headers.get('content-type'), 'text/event-stream');
      assert.deepEqual(events(await res.text()), [
        { event: 'message', data: { n: 1, pad: '' } },
        { event: 'message', data: { n: 2, pad: '' } },
        { event: 'end', data: {} },
      ]);
    });

    it('should end with event: error carrying the Kratos error', async () => {
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=3&fail_at=2`, { headers: { accept: 'text/event-stream' } });
      assert.deepEqual(events(await res.text()), [
        { event: 'message', data: { n: 1, pad: '' } },
        { event: 'error', data: { code: 409, reason: 'TICK_FAILED', message: 'tick 2 failed', metadata: { n: '2' } } },
      ]);
    });
  });

  describe('when the client goes away mid-stream', () => {
    it('should abort ctx.signal and stop the handler', async () => {
      const before = tickerLog.aborted;
      const ac = new AbortController();
      const res = await fetch(`${app.httpUrl}/v1/ticks?count=1000&interval_ms=20`, { signal: ac.signal });
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await reader.read();
      ac.abort();
      await sleep(200);
      assert.equal(tickerLog.aborted, before + 1);
      assert.ok(tickerLog.produced < 50, `produced ${tickerLog.produced} of 1000`);
    });
  });

  describe('when the client reads slower than the handler writes', () => {
    it('should wait for the socket to drain instead of buffering the whole stream', async () => {
      const url = new URL(`${app.httpUrl}/v1/ticks?count=400&size=65536`);
      const req = request(url);
      const res = await new Promise<import('node:http').IncomingMessage>((resolve) => req.once('response', resolve).end());
      res.pause();
      await sleep(300);
      const whilePaused = tickerLog.produced;
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.resume();
      await new Promise((resolve) => res.once('end', resolve));
      // 400 x 64 KiB is 25 MiB; with nobody reading, only the socket's buffers' worth may be produced.
      assert.ok(whilePaused < 200, `produced ${whilePaused} of 400 while the client read nothing`);
      assert.equal(tickerLog.produced, 400);
      assert.ok(bytes > 400 * 65536);
    });
  });
});
