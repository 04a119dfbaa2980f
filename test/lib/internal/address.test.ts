import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { advertisedHost, formatHostPort, parseAddress } from '../../../lib/internal/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';

describe('parseAddress', () => {
  it('should read host:port, :port and [v6]:port', () => {
    assert.deepEqual(parseAddress('127.0.0.1:8000'), { host: '127.0.0.1', port: 8000 });
    assert.deepEqual(parseAddress(':9000'), { host: '0.0.0.0', port: 9000 });
    assert.deepEqual(parseAddress('[::1]:0'), { host: '::1', port: 0 });
    assert.deepEqual(parseAddress('localhost:1'), { host: 'localhost', port: 1 });
  });

  it('should refuse junk with a coded error naming it', () => {
    for (const bad of ['8000', 'host:', 'a:b', 'h:70000', '']) {
      assert.throws(() => parseAddress(bad), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_ADDRESS_INVALID' && e.message.includes(`'${bad}'`));
    }
  });
});

describe('advertisedHost', () => {
  it('should keep a concrete host and replace wildcards with a non-wildcard address', () => {
    assert.equal(advertisedHost('127.0.0.1'), '127.0.0.1');
    for (const w of ['0.0.0.0', '::', '']) {
      const h = advertisedHost(w);
      assert.ok(!['0.0.0.0', '::', ''].includes(h), h);
    }
  });
});

describe('formatHostPort', () => {
  it('should bracket IPv6 hosts', () => {
    assert.equal(formatHostPort('::1', 80), '[::1]:80');
    assert.equal(formatHostPort('10.0.0.1', 80), '10.0.0.1:80');
  });
});
