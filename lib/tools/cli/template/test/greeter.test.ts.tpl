import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp } from 'kratos-ts/testing';
import { GreeterRepo } from '../src/biz/greeter.js';
import { AppModule } from '../src/server/app.module.js';

describe('{{name}} greeter', () => {
  it('should greet over HTTP and answer 404 USER_NOT_FOUND for error', async () => {
    const t = await createTestApp(AppModule, { projectConfigs: true });
    try {
      assert.deepEqual(await (await fetch(`${t.httpUrl}/hello/kratos`)).json(), { message: 'Hello kratos' });
      const res = await fetch(`${t.httpUrl}/hello/error`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { reason: string }).reason, 'USER_NOT_FOUND');
    } finally {
      await t.close();
    }
  });

  it('should use a fake repository in tests', async () => {
    const t = await createTestApp(AppModule, { projectConfigs: true, overrides: [{ provide: GreeterRepo, useValue: { exists: async () => false } }] });
    try {
      assert.equal((await fetch(`${t.httpUrl}/hello/anyone`)).status, 404);
    } finally {
      await t.close();
    }
  });
});
