import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { FRAMEWORK_ERRORS, FrameworkError, type FrameworkErrorCode } from '../../../lib/errors/index.js';

describe('FRAMEWORK_ERRORS', () => {
  it('should pin the list of codes (append new ones; never rename or reuse)', () => {
    assert.deepEqual(Object.keys(FRAMEWORK_ERRORS), [
      'KRATOS_ERR_PROVIDER_MISSING',
      'KRATOS_ERR_DEPENDENCY_CYCLE',
      'KRATOS_ERR_PARAM_UNRESOLVABLE',
      'KRATOS_ERR_PROVIDER_DUPLICATE',
      'KRATOS_ERR_PROVIDER_INVALID',
      'KRATOS_ERR_MODULE_INVALID',
      'KRATOS_ERR_TOKEN_UNKNOWN',
      'KRATOS_ERR_LIFECYCLE_FAILED',
      'KRATOS_ERR_MIDDLEWARE_INVALID',
      'KRATOS_ERR_ROUTE_INVALID',
      'KRATOS_ERR_ADDRESS_INVALID',
      'KRATOS_ERR_CONFIG_INVALID',
      'KRATOS_ERR_OPTIONS_INVALID',
      'KRATOS_ERR_HOOK_INVALID',
      'KRATOS_ERR_APP_STATE',
      'KRATOS_ERR_PROTO_INVALID',
      'KRATOS_ERR_PROTO_BINDING',
      'KRATOS_ERR_REGISTRY',
      'KRATOS_ERR_PROTO_RULE',
      'KRATOS_ERR_AMBIENT_CONTEXT_REQUIRED',
    ]);
  });

  it('should give every code a description and a hint', () => {
    for (const [code, entry] of Object.entries(FRAMEWORK_ERRORS)) {
      assert.ok(entry.description.length > 20, code);
      assert.ok(entry.hint.length > 20, code);
    }
  });

  it('should be listed in the README table', () => {
    const readme = readFileSync(new URL('../../../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(FRAMEWORK_ERRORS)) assert.ok(readme.includes(`\`${code}\``), `README lacks ${code}`);
  });
});

describe('FrameworkError', () => {
  it('should carry its code, the default hint, and be recognised without instanceof', () => {
    const code: FrameworkErrorCode = 'KRATOS_ERR_APP_STATE';
    const e = new FrameworkError(code, 'start twice');
    assert.equal(e.code, code);
    assert.equal(e.hint, FRAMEWORK_ERRORS[code].hint);
    assert.match(e.message, /^KRATOS_ERR_APP_STATE: start twice\n {2}Hint: /);
    const foreign = Object.assign(new Error('x'), { [Symbol.for('kratos-ts/FrameworkError')]: true });
    assert.equal(FrameworkError.isFrameworkError(foreign), true);
    assert.equal(FrameworkError.isFrameworkError(new Error('x')), false);
  });
});
