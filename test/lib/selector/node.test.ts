import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodesFromInstances } from '../../../lib/selector/index.js';
import { makeInstance } from './fixtures.js';

describe('nodesFromInstances', () => {
  const both = makeInstance('1', ['http://10.0.0.1:8000', 'grpc://10.0.0.1:9000'], { weight: '50', zone: 'east' });

  it('should keep the endpoints of the asked schemes only', () => {
    const grpc = nodesFromInstances([both], ['grpc']);
    assert.deepEqual(grpc.map((n) => [n.scheme, n.address]), [['grpc', '10.0.0.1:9000']]);
    const http = nodesFromInstances([both], ['http', 'https']);
    assert.deepEqual(http.map((n) => [n.scheme, n.address]), [['http', '10.0.0.1:8000']]);
    assert.equal(nodesFromInstances([both], ['grpcs']).length, 0);
  });

  it('should carry the instance fields and the weight from metadata', () => {
    const [node] = nodesFromInstances([both], ['grpc']);
    assert.ok(node);
    assert.equal(node.serviceName, 'svc');
    assert.equal(node.version, 'v1');
    assert.deepEqual(node.metadata, { weight: '50', zone: 'east' });
    assert.equal(node.initialWeight, 50);
    assert.equal(node.instance, both);
  });

  it('should leave the weight undefined when metadata has none or not an integer', () => {
    for (const metadata of [{}, { weight: 'heavy' }, { weight: '-5' }, { weight: '1.5' }]) {
      const [node] = nodesFromInstances([makeInstance('1', ['grpc://h:1'], metadata)], ['grpc']);
      assert.equal(node?.initialWeight, undefined, JSON.stringify(metadata));
    }
  });

  it('should give one node per address, the first', () => {
    const a = makeInstance('a', ['grpc://10.0.0.1:9000', 'grpc://10.0.0.1:9000']);
    const b = makeInstance('b', ['grpc://10.0.0.1:9000', 'grpc://10.0.0.2:9000']);
    const nodes = nodesFromInstances([a, b], ['grpc']);
    assert.deepEqual(nodes.map((n) => [n.instance?.id, n.address]), [['a', '10.0.0.1:9000'], ['b', '10.0.0.2:9000']]);
  });

  it('should skip endpoints that are not URLs and keep IPv6 addresses whole', () => {
    const nodes = nodesFromInstances([makeInstance('1', ['not a url', 'grpc://[::1]:9000', 'grpc://'])], ['grpc']);
    assert.deepEqual(nodes.map((n) => n.address), ['[::1]:9000']);
  });
});
