import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openApiPath } from '../../../../lib/tools/codegen/openapi-paths.js';

describe('openApiPath', () => {
  it('should keep a simple variable as {field}, nested fields camelCased', () => {
    assert.deepEqual(openApiPath('/v1/things/{thing.display_id}'), { path: '/v1/things/{thing.displayId}', params: [{ name: 'thing.displayId', field: 'thing.displayId', multi: false }] });
  });

  it('should spell a pattern out, naming each wildcard after the collection before it', () => {
    const { path, params } = openApiPath('/v1/{name=shelves/*/books/*}');
    assert.equal(path, '/v1/shelves/{shelf}/books/{book}');
    assert.deepEqual(params.map((p) => [p.name, p.field, p.template, p.pattern]), [
      ['shelf', 'name', 'shelves/{shelf}/books/{book}', 'shelves/*/books/*'],
      ['book', 'name', 'shelves/{shelf}/books/{book}', 'shelves/*/books/*'],
    ]);
  });

  it('should keep templates that differ only in their patterns distinct', () => {
    assert.notEqual(openApiPath('/v1/{name=shelves/*}').path, openApiPath('/v1/{name=shelves/*/books/*}').path);
  });

  it('should keep a custom verb after the spelled-out variable', () => {
    assert.equal(openApiPath('/v1/{name=shelves/*}:merge').path, '/v1/shelves/{shelf}:merge');
    assert.equal(openApiPath('/v1/orders:watch').path, '/v1/orders:watch');
  });

  it('should mark ** as a parameter that may contain /', () => {
    const { path, params } = openApiPath('/v1/{name=projects/*/files/**}');
    assert.equal(path, '/v1/projects/{project}/files/{file}');
    assert.deepEqual(params.map((p) => p.multi), [false, true]);
    assert.deepEqual(openApiPath('/v1/{path=**}').params, [{ name: 'path', field: 'path', multi: true }]);
  });

  it('should name wildcards without a collection before them after the field, and never twice', () => {
    assert.equal(openApiPath('/v1/{name=*/items/*}').path, '/v1/{name}/items/{item}');
    assert.equal(openApiPath('/v1/{parent=users/*}/{name=users/*}').path, '/v1/users/{user}/users/{user2}');
    assert.equal(openApiPath('/v1/{name=categories/*/boxes/*}').path, '/v1/categories/{category}/boxes/{box}');
    assert.equal(openApiPath('/v1/{name=addresses/*/status/*}').path, '/v1/addresses/{address}/status/{status}');
  });
});
