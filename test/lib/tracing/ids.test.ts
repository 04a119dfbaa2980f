import { describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';
import { newSpanId, newTraceId } from '../../../lib/tracing/ids.js';

// A call's ids (a trace id and a span id: 24 random bytes) come from a pool of random bytes filled
// 16 KiB at a time; a fill has a fixed cost of some microseconds whatever its size, so how many
// calls one fill serves is part of what an id costs.

describe('trace and span ids', () => {
  it('should be lowercase hex of W3C length, not all zeros, and distinct', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const traceId = newTraceId();
      const spanId = newSpanId();
      assert.match(traceId, /^[0-9a-f]{32}$/);
      assert.match(spanId, /^[0-9a-f]{16}$/);
      assert.notEqual(traceId, '0'.repeat(32));
      assert.notEqual(spanId, '0'.repeat(16));
      seen.add(traceId).add(spanId);
    }
    assert.equal(seen.size, 10_000);
  });

  it('should draw the ids of about 680 calls from one fill of random bytes', () => {
    const fill = mock.method(crypto, 'randomFillSync');
    syncBuiltinESMExports();
    try {
      // 6,827 calls' ids are 163,848 bytes: ten fills of 16 KiB, and one more where the pool was part used.
      for (let i = 0; i < 6827; i++) {
        newTraceId();
        newSpanId();
      }
      assert.ok(fill.mock.callCount() <= 11, `${fill.mock.callCount()} fills`);
      assert.ok(fill.mock.callCount() >= 10, `${fill.mock.callCount()} fills`);
    } finally {
      fill.mock.restore();
      syncBuiltinESMExports();
    }
  });
});
