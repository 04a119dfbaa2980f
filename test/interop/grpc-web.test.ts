import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Code, ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcWebTransport } from '@connectrpc/connect-node';
import type { DescService } from '@bufbuild/protobuf';
import type { Middleware } from 'kratos-ts';
import { createTestApp, type TestApp } from 'kratos-ts/testing';
import { AppModule } from '../../samples/helloworld/src/server/app.module.js';
import { ChatModule } from '../../samples/streaming/chat-service.js';
import { messageIn, peerRegistry, repoPath, serviceIn } from '../helpers/grpc-web-peer.js';

// The peer: @connectrpc/connect's gRPC-Web transport for Node (a maintained client that is not ours),
// with messages described by protoc's own descriptors of the samples' protos.
const helloRegistry = peerRegistry(repoPath('samples', 'helloworld'), ['api/helloworld/v1/greeter.proto']);
const chatRegistry = peerRegistry(repoPath('samples', 'streaming'), ['api/chat/v1/chat.proto']);
const ErrorInfo = messageIn(helloRegistry, 'google.rpc.ErrorInfo');

// The descriptors come from protoc at run time, so the client's methods are not typed here.
type Untyped = Record<string, (request: unknown, options?: object) => any>;

function client(service: DescService, app: TestApp): Untyped {
  return createClient(service, createGrpcWebTransport({ baseUrl: app.httpUrl, httpVersion: '1.1' })) as unknown as Untyped;
}

describe('gRPC-Web through @connectrpc/connect-node', () => {
  describe('helloworld sample', () => {
    const seen: { operation: string; kind: string; md: string | undefined }[] = [];
    const audit: Middleware = (next) => async (req, ctx) => {
      seen.push({ operation: ctx.operation, kind: ctx.kind, md: ctx.metadata.get('x-md-global-caller') });
      ctx.replyHeader.set('x-served-by', 'kratos-ts');
      return next(req, ctx);
    };
    let app: TestApp;
    let greeter: Untyped;
    before(async () => {
      app = await createTestApp(AppModule, { middleware: [audit], protoPaths: [repoPath('samples', 'helloworld')] });
      greeter = client(serviceIn(helloRegistry, 'helloworld.v1.Greeter'), app);
    });
    after(() => app.close());

    it('should answer SayHello on the HTTP port through the gRPC middleware chain', async () => {
      let served: string | null = null;
      const reply = (await greeter['sayHello']!(
        { name: 'kratos' },
        { headers: { 'x-md-global-caller': 'web' }, onHeader: (h: Headers) => (served = h.get('x-served-by')) },
      )) as { message: string };
      assert.equal(reply.message, 'Hello kratos');
      assert.equal(served, 'kratos-ts');
      assert.deepEqual(seen.at(-1), { operation: '/helloworld.v1.Greeter/SayHello', kind: 'grpc', md: 'web' });
    });

    it('should carry the Kratos error: NOT_FOUND with reason USER_NOT_FOUND in ErrorInfo', async () => {
      const err = await greeter['sayHello']!({ name: 'error' }).then(
        () => assert.fail('should have failed'),
        (e: unknown) => ConnectError.from(e),
      );
      assert.equal(err.code, Code.NotFound);
      assert.equal(err.rawMessage, 'user not found: error');
      const [info] = err.findDetails(ErrorInfo) as { reason: string }[];
      assert.equal(info?.reason, 'USER_NOT_FOUND');
    });
  });

  describe('streaming sample', () => {
    let app: TestApp;
    let chat: Untyped;
    before(async () => {
      app = await createTestApp(ChatModule, { protoPaths: [repoPath('samples', 'streaming')] });
      chat = client(serviceIn(chatRegistry, 'chat.v1.Chat'), app);
    });
    after(() => app.close());

    it('should stream History after unary Sends', async () => {
      for (const text of ['a', 'b', 'c']) await chat['send']!({ room: 'web', text });
      const got: string[] = [];
      for await (const m of chat['history']!({ room: 'web', last: 2 }) as AsyncIterable<{ text: string }>) got.push(m.text);
      assert.deepEqual(got, ['b', 'c']);
    });

    it('should end an empty stream with status OK', async () => {
      const got: unknown[] = [];
      for await (const m of chat['history']!({ room: 'nobody', last: 5 }) as AsyncIterable<unknown>) got.push(m);
      assert.deepEqual(got, []);
    });

    it('should serve a client stream sent whole in one request body', async () => {
      async function* two(): AsyncIterable<{ room: string; text: string }> {
        yield { room: 'up', text: 'x' };
        yield { room: 'up', text: 'y' };
      }
      // connect's gRPC-Web transport over HTTP/1.1 sends the whole stream as one body (half duplex).
      const ack = (await chat['upload']!(two())) as { count: number };
      assert.equal(ack.count, 2);
    });
  });
});
