import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createGrpcClient, type Middleware } from 'kratos-ts';
import { createTestApp } from 'kratos-ts/testing';
import { ChatModule } from '../chat-service.js';
import { tour } from '../client.js';

describe('streaming sample', () => {
  it('should run every call kind once through the middleware', async () => {
    const seen: string[] = [];
    const audit: Middleware = (next) => async (req, ctx) => {
      seen.push(ctx.operation);
      return next(req, ctx);
    };
    const t = await createTestApp(ChatModule, { http: false, middleware: [audit] });
    const proto = fileURLToPath(new URL('../api/chat/v1/chat.proto', import.meta.url));
    const client = createGrpcClient({ proto, name: 'chat.v1.Chat' }, { endpoint: t.grpcAddress });
    try {
      assert.deepEqual(await tour(client), [
        'unary: count=1',
        'client stream: count=4',
        'server stream: b',
        'server stream: c',
        'bidi: A',
        'bidi: B',
        'bidi: C',
      ]);
      assert.deepEqual(seen, ['/chat.v1.Chat/Send', '/chat.v1.Chat/Upload', '/chat.v1.Chat/History', '/chat.v1.Chat/Live']);
    } finally {
      client.close();
      await t.close();
    }
  });
});
