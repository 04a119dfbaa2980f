import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { propagation } from '@opentelemetry/api';
import { createTracing } from '../../../lib/tracing/index.js';

describe('the propagator of apps with their own provider', () => {
  it('should be W3C trace context and baggage, installed globally once and shared by every app without a lookup per call', async () => {
    const a = createTracing({ serviceName: 'a' });
    const b = createTracing({ serviceName: 'b' });
    assert.deepEqual(a.propagator.fields(), ['traceparent', 'tracestate', 'baggage']);
    assert.equal(b.propagator, a.propagator);
    assert.notEqual(b.propagator, propagation);
    assert.deepEqual(propagation.fields(), a.propagator.fields());
    await Promise.all([a.shutdown(), b.shutdown()]);
  });
});
