import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Counter, Histogram, Registry } from 'prom-client';
import { DEFAULT_SECONDS_BUCKETS, PrometheusMeter } from '../../../lib/metrics/index.js';

// prom-client's own metrics, fed the same calls, are the oracle: held series must expose the same text.
describe('PrometheusMeter series held per label set', () => {
  it('should expose exactly what prom-client exposes for the same counter and histogram calls', async () => {
    const meter = new PrometheusMeter({ defaultLabels: { service: 'hw' } });
    const registry = new Registry();
    registry.setDefaultLabels({ service: 'hw' });
    const names = ['kind', 'operation', 'code', 'reason'];
    const ours = meter.counter('server_requests_code_total', 'The total number of processed server requests', names);
    const theirs = new Counter({ name: 'server_requests_code_total', help: 'The total number of processed server requests', labelNames: names, registers: [registry] });
    const ourSeconds = meter.histogram('server_requests_seconds', 'server requests duration (sec).', ['kind', 'operation'], [...DEFAULT_SECONDS_BUCKETS]);
    const theirSeconds = new Histogram({ name: 'server_requests_seconds', help: 'server requests duration (sec).', labelNames: ['kind', 'operation'], buckets: [...DEFAULT_SECONDS_BUCKETS], registers: [registry] });
    const ok = ours.bind?.({ kind: 'http', operation: '/a.B/C', code: '200', reason: '' });
    const okSeconds = ourSeconds.bind?.({ kind: 'http', operation: '/a.B/C' });
    assert.ok(ok !== undefined && okSeconds !== undefined);
    const latencies = [0.0001, 0.005, 0.0050001, 0.3, 1, 7, 0.01, 0.1 + 0.2];
    for (const [i, v] of latencies.entries()) {
      ok.inc();
      okSeconds.observe(v);
      theirs.inc({ kind: 'http', operation: '/a.B/C', code: '200', reason: '' });
      theirSeconds.observe({ kind: 'http', operation: '/a.B/C' }, v);
      if (i % 3 === 0) {
        // Label values with characters the exposition escapes, and a label left out (written as '').
        ours.inc({ kind: 'grpc', operation: '/a.B/"D"\n', code: '404' }, 2);
        theirs.inc({ kind: 'grpc', operation: '/a.B/"D"\n', code: '404', reason: '' }, 2);
        ourSeconds.observe({ kind: 'grpc', operation: '/a.B/"D"\n' }, v * 3);
        theirSeconds.observe({ kind: 'grpc', operation: '/a.B/"D"\n' }, v * 3);
      }
    }
    const text = await meter.metrics();
    const expected = await registry.metrics();
    assert.equal(text, expected);
  });

  it('should expose an unlabelled counter and histogram at 0 before any call, as prom-client does', async () => {
    const meter = new PrometheusMeter();
    const registry = new Registry();
    meter.counter('jobs_total', 'jobs', []);
    meter.histogram('job_seconds', 'job time', [], [0.1, 1]);
    new Counter({ name: 'jobs_total', help: 'jobs', registers: [registry] });
    new Histogram({ name: 'job_seconds', help: 'job time', buckets: [0.1, 1], registers: [registry] });
    assert.equal(await meter.metrics(), await registry.metrics());
    meter.counter('jobs_total', 'jobs', []).inc({}, 3);
    meter.histogram('job_seconds', 'job time', [], [0.1, 1]).observe({}, 0.5);
    (registry.getSingleMetric('jobs_total') as Counter).inc(3);
    (registry.getSingleMetric('job_seconds') as Histogram).observe(0.5);
    assert.equal(await meter.metrics(), await registry.metrics());
  });

  it('should reject what prom-client rejects: a negative or non-finite increment, a non-finite observation', () => {
    const meter = new PrometheusMeter();
    const c = meter.counter('c_total', 'c', ['k']);
    const h = meter.histogram('h_seconds', 'h', ['k'], [1]);
    assert.throws(() => c.inc({ k: 'a' }, -1), /not possible to decrease/);
    assert.throws(() => c.inc({ k: 'a' }, Number.POSITIVE_INFINITY), /not a valid number/);
    assert.throws(() => h.observe({ k: 'a' }, Number.NaN), /not a valid number/);
  });
});
