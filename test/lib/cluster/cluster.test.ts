import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { createGrpcClient, type GrpcClient } from '../../../lib/transport/grpc/index.js';
import { echoService } from '../../helpers/echo-service.js';
import { startEtcd, type TestEtcd } from '../../helpers/etcd.js';

const script = fileURLToPath(new URL('../../fixtures/apps/cluster-app.js', import.meta.url));

interface Cluster {
  proc: ChildProcess;
  http: string;
  grpc: string;
  output: () => string;
  exited: Promise<number | null>;
}

// Starts the fixture and waits for the primary to report the endpoints the workers share.
async function startCluster(env: Record<string, string>): Promise<Cluster> {
  const proc = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    const http = /listening on (http:\/\/[^"\s]+)/.exec(out)?.[1];
    const grpc = /listening on (grpc:\/\/[^"\s]+)/.exec(out)?.[1];
    if (http !== undefined && grpc !== undefined) return { proc, http, grpc: grpc.replace('grpc://', ''), output: () => out, exited };
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`cluster did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopCluster(c: Cluster): Promise<number | null> {
  if (c.proc.exitCode === null) c.proc.kill('SIGTERM');
  return c.exited;
}

// A new connection per request, so the primary hands requests to different workers.
async function httpPids(base: string, n: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${base}/pid`, { headers: { connection: 'close' }, signal: AbortSignal.timeout(3000) });
    pids.add(((await res.json()) as { pid: number }).pid);
  }
  return pids;
}

async function grpcPids(addr: string, n: number): Promise<Set<number>> {
  const pids = new Set<number>();
  for (let i = 0; i < n; i++) {
    // A client per call: a channel keeps one connection, which one worker serves.
    const client = createGrpcClient(echoService(), { endpoint: addr }) as GrpcClient & { say(r: object): Promise<{ text: string }>; close(): void };
    pids.add(Number((await client.say({ text: 'x' })).text));
    client.close();
  }
  return pids;
}

describe('cluster mode', () => {
  describe('with workers: 2 passed to run()', () => {
    let c: Cluster;
    before(async () => (c = await startCluster({ WORKERS: '2', VIA: 'option' })));
    after(() => stopCluster(c));

    it('should serve HTTP and gRPC from two worker processes on the shared ports', async () => {
      // The endpoints are reported once one worker listens; on a busy host the second may still be
      // starting, so ask until both answered (or 10 s passed) instead of assuming both are up.
      const deadline = Date.now() + 10_000;
      const http = await httpPids(c.http, 12);
      while (http.size < 2 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        for (const pid of await httpPids(c.http, 4)) http.add(pid);
      }
      assert.equal(http.size, 2, `pids ${[...http].join(',')}`);
      assert.ok(!http.has(c.proc.pid as number), 'the primary serves nothing itself');
      const grpc = await grpcPids(c.grpc, 12);
      assert.deepEqual([...grpc].sort(), [...http].sort());
    });

    it('should restart a worker that is killed, with a delay', async () => {
      const before = await httpPids(c.http, 8);
      const victim = [...before][0] as number;
      process.kill(victim, 'SIGKILL');
      const deadline = Date.now() + 10_000;
      let now = new Set<number>();
      while (Date.now() < deadline) {
        now = await httpPids(c.http, 6).catch(() => new Set<number>());
        if (now.size === 2 && !now.has(victim)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(now.size, 2);
      assert.ok(!now.has(victim));
      assert.match(c.output(), /worker exited; restarting.*"restartInMs":100/);
    });
  });

  describe('stopped with SIGTERM', () => {
    it('should let a request in flight finish, stop the workers and exit 0', async () => {
      const c = await startCluster({ WORKERS: '2', VIA: 'config' });
      const started = Date.now();
      const slow = fetch(`${c.http}/slow`, { signal: AbortSignal.timeout(5000) });
      await new Promise((r) => setTimeout(r, 100));
      c.proc.kill('SIGTERM');
      const res = await slow;
      assert.equal(res.status, 200);
      assert.equal(await c.exited, 0);
      assert.match(c.output(), /cluster stopped/);
      assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms:\n${c.output()}`);
    });

    it('should stop a worker asked to stop while it is still starting, without killing it', async () => {
      const c = await startCluster({ WORKERS: '2', VIA: 'option', SLOW_START: '1500' });
      const started = Date.now();
      c.proc.kill('SIGTERM');
      assert.equal(await c.exited, 0);
      assert.doesNotMatch(c.output(), /did not stop in time/);
      assert.match(c.output(), /cluster stopped/);
      assert.ok(Date.now() - started < 5000, `stopped after ${Date.now() - started} ms:\n${c.output()}`);
    });
  });

  describe('with a registrar', () => {
    let etcd: TestEtcd;
    before(async () => (etcd = await startEtcd()));
    after(() => etcd.stop());

    it('should register one instance for the whole cluster and deregister it on stop', async () => {
      const c = await startCluster({ WORKERS: '2', VIA: 'option', ETCD: etcd.endpoint });
      const client = new Etcd3({ hosts: etcd.endpoint });
      try {
        let keys: string[] = [];
        for (let i = 0; i < 50 && keys.length === 0; i++) {
          keys = await client.getAll().prefix('/microservices/clustered/').keys();
          if (keys.length === 0) await new Promise((r) => setTimeout(r, 100));
        }
        assert.deepEqual(keys, ['/microservices/clustered/cluster-test']);
        const record = JSON.parse((await client.get(keys[0] as string).string()) ?? '{}') as { endpoints: string[] };
        assert.deepEqual(record.endpoints.sort(), [c.http, `grpc://${c.grpc}`].sort());
        assert.equal(await stopCluster(c), 0);
        assert.deepEqual(await client.getAll().prefix('/microservices/clustered/').keys(), []);
      } finally {
        client.close();
      }
    });
  });
});
