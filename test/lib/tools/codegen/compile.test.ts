import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module, Rpc, Service } from '../../../../decorators/index.js';
import { KratosError } from '../../../../lib/errors/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { compileGenerated, type CompiledOutput } from './compiled-output.js';
import { EVERYTHING_PROTO, GREETER_PROTO } from './codegen-fixtures.js';

type Client = Record<string, (req: unknown) => unknown> & { close(): void };
type Factory = (options: { endpoint: string }) => Client;
type ErrorsModule = Record<string, (arg: unknown) => unknown> & { ErrorReason: Record<string, string> };

const rejection = async (p: Promise<unknown> | AsyncIterable<unknown>): Promise<KratosError> => {
  try {
    if (Symbol.asyncIterator in p) for await (const x of p) void x;
    else await p;
  } catch (err) {
    assert.ok(KratosError.isKratosError(err), String(err));
    return err;
  }
  assert.fail('expected the call to fail');
};

describe('generated code', () => {
  let compiled: CompiledOutput;
  before(() => {
    compiled = compileGenerated();
  });
  after(() => compiled.remove());

  it('should compile with the repo tsconfig strict options (client files and server skeletons)', () => {
    assert.equal(compiled.status, 0, compiled.output);
  });

  describe('error helpers', () => {
    let m: ErrorsModule;
    before(async () => {
      m = await compiled.load<ErrorsModule>('helloworld/v1/error_reason.pb.ts');
    });

    it('should build errors with the value name as reason and the code from the enum options', () => {
      const e = m['errorUserNotFound']?.('user 7 not found') as KratosError;
      assert.deepEqual([e.code, e.reason, e.message], [404, 'USER_NOT_FOUND', 'user 7 not found']);
      const d = m['errorGreeterUnspecified']?.('x') as KratosError;
      assert.deepEqual([d.code, d.reason], [500, 'GREETER_UNSPECIFIED']);
    });

    it('should recognise the same code and reason only, also as the cause of another error', () => {
      const is = m['isUserNotFound'] as (e: unknown) => boolean;
      assert.equal(is(new KratosError(404, 'USER_NOT_FOUND', 'x')), true);
      assert.equal(is(new Error('wrapped', { cause: new KratosError(404, 'USER_NOT_FOUND', 'x') })), true);
      assert.equal(is(new KratosError(500, 'USER_NOT_FOUND', 'x')), false);
      assert.equal(is(new KratosError(404, 'OTHER', 'x')), false);
      assert.equal(is(new Error('plain')), false);
      assert.equal(is(undefined), false);
    });

    it('should export the enum as a const object of its value names', () => {
      assert.deepEqual(m.ErrorReason, { GREETER_UNSPECIFIED: 'GREETER_UNSPECIFIED', USER_NOT_FOUND: 'USER_NOT_FOUND' });
    });
  });

  describe('operation constants', () => {
    it('should name every rpc /package.Service/Method', async () => {
      const greeter = await compiled.load<Record<string, unknown>>('helloworld/v1/greeter.pb.ts');
      assert.equal(greeter['OperationGreeterSayHello'], '/helloworld.v1.Greeter/SayHello');
      const everything = await compiled.load<Record<string, unknown>>('demo/v1/everything.pb.ts');
      const schema = new ProtoLoader().serviceSync(EVERYTHING_PROTO, 'demo.v1.Everything');
      assert.equal(schema.methods.length, 9);
      for (const m of schema.methods) assert.equal(everything[`OperationEverything${m.name}`], m.operation);
    });
  });

  describe('clients against a served implementation and a served skeleton', () => {
    let t: TestApp;
    let greeter: Record<string, Factory>;
    let everything: Record<string, Factory>;
    let isUserNotFound: (e: unknown) => boolean;
    const clients: Client[] = [];
    const client = (f: Factory | undefined, endpoint: string): Client => {
      assert.ok(f !== undefined);
      const c = f({ endpoint });
      clients.push(c);
      return c;
    };

    before(async () => {
      greeter = await compiled.load('helloworld/v1/greeter.pb.ts');
      everything = await compiled.load('demo/v1/everything.pb.ts');
      const errors = await compiled.load<ErrorsModule>('helloworld/v1/error_reason.pb.ts');
      isUserNotFound = errors['isUserNotFound'] as (e: unknown) => boolean;
      const errorUserNotFound = errors['errorUserNotFound'] as (m: string) => KratosError;
      const skeleton = await compiled.load<{ EverythingService: new () => object }>('demo/v1/everything-service.ts');

      @Service({ proto: GREETER_PROTO, name: 'helloworld.v1.Greeter' })
      class Greeter {
        @Rpc() async sayHello(req: { name: string }) {
          if (req.name === 'nobody') throw errorUserNotFound(`no user ${req.name}`);
          return { message: `Hello ${req.name}` };
        }
      }
      @Module({ services: [Greeter, skeleton.EverythingService] })
      class AppModule {}
      t = await createTestApp(AppModule);
    });
    after(async () => {
      for (const c of clients) c.close();
      await t.close();
    });

    it('should call a unary rpc over gRPC and HTTP through the typed factories', async () => {
      const grpc = client(greeter['createGreeterGrpcClient'], t.grpcAddress);
      const http = client(greeter['createGreeterHttpClient'], t.httpUrl);
      assert.deepEqual(await grpc['sayHello']?.({ name: 'grpc' }), { message: 'Hello grpc' });
      assert.deepEqual(await http['sayHello']?.({ name: 'http' }), { message: 'Hello http' });
    });

    it('should let the generated error helper recognise a business error from either transport', async () => {
      const grpc = client(greeter['createGreeterGrpcClient'], t.grpcAddress);
      const http = client(greeter['createGreeterHttpClient'], t.httpUrl);
      assert.equal(isUserNotFound(await rejection(grpc['sayHello']?.({ name: 'nobody' }) as Promise<unknown>)), true);
      assert.equal(isUserNotFound(await rejection(http['sayHello']?.({ name: 'nobody' }) as Promise<unknown>)), true);
    });

    it('should serve every rpc kind of the skeleton as 501 UNIMPLEMENTED naming the method', async () => {
      const grpc = client(everything['createEverythingGrpcClient'], t.grpcAddress);
      // Each call starts only when it is awaited: a stream nobody reads yet would see its error unobserved.
      const calls: [string, () => Promise<unknown> | AsyncIterable<unknown>][] = [
        ['GetThing', () => grpc['getThing']?.({ id: '1' }) as Promise<unknown>],
        ['WatchThings', () => grpc['watchThings']?.({ id: '1' }) as AsyncIterable<unknown>],
        ['UploadThings', () => grpc['uploadThings']?.([{ id: '1' }, { id: '2' }]) as Promise<unknown>],
        ['Chat', () => grpc['chat']?.([{ text: 'hi' }]) as AsyncIterable<unknown>],
      ];
      for (const [name, call] of calls) {
        const e = await rejection(call());
        assert.deepEqual([e.code, e.reason, e.message], [501, 'UNIMPLEMENTED', `method ${name} not implemented`], name);
      }
    });

    it('should expand a patterned path variable in the HTTP client and reach the skeleton', async () => {
      const http = client(everything['createEverythingHttpClient'], t.httpUrl);
      const e = await rejection(http['getThing']?.({ name: 'shelves/1/things/2' }) as Promise<unknown>);
      assert.deepEqual([e.code, e.reason, e.message], [501, 'UNIMPLEMENTED', 'method GetThing not implemented']);
      assert.equal(typeof http['ping'], 'undefined', 'an rpc without google.api.http has no HTTP method');
    });
  });
});
