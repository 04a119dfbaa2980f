import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '@grpc/grpc-js';
import { MetadataHeader } from '../../../../lib/transport/grpc/index.js';

describe('MetadataHeader.keys', () => {
  it('should name every key that has a value, as grpc-js getMap() does, without copying the values', () => {
    const md = new Metadata();
    md.add('x-md-global-tenant', 'a');
    md.add('x-md-global-tenant', 'b');
    md.set('trace-bin', Buffer.from([1, 2, 3]));
    md.set('user-agent', 'grpc-node');
    md.set('gone', 'x');
    md.remove('gone');
    const h = new MetadataHeader(md);
    assert.deepEqual(h.keys(), Object.keys(md.getMap()));
    assert.deepEqual(h.keys(), ['x-md-global-tenant', 'trace-bin', 'user-agent']);
    assert.deepEqual(h.values('x-md-global-tenant'), ['a', 'b']);
    assert.equal(h.get('trace-bin'), 'AQID');
  });

  it('should read the first value of a key in any case, undefined for an absent one, and see later changes', () => {
    const md = new Metadata();
    const h = new MetadataHeader(md);
    assert.equal(h.get('traceparent'), undefined);
    md.add('traceparent', '00-a-b-01');
    md.add('traceparent', 'second');
    assert.equal(h.get('TraceParent'), '00-a-b-01');
    md.remove('traceparent');
    assert.equal(h.get('traceparent'), undefined);
    assert.deepEqual(h.keys(), []);
  });

  it('should be empty for new metadata, and name what is set on it', () => {
    const h = new MetadataHeader();
    assert.equal(h.empty, true);
    h.set('X-Reply', 'v');
    assert.equal(h.empty, false);
    assert.deepEqual(h.keys(), ['x-reply']);
  });
});
