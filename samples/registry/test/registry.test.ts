import { describe, it, before, after } from 'node:test';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { EtcdRegistry } from 'kratos-ts';
import { createTestApp, type TestApp } from 'kratos-ts/testing';
import { AppModule } from '../../helloworld/src/server/app.module.js';
import { callAround } from '../client.js';
import { startEtcd, type TestEtcd } from '../../../test/helpers/etcd.js';

describe('registry sample', () => {
  let etcd: TestEtcd;
  const apps: TestApp[] = [];
  before(async () => {
    etcd = await startEtcd();
    for (const id of ['hello-1', 'hello-2']) {
      // The same config the sample reads from ETCD_ENDPOINTS, given in memory here.
      apps.push(await createTestApp(AppModule, {
        id,
        name: 'helloworld',
        protoPaths: [fileURLToPath(new URL('../../helloworld', import.meta.url))],
        config: { registry: { etcd: { endpoints: etcd.endpoint, ttl: 5 } } },
      }));
    }
  });
  after(async () => {
    await Promise.all(apps.map((a) => a.close()));
    await etcd.stop();
  });

  it('should spread calls to discovery:///helloworld over both instances', async () => {
    const registry = new EtcdRegistry({ endpoints: etcd.endpoint });
    try {
      const calls = await callAround(registry, 10);
      assert.deepEqual([...new Set(calls.map((c) => c.instance))].sort(), ['hello-1', 'hello-2']);
      assert.equal(calls[0]?.message, 'Hello call-0');
    } finally {
      await registry.close();
    }
  });
});
