import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { protoTemplate } from '../../../../lib/tools/codegen/index.js';
import { FrameworkError } from '../../../../lib/errors/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';

describe('protoTemplate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-proto-add-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const load = (rel: string, service: string) => {
    const file = join(dir, rel);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, protoTemplate(rel));
    return new ProtoLoader().serviceSync(file, service);
  };

  describe('having api/x/v1/demo.proto', () => {
    it('should load as package x.v1 with five rpcs bound to REST routes', () => {
      const s = load('api/x/v1/demo.proto', 'x.v1.Demo');
      const rules = s.methods.map((m) => [m.name, m.requestType.name, m.responseType.name, m.http.map((r) => `${r.method} ${r.template.source} ${r.body ?? ''}`.trim())]);
      assert.deepEqual(rules, [
        ['CreateDemo', 'CreateDemoRequest', 'CreateDemoReply', ['POST /v1/demos *']],
        ['UpdateDemo', 'UpdateDemoRequest', 'UpdateDemoReply', ['PUT /v1/demos/{id} *']],
        ['DeleteDemo', 'DeleteDemoRequest', 'DeleteDemoReply', ['DELETE /v1/demos/{id}']],
        ['GetDemo', 'GetDemoRequest', 'GetDemoReply', ['GET /v1/demos/{id}']],
        ['ListDemo', 'ListDemoRequest', 'ListDemoReply', ['GET /v1/demos']],
      ]);
    });
  });

  describe('having a snake_case name outside api/', () => {
    it('should name the service in PascalCase and keep every directory in the package', () => {
      const s = load('shop/order/v2/line_item.proto', 'shop.order.v2.LineItem');
      assert.equal(s.methods[0]?.name, 'CreateLineItem');
      assert.equal(s.methods[0]?.http[0]?.template.source, '/v1/line_items');
    });
  });

  describe('having a path that cannot make a proto', () => {
    for (const bad of ['api/x/v1/demo.txt', 'api/x-y/v1/demo.proto', 'api/x/v1/.proto']) {
      it(`should refuse ${bad} with a coded error`, () => {
        assert.throws(() => protoTemplate(bad), (e: unknown) => e instanceof FrameworkError && e.code === 'KRATOS_ERR_PROTO_INVALID');
      });
    }
  });
});
