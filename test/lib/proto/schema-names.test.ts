import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { googleapisDir } from '../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import type { Context } from '../../../lib/transport/index.js';
import { repoPath } from '../../helpers/echo-service.js';
import { heldOneByte } from '../../helpers/one-byte.js';

// Every access line, span name and metric label of a call is built from its operation name: held one
// byte a character, those stay one-byte (protobufjs' parser, unbundled, hands out two-byte names).
describe('operation names read from .proto files', () => {
  const apps: TestApp[] = [];
  after(() => Promise.all(apps.map((a) => a.close())));

  it('should reach handlers held one byte a character (samples/helloworld greeter.proto)', async () => {
    const seen: string[] = [];
    @Service({ proto: repoPath('samples/helloworld/api/helloworld/v1/greeter.proto'), name: 'helloworld.v1.Greeter' })
    class Greeter {
      @Rpc() async sayHello(req: { name: string }, ctx: Context) {
        seen.push(ctx.operation);
        return { message: `Hello ${req.name}` };
      }
    }
    @Module({ services: [Greeter] }) class M {}
    const t = await createTestApp(M);
    apps.push(t);
    assert.equal((await fetch(`${t.httpUrl}/helloworld/x`)).status, 200);
    assert.deepEqual(seen, ['/helloworld.v1.Greeter/SayHello']);
    assert.ok(heldOneByte(seen[0] as string));
  });

  it('should reach handlers held one byte a character (googleapis library.proto, from google-proto-files)', async () => {
    const seen: string[] = [];
    @Service({ proto: join(googleapisDir(), 'google/example/library/v1/library.proto'), name: 'google.example.library.v1.LibraryService' })
    class Library {
      @Rpc() async getShelf(req: { name: string }, ctx: Context) {
        seen.push(ctx.operation);
        return { name: req.name, theme: 'sf' };
      }
      @Rpc() async createShelf() { return {}; }
      @Rpc() async listShelves() { return {}; }
      @Rpc() async deleteShelf() { return {}; }
      @Rpc() async mergeShelves() { return {}; }
      @Rpc() async createBook() { return {}; }
      @Rpc() async getBook() { return {}; }
      @Rpc() async listBooks() { return {}; }
      @Rpc() async deleteBook() { return {}; }
      @Rpc() async updateBook() { return {}; }
      @Rpc() async moveBook() { return {}; }
    }
    @Module({ services: [Library] }) class M {}
    const t = await createTestApp(M);
    apps.push(t);
    assert.equal((await fetch(`${t.httpUrl}/v1/shelves/3`)).status, 200);
    assert.deepEqual(seen, ['/google.example.library.v1.LibraryService/GetShelf']);
    assert.ok(heldOneByte(seen[0] as string));
  });
});
