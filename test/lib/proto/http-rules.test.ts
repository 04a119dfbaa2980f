import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { FrameworkError } from '../../../lib/errors/index.js';
import { ProtoLoader, type HttpRule, type ServiceSchema } from '../../../lib/proto/index.js';

// From dist*/test/lib/proto/ back to the sources, so the fixtures need no copy step.
const fixture = (p: string): string => fileURLToPath(new URL(`../../../../test/fixtures/proto/${p}`, import.meta.url));

let schema: Promise<ServiceSchema> | undefined;
const rules = (): Promise<ServiceSchema> => (schema ??= new ProtoLoader().service(fixture('rules/v1/rules.proto'), 'rules.v1.Rules'));
const httpOf = async (rpc: string): Promise<HttpRule[]> => {
  const m = (await rules()).methods.find((x) => x.name === rpc);
  assert.ok(m, rpc);
  return m.http;
};

function routed(rule: HttpRule, path: string): Record<string, string> | undefined {
  const router = new Router({ strict: true });
  router.register(rule.template.routerPath, [rule.method], () => undefined);
  const m = router.match(path, rule.method);
  const layer = m.pathAndMethod[0];
  if (!m.route || layer === undefined) return undefined;
  return rule.template.fields(layer.params(path, layer.captures(path), {}));
}

describe('ProtoLoader', () => {
  describe('.service', () => {
    describe('having google.api.http edge cases', () => {
      it('should keep a GET rule that declares a body', async () => {
        const [get] = await httpOf('Search');
        assert.deepEqual([get?.method, get?.body, get?.template.variables], ['GET', 'query', ['userId']]);
      });

      it('should ignore additional_bindings nested inside an additional binding', async () => {
        assert.deepEqual((await httpOf('Nested')).map((r) => r.template.source), ['/v1/nested', '/v1/nested/extra']);
      });

      it('should give variables, body and response_body as the camelCase paths runtime objects use', async () => {
        const [put] = await httpOf('Rename');
        assert.ok(put);
        assert.deepEqual(put.template.variables, ['userId', 'profile.displayName']);
        assert.equal(put.body, 'profile.displayName');
        assert.equal(put.responseBody, 'totalCount');
        assert.deepEqual(routed(put, '/v1/users/u1/profiles/Ann%20Lee:rename'), { userId: 'u1', 'profile.displayName': 'Ann Lee' });
      });

      it('should route a ** variable followed by a :verb', async () => {
        const [cancel] = await httpOf('Cancel');
        assert.ok(cancel);
        assert.deepEqual(routed(cancel, '/v1/operations/a/b/c:cancel'), { name: 'operations/a/b/c' });
        assert.equal(routed(cancel, '/v1/operations/a/b/c'), undefined);
        assert.equal(cancel.template.expand(() => 'operations/x y/z'), '/v1/operations/x%20y/z:cancel');
      });

      it('should refuse a body naming a field the request lacks, naming file, rpc and field', async () => {
        await assert.rejects(new ProtoLoader().service(fixture('broken/bad-body.proto'), 'broken.B'), (e: unknown) => {
          assert.ok(FrameworkError.isFrameworkError(e));
          assert.equal(e.code, 'KRATOS_ERR_PROTO_BINDING');
          for (const part of ['bad-body.proto', '/broken.B/Post', "'thing'"]) assert.ok(e.message.includes(part), e.message);
          return true;
        });
      });
    });
  });
});
