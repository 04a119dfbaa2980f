import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Client } from '@grpc/grpc-js';
import type { Middleware } from '../../../../lib/middleware/index.js';
import { createGrpcClient, GrpcServer, type GrpcClient, type GrpcMethod } from '../../../../lib/transport/grpc/index.js';
import { echoService } from '../../../helpers/echo-service.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const svc = echoService();

/** Collects until `ref` is gone, or gives up: finalization may need a few turns. */
async function collected(ref: WeakRef<object>): Promise<boolean> {
  for (let i = 0; i < 10 && ref.deref() !== undefined; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  return ref.deref() === undefined;
}

// docs/performance.md, "The fourteenth round": grpc-js' client keeps promoting finished calls to
// V8's old space, where they stay until a full GC; what they still reach goes with them.
describe('a gRPC client unary call, once its reply came', () => {
  let server: GrpcServer;
  let client: GrpcClient;
  const contexts: WeakRef<object>[] = [];
  const kept: unknown[] = [];
  const makeUnaryRequest = Client.prototype.makeUnaryRequest;

  before(async () => {
    server = new GrpcServer({ addr: '127.0.0.1:0' });
    const methods: GrpcMethod[] = svc.methods.map((s) => ({ schema: s, handler: async (req: { text: string }) => ({ text: req.text, n: 1 }) }));
    server.addService(svc.fullName, methods);
    await server.start();
    const remember: Middleware = (next) => (req, ctx) => {
      contexts.push(new WeakRef(ctx));
      return next(req, ctx);
    };
    client = createGrpcClient(svc, { endpoint: `127.0.0.1:${server.port}`, middleware: [remember] });
    // What grpc-js keeps of a call: the call object and the callback it was given, held here as long as the test runs.
    Client.prototype.makeUnaryRequest = function (this: Client, ...args: unknown[]) {
      const call = (makeUnaryRequest as (...a: unknown[]) => unknown).apply(this, args);
      kept.push(call, args[args.length - 1]);
      return call as ReturnType<typeof makeUnaryRequest>;
    } as typeof makeUnaryRequest;
  });
  after(async () => {
    Client.prototype.makeUnaryRequest = makeUnaryRequest;
    client.close();
    await server.stop(Date.now() + 1000);
  });

  it('should not keep the caller\'s context through the call object and callback grpc-js holds', async () => {
    const reply = await (client['say'] as (r: unknown) => Promise<{ text: string }>)({ text: 'hi' });
    assert.equal(reply.text, 'hi');
    assert.equal(kept.length, 2, 'the call went through makeUnaryRequest');
    assert.equal(contexts.length, 1);
    assert.ok(await collected(contexts[0]!), 'the context was collected while grpc-js\' call object and callback are still held');
  });
});
