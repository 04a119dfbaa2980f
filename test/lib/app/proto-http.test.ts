import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { JsonCodec, setFieldPath, toCanonical } from '../../../lib/encoding/index.js';
import { protoRoutes } from '../../../lib/app/proto-http.js';
import { ProtoLoader, type MethodSchema } from '../../../lib/proto/index.js';
import type { HttpContext, HttpRoute, RawRequest } from '../../../lib/transport/http/index.js';

const fixture = fileURLToPath(new URL('../../../../test/fixtures/proto/binding/v1/binding.proto', import.meta.url));
const json = new JsonCodec();

/** Binding through protobufjs: each variable set, then fromObject and toObject. */
function throughProtobufjs(method: MethodSchema, fields: Record<string, string>): Record<string, unknown> {
  const type = method.requestType;
  const req: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(fields)) setFieldPath(type, req, field, value);
  return toCanonical(type, type.fromObject(req));
}

function decode(route: HttpRoute, params: Record<string, string>, query = '', body = Buffer.alloc(0)): unknown {
  const raw: RawRequest = { body, codec: json, contentType: body.length > 0 ? 'application/json' : undefined, query, params };
  return (route.decode as (raw: RawRequest, ctx: HttpContext) => unknown)(raw, {} as HttpContext);
}

describe('protoRoutes', () => {
  let method: MethodSchema;
  let routes: HttpRoute[];

  before(async () => {
    const schema = await new ProtoLoader().service(fixture, 'binding.v1.Binding');
    method = schema.methods[0] as MethodSchema;
    routes = protoRoutes(method, async () => ({}));
  });

  describe('binding path variables', () => {
    const scalars: Record<string, string>[] = [
      { p0: 'ada', p1: '9223372036854775807', p2: '18446744073709551615', p3: 'true', p4: '-0', p5: '11.23', p6: 'AQID', p7: '-5', p8: 'o1', p9: '4294967295', p10: 'n' },
      { p0: '', p1: '-9223372036854775808', p2: '0', p3: 'F', p4: '1e308', p5: 'NaN', p6: '_-8', p7: '0', p8: '', p9: '0', p10: '' },
      { p0: 'ü %', p1: '+0042', p2: '007', p3: '1', p4: 'Infinity', p5: '-Infinity', p6: '', p7: '2147483647', p8: 'x.y', p9: '12', p10: 'z' },
    ];

    it('should make the same canonical request as binding them through protobufjs', () => {
      // Rule 4 binds top-level scalars only (bound without protobufjs), rule 0 a nested field and an optional too.
      for (const i of [0, 4]) {
        for (const params of scalars) {
          const want = throughProtobufjs(method, methodFields(method, i, params));
          assert.deepEqual(decode(routes[i] as HttpRoute, params), want, JSON.stringify(params));
          assert.deepEqual(Object.keys(decode(routes[i] as HttpRoute, params) as object), Object.keys(want));
          // With a query the request goes the general way: the same result for the same variables.
          assert.deepEqual(decode(routes[i] as HttpRoute, params, 'tags=a'), { ...want, tags: ['a'] });
        }
      }
    });

    it('should name enum values by their canonical name, aliases included', () => {
      for (const shade of ['SHADE_DARK', 'SHADE_BLACK', '1', 'SHADE_UNSPECIFIED']) {
        const want = throughProtobufjs(method, { shade });
        assert.deepEqual(decode(routes[1] as HttpRoute, { p0: shade }), want, shade);
      }
    });

    it('should bind multi-segment variables and bodies with the variables winning', () => {
      assert.equal((decode(routes[2] as HttpRoute, { p0: 's1', p1: 'b2' }) as { name: string }).name, 'shelves/s1/books/b2');
      const bound = decode(routes[3] as HttpRoute, { p0: 'path' }, '', Buffer.from('{"owner":{"id":"body","rank":3},"name":"n"}')) as { owner: { id: string; rank: number }; name: string };
      assert.deepEqual([bound.owner.id, bound.owner.rank, bound.name], ['path', 3, 'n']);
    });

    it('should refuse a value that does not convert with a 400 naming the field', () => {
      const bad = { ...scalars[0], p1: '12x' } as Record<string, string>;
      for (const i of [0, 4]) {
        assert.throws(() => decode(routes[i] as HttpRoute, bad), (err: { code?: number; reason?: string; message?: string }) => err.code === 400 && err.reason === 'CODEC' && /\bid: invalid int64/.test(err.message ?? ''));
      }
    });
  });
});

/** The field values of rule `i` for router parameters. */
function methodFields(method: MethodSchema, i: number, params: Record<string, string>): Record<string, string> {
  return (method.http[i] as MethodSchema['http'][number]).template.fields(params);
}
