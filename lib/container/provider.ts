import { FrameworkError } from '../errors/index.js';
import {
  readConstructorDeps,
  readInjectable,
  readPropertyDeps,
  tokenName,
  type Constructor,
  type Dependency,
  type FactoryDependency,
  type ProviderToken,
  type Scope,
} from '../annotations/index.js';

/** A provider read into one shape, with the module that declared it. */
export interface ProviderDef {
  token: ProviderToken;
  kind: 'class' | 'value' | 'factory' | 'existing';
  /** The class, value, factory or aliased token: what makes two declarations the same provider. */
  target: unknown;
  scope: Scope;
  /** Constructor parameters or factory arguments, in order. */
  deps: Dependency[];
  /** Property injections (classes only). */
  props: Dependency[];
  /** Name of the declaring module, for messages. */
  module: string;
}

const USE_KEYS = ['useClass', 'useValue', 'useFactory', 'useExisting'] as const;

function classDef(token: ProviderToken, cls: Constructor, module: string, scope?: Scope): ProviderDef {
  return {
    token,
    kind: 'class',
    target: cls,
    scope: scope ?? readInjectable(cls)?.scope ?? 'singleton',
    deps: readConstructorDeps(cls),
    props: readPropertyDeps(cls),
    module,
  };
}

function factoryDeps(inject: FactoryDependency[] | undefined): Dependency[] {
  return (inject ?? []).map((d, i) =>
    typeof d === 'object' && d !== null && 'token' in d
      ? { at: i, token: d.token, optional: d.optional ?? false, source: 'inject' as const }
      : { at: i, token: d, optional: false, source: 'inject' as const },
  );
}

function invalid(module: string, what: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_PROVIDER_INVALID', `module ${module}: ${what}`);
}

/** Reads any accepted provider form; throws a coded error naming the module for anything else. */
export function normalizeProvider(p: unknown, module: string): ProviderDef {
  if (typeof p === 'function') return classDef(p as Constructor, p as Constructor, module);
  if (typeof p !== 'object' || p === null || !('provide' in p)) {
    return fail(invalid(module, `provider ${String(p)} is neither a class nor an object with 'provide'`));
  }
  const o = p as Record<string, unknown>;
  const token = o['provide'] as ProviderToken;
  const uses = USE_KEYS.filter((k) => k in o);
  if (uses.length !== 1) {
    return fail(invalid(module, `provider for ${tokenName(token)} must have exactly one of ${USE_KEYS.join(', ')} (found ${uses.length})`));
  }
  const scope = o['scope'] as Scope | undefined;
  if (scope !== undefined && scope !== 'singleton' && scope !== 'transient') {
    return fail(invalid(module, `provider for ${tokenName(token)} has scope '${String(scope)}'; use 'singleton' or 'transient'`));
  }
  switch (uses[0]) {
    case 'useClass':
      if (typeof o['useClass'] !== 'function') return fail(invalid(module, `useClass of ${tokenName(token)} is not a class`));
      return classDef(token, o['useClass'] as Constructor, module, scope);
    case 'useFactory':
      if (typeof o['useFactory'] !== 'function') return fail(invalid(module, `useFactory of ${tokenName(token)} is not a function`));
      return {
        token,
        kind: 'factory',
        target: o['useFactory'],
        scope: scope ?? 'singleton',
        deps: factoryDeps(o['inject'] as FactoryDependency[] | undefined),
        props: [],
        module,
      };
    case 'useExisting':
      return {
        token,
        kind: 'existing',
        target: o['useExisting'],
        scope: 'singleton',
        deps: [{ at: 0, token: o['useExisting'] as ProviderToken, optional: false, source: 'inject' }],
        props: [],
        module,
      };
    default:
      return { token, kind: 'value', target: o['useValue'], scope: 'singleton', deps: [], props: [], module };
  }
}

function fail(e: Error): never {
  throw e;
}

/** True when two declarations describe the same provider (then one instance serves both). */
export function sameProvider(a: ProviderDef, b: ProviderDef): boolean {
  return a.kind === b.kind && a.target === b.target && a.scope === b.scope;
}

