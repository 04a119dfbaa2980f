import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { tracingServer } from '../../../lib/middleware/tracing/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { createTracing, spanIdValuer, traceIdValuer } from '../../../lib/tracing/index.js';
import { currentContext, type Context } from '../../../lib/transport/index.js';

/** A server call's context; `unaryReply` as a transport sets it (undefined: a context that does not say). */
function serverCall(unaryReply?: boolean): Context {
  const ctx = {
    kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  } as const;
  return unaryReply === undefined ? ctx : { ...ctx, unaryReply } as Context;
}

const unsampled = createTracing({ serviceName: 'svc', exporter: 'memory' });
const sampled = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
after(() => Promise.all([unsampled.shutdown(), sampled.shutdown()]));

const HEX32 = /^[0-9a-f]{32}$/;
const HEX16 = /^[0-9a-f]{16}$/;

describe('tracingServer, a call the sampler does not record', () => {
  it('should run a one-reply handler in the span\'s scope and hand back its own promise, unwatched', async () => {
    let ids: string[] = [];
    let promise: Promise<unknown> | undefined;
    const h: Handler = () => {
      ids = [traceIdValuer(), spanIdValuer()];
      promise = Promise.resolve('reply');
      return promise;
    };
    const reply = tracingServer(unsampled)(h)({}, serverCall(true));
    assert.equal(reply, promise, 'no .then added on the reply');
    assert.equal(await reply, 'reply');
    assert.match(ids[0] ?? '', HEX32);
    assert.match(ids[1] ?? '', HEX16);
    assert.equal(traceIdValuer(), '', 'the scope ends with the handler');
    assert.equal(unsampled.memoryExporter?.getFinishedSpans().length, 0);
  });

  it('should turn a synchronous throw into a rejection, as a watched call does', async () => {
    const h: Handler = () => {
      throw new Error('boom');
    };
    const reply = tracingServer(unsampled)(h)({}, serverCall(true));
    await assert.rejects(reply, /boom/);
  });

  it('should keep the context the transport made current inside the span\'s scope', async () => {
    const ctx = serverCall(true);
    let inside: Context | undefined;
    const h: Handler = async () => {
      inside = currentContext();
      return undefined;
    };
    const { runWithContext } = await import('../../../lib/transport/index.js');
    await runWithContext(ctx, () => tracingServer(unsampled)(h)({}, ctx));
    assert.equal(inside, ctx);
  });

  for (const [label, unaryReply] of [['streams its reply', false], ['does not say how it replies', undefined]] as const) {
    it(`should watch a call that ${label}, every pull of its reply in the span's scope`, async () => {
      const ids: string[] = [];
      const h: Handler = async () => (async function* () {
        ids.push(spanIdValuer());
        yield 1;
        ids.push(spanIdValuer());
        yield 2;
      })();
      const reply = await tracingServer(unsampled)(h)({}, serverCall(unaryReply));
      const items: unknown[] = [];
      for await (const x of reply as AsyncIterable<unknown>) items.push(x);
      assert.deepEqual(items, [1, 2]);
      assert.match(ids[0] ?? '', HEX16);
      assert.equal(ids[1], ids[0]);
    });
  }
});

describe('tracingServer, a call the sampler records', () => {
  it('should watch a one-reply call and end its span when the reply settles', async () => {
    let promise: Promise<unknown> | undefined;
    const h: Handler = () => (promise = Promise.resolve('reply'));
    const reply = tracingServer(sampled)(h)({}, serverCall(true));
    assert.notEqual(reply, promise, 'the reply is watched');
    assert.equal(await reply, 'reply');
    assert.equal(sampled.memoryExporter?.getFinishedSpans().length, 1);
  });
});
