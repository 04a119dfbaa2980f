import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Module, Service } from '../../../decorators/index.js';
import { TRACING } from '../../../lib/app/index.js';
import { createTestApp } from '../../../lib/testing/index.js';
import type { Tracing } from '../../../lib/tracing/index.js';

@Service() class Ping { @Get('/ping') ping() { return { ok: true }; } }
@Module({ services: [Ping] }) class PingModule {}

describe('createApp tracing options and config', () => {
  it('should name the service from tracing.serviceName over the app name, with trace.resource and the app version', async () => {
    const app = await createTestApp(PingModule, {
      name: 'ping-app', version: '1.2.3',
      tracing: { exporter: 'memory', sampleRatio: 1, serviceName: 'ping' },
      config: { trace: { resource: { 'deployment.environment.name': 'test' } } },
    });
    try {
      await fetch(`${app.httpUrl}/ping`);
      const [span] = (app.get(TRACING) as Tracing).memoryExporter?.getFinishedSpans() ?? [];
      assert.equal(span?.name, '/ping');
      const { attributes } = span!.resource;
      assert.deepEqual([attributes['service.name'], attributes['service.version'], attributes['deployment.environment.name']], ['ping', '1.2.3', 'test']);
    } finally {
      await app.close();
    }
  });

  it('should refuse a trace.resource that is not a map, naming the key', async () => {
    await assert.rejects(createTestApp(PingModule, { config: { trace: { resource: 'team=core' } } }), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'KRATOS_ERR_CONFIG_INVALID');
      assert.match(err.message, /trace\.resource/);
      return true;
    });
  });
});
