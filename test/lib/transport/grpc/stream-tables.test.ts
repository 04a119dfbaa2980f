import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { keepStreamTablesYoung } from '../../../../lib/transport/grpc/stream-tables.js';

/** node's private per-session tables, looked up here as the library does: by their symbol's name. */
function tablesOf(session: object): { streams: Map<number, http2.Http2Stream>; pendingStreams: Set<unknown> } {
  const key = Object.getOwnPropertySymbols(session).find((k) => k.description === 'state');
  assert.ok(key !== undefined, 'an Http2Session carries a Symbol(state)');
  return (session as Record<symbol, { streams: Map<number, http2.Http2Stream>; pendingStreams: Set<unknown> }>)[key]!;
}

function request(client: http2.ClientHttp2Session, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = client.request({ ':path': path });
    let status = 0;
    req.on('response', (h) => (status = Number(h[':status'])));
    req.on('error', reject);
    req.on('close', () => resolve(status));
    req.resume();
    req.end();
  });
}

describe('keepStreamTablesYoung', () => {
  it('should hand a session\'s streams to a fresh table every 256 streams, keeping every stream still open', async () => {
    const server = http2.createServer();
    keepStreamTablesYoung(server);
    const held: http2.ServerHttp2Stream[] = [];
    const tables = new Set<unknown>();
    server.on('stream', (stream, headers) => {
      tables.add(tablesOf(stream.session!).streams);
      if (headers[':path'] === '/hold') held.push(stream);
      else stream.respond({ ':status': 200 }, { endStream: true });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    try {
      const holding = [request(client, '/hold'), request(client, '/hold'), request(client, '/hold')];
      for (let batch = 0; batch < 12; batch++) {
        const statuses = await Promise.all(Array.from({ length: 50 }, () => request(client, '/quick')));
        assert.ok(statuses.every((s) => s === 200));
      }
      // 603 streams: the first table and at least two renewals (their listener runs after this test's).
      assert.ok(tables.size >= 3, `${tables.size} tables seen`);
      const session = held[0]!.session!;
      const current = tablesOf(session).streams;
      assert.deepEqual([...current.values()], held, 'the current table holds exactly the streams still open');
      for (const s of held) s.respond({ ':status': 204 }, { endStream: true });
      assert.deepEqual(await Promise.all(holding), [204, 204, 204]);
    } finally {
      client.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('should close the streams a renewed table holds when their session is destroyed', async () => {
    const server = http2.createServer();
    keepStreamTablesYoung(server);
    const held: http2.ServerHttp2Stream[] = [];
    server.on('stream', (stream, headers) => {
      if (headers[':path'] === '/hold') held.push(stream);
      else stream.respond({ ':status': 200 }, { endStream: true });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    client.on('error', () => {});
    try {
      const holding = [request(client, '/hold'), request(client, '/hold')].map((p) => p.catch(() => -1));
      for (let batch = 0; batch < 6; batch++) await Promise.all(Array.from({ length: 50 }, () => request(client, '/quick')));
      const closed = held.map((s) => once(s, 'close'));
      held[0]!.session!.destroy();
      await Promise.all(closed);
      assert.ok(held.every((s) => s.destroyed));
      await Promise.all(holding);
    } finally {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('should leave alone a session that does not carry node\'s tables, without throwing', () => {
    const server = new EventEmitter();
    keepStreamTablesYoung(server);
    const odd = { [Symbol('state')]: { streams: 'not a table', pendingStreams: new Set() } };
    const bare = {};
    const throwing = { [Symbol('state')]: { streams: new (class Unbuildable extends Map { constructor(entries?: unknown) { super(); if (entries !== undefined) throw new Error('no copy'); } })(), pendingStreams: new Set() } };
    for (let i = 0; i < 600; i++) {
      for (const session of [odd, bare, throwing]) assert.doesNotThrow(() => server.emit('stream', { session }));
      server.emit('stream', {});
    }
    assert.equal(odd[Object.getOwnPropertySymbols(odd)[0]!]!.streams, 'not a table');
  });
});
