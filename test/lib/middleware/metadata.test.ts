import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { metadataClient, metadataServer } from '../../../lib/middleware/metadata/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { ClientContext, runWithContext, type Context } from '../../../lib/transport/index.js';

function serverCtx(headers: Record<string, string | string[]>): Context {
  return {
    kind: 'http', side: 'server', operation: '/x', endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

describe('metadataServer', () => {
  it('should capture x-md- headers (all values) and constants into ctx.metadata', async () => {
    const ctx = serverCtx({ 'x-md-global-user': 'u1', 'X-MD-LOCAL-trace': ['a', 'b'], other: 'no' });
    await metadataServer({ constants: { 'x-md-service': 'svc' } })(async () => null)(null, ctx);
    assert.deepEqual(ctx.metadata.toJSON(), { 'x-md-service': ['svc'], 'x-md-global-user': ['u1'], 'x-md-local-trace': ['a', 'b'] });
  });

  it('should use custom prefixes', async () => {
    const ctx = serverCtx({ 'x-tenant': 't', 'x-md-a': 'b' });
    await metadataServer({ prefixes: ['x-tenant'] })(async () => null)(null, ctx);
    assert.deepEqual(ctx.metadata.keys(), ['x-tenant']);
  });
});

describe('metadataClient', () => {
  const send: Handler = async (_req, ctx) => Object.fromEntries(ctx.requestHeader.keys().map((k) => [k, ctx.requestHeader.values(k)]));
  const clientCtx = (metadata?: Record<string, string>) =>
    new ClientContext('grpc', '/a.B/C', 'x', { request: new Metadata(), reply: new Metadata() }, undefined, { metadata });

  it('should forward x-md-global- entries of the call being served, not x-md-local-', async () => {
    const served = serverCtx({});
    served.metadata.add('x-md-global-user', 'u1');
    served.metadata.add('x-md-local-hop', 'h');
    const sent = await runWithContext(served, () => metadataClient()(send)(null, clientCtx()));
    assert.deepEqual(sent, { 'x-md-global-user': ['u1'] });
  });

  it('should send the call own metadata and constants', async () => {
    const sent = await metadataClient({ constants: { 'x-md-app': 'a' } })(send)(null, clientCtx({ 'x-md-local-hop': 'h' }));
    assert.deepEqual(sent, { 'x-md-app': ['a'], 'x-md-local-hop': ['h'] });
  });
});

describe('Metadata', () => {
  it('should be case-insensitive and multi-valued, ignoring empty keys and set-with-empty', () => {
    const md = new Metadata({ A: ['1', '2'] });
    md.set('', 'x');
    md.set('b', '');
    md.add('B', '3');
    assert.deepEqual(md.values('a'), ['1', '2']);
    assert.equal(md.get('b'), '3');
    const c = md.clone();
    c.add('a', '9');
    assert.deepEqual(md.values('a'), ['1', '2']);
  });
});
