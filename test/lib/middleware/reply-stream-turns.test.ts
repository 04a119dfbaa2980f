// An endless reply stream read as fast as it is written, by a client in another process (so it reads
// while the server writes, as a real client does): the rest of the process must keep being served.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { repoPath } from '../../helpers/grpc-web-peer.js';

interface Tick {
  n: number;
  pad: string;
}

@Service({ proto: 'test/fixtures/grpcweb/ticker.proto', name: 'ticker.v1.Ticker' })
class EndlessTicker {
  @Rpc()
  *ticks(): Iterable<Tick> {
    for (let n = 1; ; n++) yield { n, pad: '' };
  }

  @Rpc()
  async echo(req: Tick): Promise<Tick> {
    return req;
  }
}

@Module({ services: [EndlessTicker] })
class EndlessModule {}

/** A reader in a child process that reads `url` as fast as it can for `ms`, then exits. */
function fastReader(url: string, ms: number): Promise<void> {
  const child = spawn('curl', ['-sN', '--max-time', String(ms / 1000), '-o', '/dev/null', url], { stdio: 'ignore' });
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('an endless synchronous NDJSON stream and a fast reader', () => {
  let app: TestApp | undefined;
  after(() => app?.close());

  it('should keep answering other requests of the process while it writes', async () => {
    app = await createTestApp(EndlessModule, { protoPaths: [repoPath()] });
    const reading = fastReader(`${app.httpUrl}/v1/ticks`, 4000);
    await new Promise((r) => setTimeout(r, 300));
    const t0 = performance.now();
    const res = await fetch(`${app.httpUrl}/v1/echo`, { method: 'POST', body: JSON.stringify({ n: 7 }), headers: { 'content-type': 'application/json' } });
    const waited = performance.now() - t0;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { n: 7, pad: '' });
    await reading;
    // Answered while the stream is still being written, not once the reader has gone (4 s).
    assert.ok(waited < 2000, `the other request waited ${Math.round(waited)} ms`);
  });
});
