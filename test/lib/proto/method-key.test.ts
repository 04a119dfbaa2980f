import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { methodKey, rpcName } from '../../../lib/proto/index.js';

describe('methodKey', () => {
  it('should lower only the first letter of an rpc name', () => {
    assert.equal(methodKey('SayHello'), 'sayHello');
    assert.equal(methodKey('GetURL'), 'getURL');
    assert.equal(methodKey('list'), 'list');
  });

  it('should be undone by rpcName for UpperCamel rpcs', () => {
    for (const rpc of ['SayHello', 'GetURL', 'Watch']) assert.equal(rpcName(methodKey(rpc)), rpc);
  });
});
