import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { KratosError, serviceUnavailable } from '../../../../lib/errors/index.js';
import { retry } from '../../../../lib/resilience/index.js';
import { createGrpcClient, GrpcServer, type GrpcClient } from '../../../../lib/transport/grpc/index.js';
import { echoService } from '../../../helpers/echo-service.js';
import { restartablePort } from '../../../helpers/ports.js';
import { AttemptLog, registryOf, until } from '../fleet-fixtures.js';

const svc = echoService();
type Say = (req: { text: string; n: number }) => Promise<{ text: string }>;

/** An echo server answering `name:text`, or running `say` instead. */
async function echo(name: string, port = 0, say?: () => Promise<unknown>): Promise<{ server: GrpcServer; address: string; calls: () => number }> {
  let calls = 0;
  const server = new GrpcServer({ addr: `127.0.0.1:${port}`, timeout: 0 });
  server.addService(svc.fullName, svc.methods.map((schema) => ({
    schema,
    handler: async (req: unknown) => {
      calls++;
      return say !== undefined ? say() : { text: `${name}:${(req as { text: string }).text}`, n: 0 };
    },
  })));
  await server.start();
  return { server, address: `127.0.0.1:${server.port}`, calls: () => calls };
}

/** An HTTP/2 server that answers every stream with `onStream` (drop the connection, refuse the stream). */
async function rawH2(onStream: (stream: http2.ServerHttp2Stream) => void): Promise<{ address: string; streams: () => number; close: () => void }> {
  let streams = 0;
  const server = http2.createServer();
  server.on('stream', (stream) => {
    streams++;
    stream.on('error', () => undefined);
    onStream(stream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, streams: () => streams, close: () => server.close() };
}

function client(endpoints: string[], extra: Parameters<typeof createGrpcClient>[1] | object = {}): Promise<{ c: GrpcClient; say: Say; log: AttemptLog }> {
  const log = new AttemptLog();
  return registryOf('fleet', endpoints.map((a) => `grpc://${a}`)).then((registry) => {
    const c = createGrpcClient(svc, { endpoint: 'discovery:///fleet', discovery: registry, logger: log, timeout: 3000, ...extra });
    return { c, say: c['say'] as Say, log };
  });
}

describe('gRPC client in a fleet', () => {
  it('should resend a call refused by a dead address to another node, stop picking it, and take it back once it listens', async () => {
    const deadPort = await restartablePort();
    const dead = `127.0.0.1:${deadPort}`;
    const live = await echo('live');
    const { c, say, log } = await client([dead, live.address]);
    let revived: Awaited<ReturnType<typeof echo>> | undefined;
    try {
      for (let i = 0; i < 40; i++) assert.match((await say({ text: 'x', n: i })).text, /^live:/);
      const refused = log.to(dead);
      assert.ok(refused.length >= 1 && refused.length <= 2, `attempts to the dead address: ${refused.length}`);
      assert.ok(refused.every((a) => a.unreached), 'a refused connection is marked as never sent');
      revived = await echo('revived', deadPort);
      const seen = new Set<string>();
      const end = Date.now() + 8000;
      while (!seen.has('revived') && Date.now() < end) seen.add((await say({ text: 'x', n: 0 })).text.split(':')[0] as string);
      assert.ok(seen.has('revived'), 'the node came back after a successful reconnect');
    } finally {
      c.close();
      await live.server.stop(Date.now());
      await revived?.server.stop(Date.now());
    }
  });

  it('should apply the same health rules to a direct:/// list', async () => {
    const dead = `127.0.0.1:${await restartablePort()}`;
    const live = await echo('live');
    const log = new AttemptLog();
    const c = createGrpcClient(svc, { endpoint: `direct:///${dead},${live.address}`, logger: log, timeout: 3000 });
    const say = c['say'] as Say;
    try {
      for (let i = 0; i < 20; i++) assert.match((await say({ text: 'x', n: i })).text, /^live:/);
      assert.ok(log.to(dead).length <= 2, `attempts to the dead address: ${log.to(dead).length}`);
    } finally {
      c.close();
      await live.server.stop(Date.now());
    }
  });

  it('should never resend a handler’s own 503 UNAVAILABLE, with or without the retry middleware', async () => {
    let runs = 0;
    const fail = async (): Promise<never> => {
      runs++;
      throw serviceUnavailable('UNAVAILABLE', 'database unavailable, transaction may have committed');
    };
    const [a, b] = [await echo('a', 0, fail), await echo('b', 0, fail)];
    for (const middleware of [[], [retry({ attempts: 4, backoff: { base: 1, max: 1 } })]]) {
      const { c, say } = await client([a.address, b.address], { middleware });
      try {
        runs = 0;
        const err = (await say({ text: 'pay', n: 1 }).catch((e: unknown) => e)) as KratosError;
        assert.equal(err.message, 'database unavailable, transaction may have committed');
        assert.equal(runs, 1, 'the call ran once');
      } finally {
        c.close();
      }
    }
    await Promise.all([a.server.stop(Date.now()), b.server.stop(Date.now())]);
  });

  it('should not resend a call whose connection dropped after it was sent, unless the retry middleware knows it is idempotent', async () => {
    const dropper = await rawH2((stream) => stream.session?.destroy());
    try {
      const plain = await client([dropper.address], { middleware: [retry({ attempts: 4, backoff: { base: 1, max: 1 } })] });
      const err = (await plain.say({ text: 'x', n: 0 }).catch((e: unknown) => e)) as KratosError;
      plain.c.close();
      assert.equal(err.code, 503);
      assert.equal(dropper.streams(), 1, `a dropped call was sent ${dropper.streams()} times`);
      const idempotent = await client([dropper.address], { middleware: [retry({ attempts: 3, operations: ['/echo.v1.Echo/Say'], backoff: { base: 1, max: 1 } })] });
      await idempotent.say({ text: 'x', n: 0 }).catch(() => undefined);
      idempotent.c.close();
      assert.equal(dropper.streams(), 4, 'an idempotent operation is retried by the middleware');
    } finally {
      dropper.close();
    }
  });

  // nghttp2 closes the streams above a GOAWAY's last processed id with this same code; Node's server
  // cannot send a GOAWAY below the last stream it received, so REFUSED_STREAM stands in for both.
  const refusals: Array<[string, (stream: http2.ServerHttp2Stream) => void]> = [
    ['REFUSED_STREAM', (stream) => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM)],
  ];
  for (const [how, refuse] of refusals) {
    it(`should send a stream the server refused (${how}) to another node, exactly once`, async () => {
      const refuser = await rawH2(refuse);
      const good = await echo('good');
      const { c, say, log } = await client([refuser.address, good.address]);
      try {
        for (let i = 0; i < 20; i++) assert.match((await say({ text: `${i}`, n: i })).text, /^good:/);
        assert.equal(good.calls(), 20, 'each call ran once');
        await until(() => refuser.streams() > 0, 1000, 'the refuser to be picked');
        assert.ok(log.to(refuser.address).every((a) => a.unreached));
      } finally {
        c.close();
        refuser.close();
        await good.server.stop(Date.now());
      }
    });
  }

  it('should not resend a status a server sent, even one worded like a refused stream', async () => {
    const liar = await rawH2((stream) => stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '14', 'grpc-message': 'Stream refused by server' }, { endStream: true }));
    const { c, say, log } = await client([liar.address]);
    try {
      const err = (await say({ text: 'x', n: 0 }).catch((e: unknown) => e)) as KratosError;
      assert.equal(err.code, 503);
      assert.equal(liar.streams(), 1);
      assert.equal(log.to(liar.address)[0]?.unreached, false);
    } finally {
      c.close();
      liar.close();
    }
  });
});
