import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Etcd3 } from 'etcd3';
import { Config, etcdSource } from '../../../lib/config/index.js';
import { startEtcd, type TestEtcd } from '../../helpers/etcd.js';

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('etcdSource', () => {
  let etcd: TestEtcd;
  let client: Etcd3;
  before(async () => {
    etcd = await startEtcd();
    client = new Etcd3({ hosts: etcd.endpoint });
  });
  after(async () => {
    client.close();
    await etcd.stop();
  });

  describe('having a key', () => {
    it('should load a yaml document and reload on put and on delete', async () => {
      await client.put('/config/app.yaml').value('server:\n  http:\n    addr: ":1"\n');
      const c = new Config({ sources: [etcdSource({ endpoints: etcd.endpoint, key: '/config/app.yaml' })] });
      await c.load();
      assert.equal(c.get('server.http.addr'), ':1');
      const seen: unknown[] = [];
      c.watch('server.http.addr', (v) => seen.push(v));
      await client.put('/config/app.yaml').value('server:\n  http:\n    addr: ":2"\n');
      await until(() => c.get('server.http.addr') === ':2');
      await client.delete().key('/config/app.yaml');
      await until(() => c.get('server.http.addr') === undefined);
      assert.deepEqual(seen, [':2', undefined]);
      assert.equal(c.originOf('server'), undefined);
      await c.close();
    });
  });

  describe('having a prefix', () => {
    it('should nest each key under its path and follow puts and deletes', async () => {
      await client.put('/svc/data/database.json').value('{"driver":"pg","source":"x"}');
      await client.put('/svc/log').value('level: debug');
      const c = new Config({ sources: [etcdSource({ endpoints: etcd.endpoint, prefix: '/svc' })] });
      await c.load();
      assert.deepEqual(c.get('data.database'), { driver: 'pg', source: 'x' });
      assert.equal(c.get('log.level'), 'debug');
      assert.equal(c.originOf('data.database.driver'), 'etcd:/svc/data/database.json');
      await client.put('/svc/log').value('level: warn');
      await until(() => c.get('log.level') === 'warn');
      await client.delete().key('/svc/data/database.json');
      await until(() => c.get('data') === undefined);
      await c.close();
    });
  });
});
