import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inject, Module, Optional, Service } from '../../../decorators/index.js';
import { AppContainer, token } from '../../../lib/container/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';

function expectFrameworkError(err: unknown, code: string, ...fragments: string[]): true {
  assert.ok(FrameworkError.isFrameworkError(err), `expected a FrameworkError, got ${String(err)}`);
  assert.equal(err.code, code);
  for (const f of fragments) assert.ok(err.message.includes(f), `message lacks '${f}':\n${err.message}`);
  return true;
}

describe('AppContainer', () => {
  describe('.create', () => {
    describe('having modules with imports and exports', () => {
      it('should inject a provider exported by an imported module', async () => {
        @Service() class Repo {}
        @Module({ providers: [Repo], exports: [Repo] }) class DataModule {}
        @Service() class Greeter { constructor(readonly repo: Repo) {} }
        @Module({ imports: [DataModule], services: [Greeter] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.equal(c.get(Greeter).repo, c.get(Repo));
      });

      it('should see what an imported module re-exports from its own imports', async () => {
        @Service() class Db {}
        @Module({ providers: [Db], exports: [Db] }) class DbModule {}
        @Module({ imports: [DbModule], exports: [DbModule] }) class DataModule {}
        @Service() class Greeter { constructor(readonly db: Db) {} }
        @Module({ imports: [DataModule], services: [Greeter] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.ok(c.get(Greeter).db instanceof Db);
      });

      it('should refuse a provider that the imported module does not export, saying how to fix it', async () => {
        @Service() class Repo {}
        @Module({ providers: [Repo] }) class DataModule {}
        @Service() class Greeter { constructor(readonly repo: Repo) {} }
        @Module({ imports: [DataModule], services: [Greeter] }) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) =>
          expectFrameworkError(e, 'KRATOS_ERR_PROVIDER_MISSING', 'Greeter', 'Repo', 'constructor parameter #0', 'AppModule',
            'AppModule -> Greeter -> Repo', "add it to DataModule's exports"));
      });

      it('should refuse an export of a token the module cannot see', async () => {
        const T = token<number>('T');
        @Module({ exports: [T] }) class Broken {}
        await assert.rejects(AppContainer.create(Broken), (e) => expectFrameworkError(e, 'KRATOS_ERR_MODULE_INVALID', 'Broken', 'T'));
      });

      it('should refuse an import that is not a module', async () => {
        class NotAModule {}
        @Module({ imports: [NotAModule] }) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) => expectFrameworkError(e, 'KRATOS_ERR_MODULE_INVALID', 'NotAModule', '@Module'));
      });
    });

    describe('having every provider form', () => {
      it('should build classes, useClass, useValue, useFactory with inject, and useExisting', async () => {
        abstract class Store { abstract kind(): string; }
        @Service() class MemoryStore extends Store { kind() { return 'memory'; } }
        const PORT = token<number>('PORT');
        const URL_ = token<string>('URL');
        const ALIAS = token<Store>('ALIAS');
        @Module({
          providers: [
            { provide: Store, useClass: MemoryStore },
            { provide: PORT, useValue: 8080 },
            { provide: URL_, useFactory: (port: number, s: Store) => `${s.kind()}://:${port}`, inject: [PORT, Store] },
            { provide: ALIAS, useExisting: Store },
          ],
        })
        class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.equal(c.get(Store).kind(), 'memory');
        assert.equal(c.get(PORT), 8080);
        assert.equal(c.get(URL_), 'memory://:8080');
        assert.equal(c.get(ALIAS), c.get(Store));
      });

      it('should await async factories before building what depends on them', async () => {
        const DB = token<{ ready: boolean }>('DB');
        @Service() class Repo { constructor(@Inject(DB) readonly db: { ready: boolean }) {} }
        @Module({
          providers: [Repo, { provide: DB, useFactory: async () => { await new Promise((r) => setTimeout(r, 5)); return { ready: true }; } }],
        })
        class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.deepEqual(c.get(Repo).db, { ready: true });
      });

      it('should reject a provider object with no use* field', async () => {
        @Module({ providers: [{ provide: 'x' } as never] }) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) => expectFrameworkError(e, 'KRATOS_ERR_PROVIDER_INVALID', 'AppModule'));
      });

      it('should reject two different providers for one token', async () => {
        const T = token<number>('T');
        @Module({ providers: [{ provide: T, useValue: 1 }], exports: [T] }) class A {}
        @Module({ imports: [A], providers: [{ provide: T, useValue: 2 }] }) class B {}
        await assert.rejects(AppContainer.create(B), (e) => expectFrameworkError(e, 'KRATOS_ERR_PROVIDER_DUPLICATE', 'T'));
      });
    });

    describe('having scopes', () => {
      it('should share a singleton and build a transient per injection', async () => {
        @Service({ scope: 'transient' }) class Scratch {}
        @Service() class Shared {}
        @Service() class A { constructor(readonly s: Scratch, readonly sh: Shared) {} }
        @Service() class B { constructor(readonly s: Scratch, readonly sh: Shared) {} }
        @Module({ providers: [Scratch, Shared, A, B] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.notEqual(c.get(A).s, c.get(B).s);
        assert.notEqual(c.get(Scratch), c.get(Scratch));
        assert.equal(c.get(A).sh, c.get(B).sh);
      });

      it('should build a transient per injection through a useExisting alias, and give a singleton\'s alias the singleton', async () => {
        @Service({ scope: 'transient' }) class Scratch {}
        @Service() class Shared {}
        const ALIAS = token<Scratch>('ALIAS');
        const SHARED = token<Shared>('SHARED');
        @Service() class A { constructor(@Inject(ALIAS) readonly s: Scratch, @Inject(SHARED) readonly sh: Shared) {} }
        @Service() class B { constructor(@Inject(ALIAS) readonly s: Scratch, @Inject(SHARED) readonly sh: Shared) {} }
        @Module({ providers: [Scratch, Shared, { provide: ALIAS, useExisting: Scratch }, { provide: SHARED, useExisting: Shared }, A, B] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.ok(c.get(A).s instanceof Scratch);
        assert.notEqual(c.get(A).s, c.get(B).s);
        assert.equal(c.get(A).sh, c.get(Shared));
        assert.equal(c.get(B).sh, c.get(Shared));
      });

      it('should give a transient the singletons it needs, however deep, its properties and its missing optionals', async () => {
        const NAME = token<string>('NAME');
        const MISSING = token<string>('MISSING');
        @Service() class Db {}
        @Service() class Repo { constructor(readonly db: Db) {} }
        @Service({ scope: 'transient' }) class Job {
          @Inject(NAME) name!: string;
          constructor(readonly repo: Repo, @Optional() @Inject(MISSING) readonly missing?: string) {}
        }
        @Service({ scope: 'transient' }) class Step { constructor(readonly job: Job) {} }
        @Service() class Unrelated { constructor(readonly db: Db) {} }
        @Module({ providers: [Db, Repo, Job, Step, Unrelated, { provide: NAME, useValue: 'nightly' }] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        const step = c.get(Step);
        assert.equal(step.job.repo, c.get(Repo));
        assert.equal(step.job.repo.db, c.get(Db));
        assert.equal(step.job.name, 'nightly');
        assert.equal(step.job.missing, undefined);
        assert.notEqual(c.get(Step).job, step.job);
        assert.equal(c.get(Unrelated).db, c.get(Db));
        assert.equal(await c.resolve(Unrelated), c.get(Unrelated));
      });

      it('should take the scope of a provider object over the class default', async () => {
        @Service() class Thing {}
        const T = token<Thing>('T');
        @Module({ providers: [{ provide: T, useClass: Thing, scope: 'transient' }] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.notEqual(c.get(T), c.get(T));
      });
    });

    describe('having injection without emitted type metadata', () => {
      it('should inject by @Inject(token) alone, as esbuild/vitest-compiled code does', async () => {
        @Service() class Repo {}
        const NAME = token<string>('NAME');
        // Written without decorator syntax so that TypeScript emits no design:paramtypes.
        class Greeter { constructor(readonly repo: Repo, readonly name: string) {} }
        Service()(Greeter);
        Inject(Repo)(Greeter, undefined, 0);
        Inject(NAME)(Greeter, undefined, 1);
        assert.equal(Reflect.getMetadata('design:paramtypes', Greeter), undefined);
        @Module({ providers: [Repo, Greeter, { provide: NAME, useValue: 'kratos' }] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.ok(c.get(Greeter).repo instanceof Repo);
        assert.equal(c.get(Greeter).name, 'kratos');
      });

      it('should name the class and parameter index when a parameter has no type and no token', async () => {
        class Greeter { constructor(readonly a: unknown, readonly b: unknown) {} }
        Service()(Greeter);
        Inject('a')(Greeter, undefined, 0);
        @Module({ providers: [Greeter, { provide: 'a', useValue: 1 }] }) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) =>
          expectFrameworkError(e, 'KRATOS_ERR_PARAM_UNRESOLVABLE', 'constructor parameter #1', 'Greeter', 'AppModule', '@Inject'));
      });

      it('should refuse an interface-typed parameter without @Inject', async () => {
        interface Clock { now(): number }
        @Service() class Greeter { constructor(readonly clock: Clock) {} }
        @Module({ providers: [Greeter] }) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) => expectFrameworkError(e, 'KRATOS_ERR_PARAM_UNRESOLVABLE', '#0', 'Greeter'));
      });
    });

    describe('having optional and property injections', () => {
      it('should inject undefined for a missing @Optional dependency and fill @Inject properties', async () => {
        const MISSING = token<string>('MISSING');
        const NAME = token<string>('NAME');
        @Service() class Greeter {
          @Inject(NAME) name!: string;
          constructor(@Optional() @Inject(MISSING) readonly missing?: string) {}
        }
        @Module({ providers: [Greeter, { provide: NAME, useValue: 'n' }] }) class AppModule {}
        const c = await AppContainer.create(AppModule);
        assert.equal(c.get(Greeter).missing, undefined);
        assert.equal(c.get(Greeter).name, 'n');
      });
    });

    describe('having a dependency cycle', () => {
      it('should print the cycle path before building anything', async () => {
        const built: string[] = [];
        const A = token<unknown>('A');
        const B = token<unknown>('B');
        @Module({
          providers: [
            { provide: A, useFactory: (b: unknown) => built.push('A') && b, inject: [B] },
            { provide: B, useFactory: (a: unknown) => built.push('B') && a, inject: [A] },
          ],
        })
        class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) => expectFrameworkError(e, 'KRATOS_ERR_DEPENDENCY_CYCLE', 'A -> B -> A', 'AppModule'));
        assert.deepEqual(built, []);
      });

      it('should find a cycle through classes', async () => {
        const BTok = token<unknown>('BTok');
        @Service() class A { constructor(@Inject(BTok) readonly b: unknown) {} }
        @Service() class B { constructor(readonly a: A) {} }
        @Module({ providers: [A, { provide: BTok, useExisting: B }, B] }) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule), (e) => expectFrameworkError(e, 'KRATOS_ERR_DEPENDENCY_CYCLE', 'A -> BTok -> B -> A'));
      });
    });

    describe('having overrides', () => {
      it('should replace a token wherever it was declared', async () => {
        @Service() class Repo { find() { return 'real'; } }
        @Module({ providers: [Repo], exports: [Repo] }) class DataModule {}
        @Service() class Greeter { constructor(readonly repo: Repo) {} }
        @Module({ imports: [DataModule], services: [Greeter] }) class AppModule {}
        const c = await AppContainer.create(AppModule, { overrides: [{ provide: Repo, useValue: { find: () => 'fake' } }] });
        assert.equal(c.get(Greeter).repo.find(), 'fake');
      });

      it('should refuse an override for a token nobody provides', async () => {
        @Module({}) class AppModule {}
        await assert.rejects(AppContainer.create(AppModule, { overrides: [{ provide: 'nope', useValue: 1 }] }), (e) =>
          expectFrameworkError(e, 'KRATOS_ERR_TOKEN_UNKNOWN', 'nope'));
      });
    });
  });

  describe('lifecycle', () => {
    it('should init and start in dependency order, and stop and destroy in reverse', async () => {
      const calls: string[] = [];
      const hooks = (name: string) => ({
        onInit: () => void calls.push(`init ${name}`),
        onStart: () => void calls.push(`start ${name}`),
        onStop: () => void calls.push(`stop ${name}`),
        onDestroy: () => void calls.push(`destroy ${name}`),
      });
      @Service() class Db { constructor() { Object.assign(this, hooks('Db')); } }
      @Service() class Repo { constructor(readonly db: Db) { Object.assign(this, hooks('Repo')); } }
      @Service() class Greeter { constructor(readonly repo: Repo) { Object.assign(this, hooks('Greeter')); } }
      @Module({ providers: [Greeter, Repo, Db] }) class AppModule {}
      const c = await AppContainer.create(AppModule);
      await c.start();
      await c.stop();
      await c.destroy();
      assert.deepEqual(calls, [
        'init Db', 'init Repo', 'init Greeter',
        'start Db', 'start Repo', 'start Greeter',
        'stop Greeter', 'stop Repo', 'stop Db',
        'destroy Greeter', 'destroy Repo', 'destroy Db',
      ]);
    });

    it('should run hooks once for an instance reached through an alias', async () => {
      let inits = 0;
      @Service() class Db { onInit() { inits++; } }
      @Module({ providers: [Db, { provide: 'db', useExisting: Db }] }) class AppModule {}
      await AppContainer.create(AppModule);
      assert.equal(inits, 1);
    });

    it('should wrap a failing onInit in a coded error naming the provider', async () => {
      @Service() class Db { onInit() { throw new Error('no socket'); } }
      @Module({ providers: [Db] }) class AppModule {}
      await assert.rejects(AppContainer.create(AppModule), (e) => expectFrameworkError(e, 'KRATOS_ERR_LIFECYCLE_FAILED', 'onInit', 'Db', 'no socket'));
    });

    it('should stop what started when a later onStart fails', async () => {
      const calls: string[] = [];
      @Service() class Db { onStart() { calls.push('start Db'); } onStop() { calls.push('stop Db'); } }
      @Service() class Cache { constructor(readonly db: Db) {} onStart() { throw new Error('boom'); } onStop() { calls.push('stop Cache'); } }
      @Module({ providers: [Db, Cache] }) class AppModule {}
      const c = await AppContainer.create(AppModule);
      await assert.rejects(c.start(), (e) => expectFrameworkError(e, 'KRATOS_ERR_LIFECYCLE_FAILED', 'onStart', 'Cache'));
      assert.deepEqual(calls, ['start Db', 'stop Db']);
    });
  });

  describe('.get', () => {
    it('should fail with a coded error for an unknown token', async () => {
      @Module({}) class AppModule {}
      const c = await AppContainer.create(AppModule);
      assert.throws(() => c.get('nope'), (e) => expectFrameworkError(e, 'KRATOS_ERR_TOKEN_UNKNOWN', 'nope'));
    });
  });
});
