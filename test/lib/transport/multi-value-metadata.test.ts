import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { type Context } from '../../../lib/transport/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { HttpClient } from '../../../lib/transport/http/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { TREE_PROTO, treeNode } from '../../helpers/hostile-corpus.js';

const run = promisify(execFile);

@Service({ proto: TREE_PROTO, name: 'hostile.v1.Tree' })
class Echo {
  @Rpc() async find(_req: unknown, ctx: Context) {
    ctx.replyHeader.add('x-md-r', 'a');
    ctx.replyHeader.add('x-md-r', 'b');
    return { name: JSON.stringify(ctx.metadata.values('x-md-k')) };
  }
  @Rpc() async plant() { return {}; }
}
@Module({ services: [Echo] }) class M {}

// An independent client: python3-grpcio sends the key twice, as grpc-go and Kratos clients do.
const PYTHON_CLIENT = `
import sys, grpc
channel = grpc.insecure_channel('127.0.0.1:' + sys.argv[1])
call = channel.unary_unary('/hostile.v1.Tree/Find', request_serializer=None, response_deserializer=None)
sys.stdout.buffer.write(call(bytes.fromhex(sys.argv[2]), metadata=[('x-md-k', 'a'), ('x-md-k', 'b')], timeout=5))
`;

describe('metadata keys with several values', () => {
  let t: TestApp;
  let Node: protobuf.Type;
  before(async () => {
    t = await createTestApp(M);
    Node = await treeNode();
  });
  after(() => t.close());

  it('should keep [a, b] apart over HTTP, not joined into "a, b"', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${t.httpUrl}/v1/tree/x`, { headers: { 'x-md-k': ['a', 'b'] } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d)).on('end', () => resolve(text));
      });
      req.on('error', reject).end();
    });
    assert.equal((JSON.parse(body) as { name: string }).name, '["a","b"]');
  });

  it('should keep [a, b] apart in HTTP reply headers read by the HTTP client', async () => {
    const client = new HttpClient({ endpoint: t.httpUrl });
    const replyHeader = new Metadata();
    await client.invoke('GET', '/v1/tree/x', undefined, { headers: { 'x-md-k': ['a', 'b'] }, replyHeader });
    assert.deepEqual(replyHeader.values('x-md-r'), ['a', 'b']);
    client.close();
  });

  it('should keep [a, b] apart over gRPC from python3-grpcio', async () => {
    const port = t.grpcAddress.split(':')[1] as string;
    const hex = Buffer.from(Node.encode({ name: 'x' }).finish()).toString('hex');
    const { stdout } = await run('/usr/bin/python3', ['-c', PYTHON_CLIENT, port, hex], { encoding: 'buffer', timeout: 20_000 });
    assert.equal((Node.decode(stdout) as unknown as { name: string }).name, '["a","b"]');
  });

  it('should keep [a, b] apart over gRPC from grpc-js, and a single value with a comma whole', async () => {
    const client = new grpc.Client(t.grpcAddress, grpc.credentials.createInsecure());
    const call = (md: grpc.Metadata) => new Promise<string>((resolve, reject) => {
      client.makeUnaryRequest('/hostile.v1.Tree/Find', (v: object) => Buffer.from(Node.encode(v).finish()), (b: Buffer) => Node.decode(b) as unknown as { name: string }, { name: 'x' }, md,
        (err, reply) => (err ? reject(err) : resolve(reply?.name ?? '')));
    });
    const two = new grpc.Metadata();
    two.add('x-md-k', 'a');
    two.add('x-md-k', 'b');
    assert.equal(await call(two), '["a","b"]');
    const one = new grpc.Metadata();
    one.add('x-md-k', 'a, b');
    assert.equal(await call(one), '["a, b"]');
    client.close();
  });
});
