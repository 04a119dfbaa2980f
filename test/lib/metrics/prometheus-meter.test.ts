import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DEFAULT_SECONDS_BUCKETS, NoopMeter, PrometheusMeter } from '../../../lib/metrics/index.js';

const PROMTOOL = '/usr/bin/promtool';
const CODE_LABELS = ['kind', 'operation', 'code', 'reason'];

function withMeter(fn: (meter: PrometheusMeter) => Promise<void>): () => Promise<void> {
  return async () => {
    const meter = new PrometheusMeter();
    try {
      await fn(meter);
    } finally {
      meter.close();
    }
  };
}

describe('PrometheusMeter', () => {
  describe('.counter', () => {
    it('should write Kratos names and labels in order', withMeter(async (meter) => {
      const c = meter.counter('server_requests_code_total', 'requests', CODE_LABELS);
      c.inc({ kind: 'http', operation: '/a.B/C', code: '404', reason: 'USER_NOT_FOUND' });
      const text = await meter.metrics();
      assert.match(text, /^# TYPE server_requests_code_total counter$/m);
      assert.ok(text.includes('server_requests_code_total{kind="http",operation="/a.B/C",code="404",reason="USER_NOT_FOUND"} 1\n'), text);
    }));

    it('should keep one series per label set and add values', withMeter(async (meter) => {
      const c = meter.counter('x_total', 'x', ['a', 'b']);
      c.inc({ a: '1', b: '2' });
      c.inc({ a: '1', b: '2' }, 2);
      c.inc({ a: '1', b: '3' });
      c.inc({ a: '1' });
      const text = await meter.metrics();
      assert.ok(text.includes('x_total{a="1",b="2"} 3\n'));
      assert.ok(text.includes('x_total{a="1",b="3"} 1\n'));
      assert.ok(text.includes('x_total{a="1",b=""} 1\n'));
    }));

    it('should return the existing metric for a name registered twice', withMeter(async (meter) => {
      const a = meter.counter('dup_total', 'd', ['k']);
      const b = meter.counter('dup_total', 'd', ['k']);
      assert.equal(a, b);
      b.inc({ k: 'v' });
      assert.ok((await meter.metrics()).includes('dup_total{k="v"} 1\n'));
      assert.throws(() => meter.histogram('dup_total', 'd', ['k'], [1]), /already registered as a counter/);
    }));

    it('should count a metric without labels', withMeter(async (meter) => {
      meter.counter('plain_total', 'p', []).inc({}, 5);
      assert.ok((await meter.metrics()).includes('plain_total 5\n'));
    }));
  });

  describe('.histogram', () => {
    it('should write Kratos seconds buckets', withMeter(async (meter) => {
      const h = meter.histogram('server_requests_seconds', 'seconds', ['kind', 'operation'], [...DEFAULT_SECONDS_BUCKETS]);
      h.observe({ kind: 'http', operation: '/a.B/C' }, 0.003);
      h.observe({ kind: 'http', operation: '/a.B/C' }, 0.3);
      const text = await meter.metrics();
      const buckets = [...text.matchAll(/^server_requests_seconds_bucket\{le="([^"]+)",kind="http",operation="\/a\.B\/C"\} (\d+)$/gm)].map((m) => [m[1], m[2]]);
      assert.deepEqual(buckets, [
        ['0.005', '1'], ['0.01', '1'], ['0.025', '1'], ['0.05', '1'], ['0.1', '1'], ['0.25', '1'], ['0.5', '2'], ['1', '2'], ['+Inf', '2'],
      ]);
      assert.ok(text.includes('server_requests_seconds_count{kind="http",operation="/a.B/C"} 2\n'));
    }));
  });

  describe('having two meters', () => {
    it('should keep their series apart and let both register the same names', async () => {
      const a = new PrometheusMeter({ defaultLabels: { service: 'a' } });
      const b = new PrometheusMeter();
      try {
        a.counter('same_total', 's', []).inc({});
        b.counter('same_total', 's', []).inc({}, 7);
        assert.ok((await a.metrics()).includes('same_total{service="a"} 1\n'));
        assert.ok((await b.metrics()).includes('same_total 7\n'));
      } finally {
        a.close();
        b.close();
      }
    });
  });

  describe('.collectRuntimeMetrics', () => {
    it('should add process and Node runtime metrics, once', withMeter(async (meter) => {
      meter.collectRuntimeMetrics();
      meter.collectRuntimeMetrics();
      const text = await meter.metrics();
      for (const name of ['nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_gc_duration_seconds', 'process_cpu_user_seconds_total']) {
        assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
      }
    }));

    it('should stay readable after close, and close twice', async () => {
      const meter = new PrometheusMeter();
      meter.collectRuntimeMetrics();
      meter.close();
      meter.close();
      assert.match(await meter.metrics(), /nodejs_heap_size_total_bytes/);
    });
  });

  describe('.metrics', () => {
    it('should have the exposition content type', withMeter(async (meter) => {
      assert.equal(meter.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    }));

    it('should pass promtool check metrics with no findings, runtime metrics included', async (t) => {
      if (!existsSync(PROMTOOL)) {
        t.skip('promtool is not installed');
        return;
      }
      const meter = new PrometheusMeter();
      try {
        meter.collectRuntimeMetrics();
        meter.counter('server_requests_code_total', 'r', CODE_LABELS).inc({ kind: 'grpc', operation: '/a.B/C', code: '200', reason: '' });
        meter.histogram('server_requests_seconds', 's', ['kind', 'operation'], [...DEFAULT_SECONDS_BUCKETS]).observe({ kind: 'grpc', operation: '/a.B/C' }, 0.02);
        const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: await meter.metrics(), encoding: 'utf8' });
        assert.equal(run.status, 0, run.stdout + run.stderr);
        assert.equal(`${run.stdout}${run.stderr}`.trim(), '');
      } finally {
        meter.close();
      }
    });
  });
});

describe('NoopMeter', () => {
  it('should accept calls and record nothing', () => {
    const m = new NoopMeter();
    m.counter('a_total', 'a', ['x']).inc({ x: '1' });
    m.histogram('b', 'b', [], [1]).observe({}, 1);
  });
});
