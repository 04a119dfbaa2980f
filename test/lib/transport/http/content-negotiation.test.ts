import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { defaultCodecs } from '../../../../lib/encoding/index.js';
import { KratosError } from '../../../../lib/errors/index.js';
import { HttpClient, HttpServer, type ResponseEncoder } from '../../../../lib/transport/http/index.js';
import { treeNode } from '../../../helpers/hostile-corpus.js';

describe('reply Content-Type', () => {
  let s: HttpServer;
  let url: string;
  before(async () => {
    const Node = await treeNode();
    // A response encoder writing the reply through its message type, as the app's proto routes do.
    const encode: ResponseEncoder = (reply, { codec, contentType }) => ({ contentType, bytes: codec.marshal(reply, Node) });
    s = new HttpServer({ addr: '127.0.0.1:0' });
    s.route({ method: 'GET', path: '/node', operation: '/node', handler: async () => ({ name: 'n' }), encode });
    s.route({ method: 'GET', path: '/many', operation: '/many', handler: async () => ({ tags: Array.from({ length: 20_000 }, (_, i) => `t${i}`) }), encode });
    s.route({ method: 'GET', path: '/fail', operation: '/fail', handler: async () => { throw new KratosError(403, 'DENIED', 'no'); } });
    await s.start();
    url = `http://127.0.0.1:${s.port}`;
  });
  after(() => s.stop());

  const contentType = async (path: string, accept: string) => (await fetch(`${url}${path}`, { headers: { accept } })).headers.get('content-type');

  it('should mirror the subtype the client asked for, as a Kratos client picks its decoder by it', async () => {
    assert.equal(await contentType('/node', 'application/proto'), 'application/proto');
    assert.equal(await contentType('/node', 'application/x-protobuf'), 'application/x-protobuf');
    assert.equal(await contentType('/node', 'application/protobuf'), 'application/protobuf');
    assert.equal(await contentType('/node', 'application/x-yaml'), 'application/x-yaml');
    assert.equal(await contentType('/fail', 'application/proto'), 'application/proto', 'error bodies too');
  });

  it("should use the codec's own type for wildcards, suffixes and unknown types", async () => {
    assert.equal(await contentType('/node', '*/*'), 'application/json');
    assert.equal(await contentType('/node', 'application/problem+json'), 'application/json');
    assert.equal(await contentType('/node', 'text/csv'), 'application/json');
  });

  it('should let a client read replies longer than the request limits (only requests are budgeted tightly)', async () => {
    const client = new HttpClient({ endpoint: url });
    const reply = await client.invoke<{ tags: string[] }>('GET', '/many');
    assert.equal(reply.tags.length, 20_000);
    client.close();
  });

  it('should negotiate the same way without a server', () => {
    const codecs = defaultCodecs();
    assert.deepEqual({ ...codecs.negotiate('text/html, application/proto;q=0.9') }, { codec: codecs.get('proto'), contentType: 'application/proto' });
  });
});
