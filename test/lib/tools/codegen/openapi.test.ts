import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { clientFiles, EVERYTHING_PROTO, GREETER_PROTO } from './codegen-fixtures.js';

type Doc = {
  openapi: string;
  info: { title: string };
  paths: Record<string, Record<string, Op>>;
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
};
type Param = { name: string; in: string; required?: boolean; schema: unknown };
type Op = { operationId: string; parameters?: Param[]; requestBody?: { content: Record<string, { schema: unknown }> }; responses: Record<string, { content: Record<string, { schema: unknown }> }> };

const doc = (file: string): Doc => {
  const json = clientFiles(file).find((f) => f.path.endsWith('.openapi.json'));
  assert.ok(json !== undefined);
  return JSON.parse(json.content) as Doc;
};

const ok = (op: Op | undefined): unknown => op?.responses['200']?.content['application/json']?.schema;

describe('generateClient OpenAPI document', () => {
  describe('having helloworld greeter.proto', () => {
    const d = doc(GREETER_PROTO);

    it('should be an OpenAPI 3.0 document titled after the service', () => {
      assert.match(d.openapi, /^3\.0\./);
      assert.equal(d.info.title, 'Greeter API');
    });

    it('should describe GET /helloworld/{name} with name as a required path parameter', () => {
      assert.deepEqual(Object.keys(d.paths), ['/helloworld/{name}']);
      const op = d.paths['/helloworld/{name}']?.['get'];
      assert.equal(op?.operationId, 'Greeter_SayHello');
      assert.deepEqual(op?.parameters, [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }]);
      assert.equal(op?.requestBody, undefined);
      assert.deepEqual(ok(op), { $ref: '#/components/schemas/helloworld.v1.HelloReply' });
    });

    it('should describe the reply and the Kratos error body', () => {
      assert.deepEqual(d.components.schemas['helloworld.v1.HelloReply'], { type: 'object', properties: { message: { type: 'string' } } });
      assert.deepEqual(Object.keys(d.components.schemas['kratos.Status']?.properties ?? {}), ['code', 'reason', 'message', 'metadata']);
    });
  });

  describe('having the everything fixture', () => {
    const d = doc(EVERYTHING_PROTO);
    const names = (op: Op | undefined, where: string): string[] => (op?.parameters ?? []).filter((p) => p.in === where).map((p) => p.name);

    it('should list one operation per rule, additional bindings included, and no streaming or unbound rpc', () => {
      const ops = Object.entries(d.paths).flatMap(([p, item]) => Object.entries(item).map(([m, op]) => `${m.toUpperCase()} ${p} ${op.operationId}`));
      assert.deepEqual(ops, [
        'GET /v1/shelves/{shelf}/things/{thing} Everything_GetThing',
        'GET /v1/things/{id} Everything_GetThing_1',
        'DELETE /v1/things/{id} Everything_DeleteThing',
        'PATCH /v1/things/{thing.id} Everything_UpdateThing',
        'POST /v1/things Everything_CreateThing',
        'GET /v1/things/{id}/tags Everything_ListTags',
      ]);
    });

    it('should turn the remaining fields of a GET into query parameters, nested ones dotted, maps left out', () => {
      const op = d.paths['/v1/things/{id}']?.['get'];
      assert.deepEqual(names(op, 'path'), ['id']);
      assert.deepEqual(names(op, 'query'), ['name', 'color', 'labels', 'page.size', 'page.token', 'since', 'mask', 'deleted']);
      const q = (n: string) => op?.parameters?.find((p) => p.name === n)?.schema;
      assert.deepEqual(q('color'), { type: 'string', enum: ['COLOR_UNSPECIFIED', 'COLOR_RED', 'COLOR_GREEN'] });
      assert.deepEqual(q('labels'), { type: 'array', items: { type: 'string' } });
      assert.deepEqual(q('since'), { type: 'string', format: 'date-time' });
      assert.deepEqual(op?.parameters?.find((p) => p.name === 'id')?.schema, { type: 'string', format: 'int64' });
    });

    it('should spell a patterned path variable out segment by segment and say which field the server binds', () => {
      const params = d.paths['/v1/shelves/{shelf}/things/{thing}']?.['get']?.parameters?.filter((p) => p.in === 'path');
      assert.deepEqual(params?.map((p) => p.name), ['shelf', 'thing']);
      assert.deepEqual(params?.[1], {
        name: 'thing', in: 'path', required: true, schema: { type: 'string', pattern: '^[^/]+$' },
        description: 'The `thing` segment. The server receives `name` = `shelves/{shelf}/things/{thing}` (pattern `shelves/*/things/*`).',
        'x-kratos-field': 'name', 'x-kratos-pattern': 'shelves/*/things/*',
      });
    });

    it('should send the body field as requestBody and leave only the other fields in the query', () => {
      const op = d.paths['/v1/things/{thing.id}']?.['patch'];
      assert.deepEqual(names(op, 'path'), ['thing.id']);
      assert.deepEqual(names(op, 'query'), ['updateMask']);
      assert.deepEqual(op?.requestBody?.content['application/json']?.schema, { $ref: '#/components/schemas/demo.v1.Thing' });
      const create = d.paths['/v1/things']?.['post'];
      assert.equal(create?.parameters, undefined);
      assert.deepEqual(create?.requestBody?.content['application/json']?.schema, { $ref: '#/components/schemas/demo.v1.Thing' });
    });

    it('should answer with the response_body field and with Empty as an object', () => {
      assert.deepEqual(ok(d.paths['/v1/things/{id}/tags']?.['get']), { type: 'array', items: { type: 'string' } });
      assert.deepEqual(ok(d.paths['/v1/things/{id}']?.['delete']), { type: 'object' });
    });

    it('should map fields to proto JSON types', () => {
      const p = d.components.schemas['demo.v1.Thing']?.properties ?? {};
      assert.deepEqual(p['id'], { type: 'string', format: 'int64' });
      assert.deepEqual(p['big'], { type: 'string', format: 'uint64' });
      assert.deepEqual(p['small'], { type: 'integer', format: 'int32' });
      assert.deepEqual(p['blob'], { type: 'string', format: 'byte' });
      assert.deepEqual(p['notes'], { type: 'array', items: { $ref: '#/components/schemas/demo.v1.Thing.Note' } });
      assert.deepEqual(p['notesById'], { type: 'object', additionalProperties: { $ref: '#/components/schemas/demo.v1.Thing.Note' } });
      assert.deepEqual(p['counts'], { type: 'object', additionalProperties: { type: 'string', format: 'int64' } });
      assert.deepEqual(p['createdAt'], { type: 'string', format: 'date-time' });
      assert.equal((p['ttl'] as { type: string }).type, 'string');
      assert.deepEqual(p['attributes'], { type: 'object', additionalProperties: true });
      assert.deepEqual(p['version'], { type: 'string', format: 'int64', nullable: true });
      assert.deepEqual(p['parent'], { $ref: '#/components/schemas/demo.v1.Thing' }, 'a recursive message refers to itself');
      assert.deepEqual(Object.keys(d.components.schemas), ['demo.v1.Thing', 'demo.v1.Thing.Note', 'kratos.Status']);
    });
  });
});
