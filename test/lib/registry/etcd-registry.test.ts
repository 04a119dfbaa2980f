import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { EtcdRegistry, MemoryRegistry, type ServiceInstance } from '../../../lib/registry/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';
import { createGrpcClient, type GrpcClient } from '../../../lib/transport/grpc/index.js';
import { echoService } from '../../helpers/echo-service.js';
import { startEtcd, type TestEtcd } from '../../helpers/etcd.js';

const svc = echoService();
const script = fileURLToPath(new URL('../../fixtures/apps/echo-instance.js', import.meta.url));

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function launch(etcd: TestEtcd, id: string, ttl = 2): Promise<{ child: ChildProcess; endpoint: string }> {
  const child = spawn(process.execPath, [script, etcd.endpoint, id, String(ttl)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve({ child, endpoint: m[1] as string });
    });
    child.once('exit', (code) => reject(new Error(`instance ${id} exited with ${code}`)));
  });
}

const stopped = (c: ChildProcess) => new Promise((r) => (c.exitCode !== null ? r(undefined) : c.once('exit', r)));

describe('EtcdRegistry with a real etcd', () => {
  let etcd: TestEtcd;
  let kv: Etcd3;
  before(async () => {
    etcd = await startEtcd();
    kv = new Etcd3({ hosts: etcd.endpoint });
  });
  after(async () => {
    kv.close();
    await etcd.stop();
  });

  it('should register with the Kratos key layout and JSON, spread calls, and fail over without a failed call', async () => {
    const a = await launch(etcd, 'a');
    const b = await launch(etcd, 'b');
    const registry = new EtcdRegistry({ endpoints: etcd.endpoint });
    const client: GrpcClient = createGrpcClient(svc, { endpoint: 'discovery:///echo', discovery: registry, timeout: 3000 });
    const say = client['say'] as (r: object) => Promise<{ text: string }>;
    try {
      const stored = await kv.getAll().prefix('/microservices/echo/').strings();
      assert.deepEqual(Object.keys(stored).sort(), ['/microservices/echo/a', '/microservices/echo/b']);
      const inst = JSON.parse(stored['/microservices/echo/a'] as string) as ServiceInstance;
      assert.deepEqual(Object.keys(inst).sort(), ['endpoints', 'id', 'metadata', 'name', 'version']);
      assert.equal(inst.name, 'echo');
      assert.match(inst.endpoints[0] ?? '', /^grpc:\/\/127\.0\.0\.1:\d+$/);

      const who = new Set<string>();
      for (let i = 0; i < 20; i++) who.add((await say({ text: 'x', n: 0 })).text.split(':')[0] as string);
      assert.deepEqual([...who].sort(), ['a', 'b']);

      // Graceful stop of a while calls keep flowing: none fails, and traffic moves to b.
      let failures = 0;
      let running = true;
      const flow = (async () => {
        while (running) await say({ text: 'x', n: 0 }).catch(() => failures++);
      })();
      a.child.kill('SIGTERM');
      await stopped(a.child);
      await new Promise((r) => setTimeout(r, 200));
      const after = new Set<string>();
      for (let i = 0; i < 10; i++) after.add((await say({ text: 'x', n: 0 })).text.split(':')[0] as string);
      running = false;
      await flow;
      assert.equal(failures, 0);
      assert.deepEqual([...after], ['b']);

      // SIGKILL: the key stays until the lease expires, but c's channel fails at once, so c leaves the
      // pick set and calls started after its death go to b (one refused on c is resent: never sent).
      const c = await launch(etcd, 'c');
      await until(async () => (await registry.getService('echo')).length === 2, 5000, 'c registered');
      await until(async () => (await say({ text: 'x', n: 0 })).text.startsWith('c:'), 5000, 'c to be picked');
      c.child.kill('SIGKILL');
      await stopped(c.child);
      let killedFailures = 0;
      for (let i = 0; i < 20; i++) await say({ text: 'x', n: 0 }).catch(() => killedFailures++);
      assert.equal(killedFailures, 0);
      await until(async () => (await kv.get('/microservices/echo/c').string()) === null, 6000, 'the lease of c to expire');
    } finally {
      client.close();
      await registry.close();
      b.child.kill('SIGTERM');
      await stopped(b.child);
    }
  });

  it('should keep calls working while etcd is down and register again after it returns', async () => {
    const a = await launch(etcd, 'r1');
    const registry = new EtcdRegistry({ endpoints: etcd.endpoint });
    const client = createGrpcClient(svc, { endpoint: 'discovery:///echo', discovery: registry, timeout: 3000 });
    const say = client['say'] as (r: object) => Promise<{ text: string }>;
    try {
      assert.match((await say({ text: 'x', n: 0 })).text, /^r1:/);
      await etcd.kill();
      for (let i = 0; i < 5; i++) assert.match((await say({ text: 'x', n: 0 })).text, /^r1:/);
      await new Promise((r) => setTimeout(r, 4500));
      await etcd.restart();
      await until(async () => (await kv.get('/microservices/echo/r1').string().catch(() => null)) !== null, 15_000, 'r1 to register again');
      assert.match((await say({ text: 'x', n: 0 })).text, /^r1:/);
    } finally {
      client.close();
      await registry.close();
      a.child.kill('SIGTERM');
      await stopped(a.child);
    }
  });
});

describe('MemoryRegistry', () => {
  it('should register, list, watch and deregister in one process', async () => {
    const r = new MemoryRegistry();
    const w = await r.watch('svc');
    const i = { id: '1', name: 'svc', version: 'v1', metadata: {}, endpoints: ['grpc://127.0.0.1:1'] };
    const first = w.next();
    await r.register(i);
    assert.deepEqual(await first, [i]);
    const second = w.next();
    await r.deregister(i);
    assert.deepEqual(await second, []);
    await w.stop();
  });
});

describe('EtcdRegistry when etcd loses its data', () => {
  let etcd: TestEtcd;
  before(async () => {
    etcd = await startEtcd();
  });
  after(async () => {
    await etcd.stop();
  });

  const instance = (id: string): ServiceInstance => ({ id, name: 'wiped', version: 'v1', metadata: {}, endpoints: [`grpc://127.0.0.1:${1000 + id.length}`] });

  it('should watch again from the new revision, see joins and leaves, and register again, each logged once', async () => {
    const logs: string[] = [];
    const logger = new (class extends Logger {
      log(_level: Level, ...kv: unknown[]): void {
        logs.push(String(kv[kv.indexOf('msg') + 1]));
      }
    })();
    const kv2 = new Etcd3({ hosts: etcd.endpoint });
    const registrar = new EtcdRegistry({ endpoints: etcd.endpoint, ttl: 2, logger });
    const discovery = new EtcdRegistry({ endpoints: etcd.endpoint, logger });
    const watcher = await discovery.watch('wiped');
    try {
      await registrar.register(instance('a'));
      assert.deepEqual((await watcher.next()).map((i) => i.id), ['a']);
      // Push the revision well past what a fresh etcd will reach during the test.
      for (let i = 0; i < 60; i++) await kv2.put(`/other/${i}`).value('x');
      await etcd.restartEmpty();
      // a registers again on its own (lease lost); b joins afterwards: both must reach the watcher.
      const joiner = new EtcdRegistry({ endpoints: etcd.endpoint, ttl: 2 });
      let ids: string[] = [];
      const end = Date.now() + 15_000;
      let joined = false;
      while (Date.now() < end && !(ids.includes('a') && ids.includes('b'))) {
        const next = await Promise.race([watcher.next(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 1000))]);
        if (next !== undefined) ids = next.map((i) => i.id).sort();
        if (!joined && ids.includes('a')) {
          joined = true;
          await joiner.register(instance('b'));
        }
      }
      assert.deepEqual(ids, ['a', 'b'], 'the watch heard of the re-registration and of the join');
      await joiner.deregister(instance('b'));
      await joiner.close();
      const left = await Promise.race([watcher.next(), new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000))]);
      assert.deepEqual(left?.map((i) => i.id), ['a'], 'the watch heard of the leave');
      assert.equal(logs.filter((m) => /lost the watched history/.test(m)).length, 1, logs.join(' | '));
      assert.equal(logs.filter((m) => /lease lost/.test(m)).length, 1, logs.join(' | '));
    } finally {
      await watcher.stop();
      await discovery.close();
      await registrar.close();
      kv2.close();
    }
  });
});
