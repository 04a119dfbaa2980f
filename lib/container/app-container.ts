import { Container, type ResolvedValueInjectOptions } from './inversify.js';
import { FrameworkError } from '../errors/index.js';
import type { Dependency } from '../annotations/index.js';
import { hasHook, type LifecycleHook } from './lifecycle.js';
import { buildModuleGraph, type ModuleGraph, type ModuleNode } from './module-graph.js';
import { planGraph, type Plan } from './plan.js';
import { normalizeProvider, type ProviderDef } from './provider.js';
import type { Provider } from '../annotations/index.js';
import { tokenName, type Class, type Constructor, type ProviderToken } from '../annotations/index.js';

/** Options of {@link AppContainer.create}. */
export interface AppContainerOptions {
  /** Framework providers visible from every module (logger, config, ...). */
  global?: Provider[];
  /** Replacements by token, wherever the token was declared (tests). */
  overrides?: Provider[];
}

// Stands in for optional dependencies nobody provides, so inversify injects undefined for them.
const ABSENT = Symbol('kratos-ts/absent');

/**
 * The app's dependency graph over inversify: planned and checked first, then built, with provider
 * lifecycle hooks run in dependency order (and in reverse on the way down).
 */
export class AppContainer {
  readonly #inversify = new Container();
  readonly #graph: ModuleGraph;
  readonly #plan: Plan;
  readonly #singletons = new Map<ProviderToken, unknown>();
  /** Distinct singleton instances in dependency order; an alias does not add a second entry. */
  readonly #instances: { def: ProviderDef; value: unknown }[] = [];
  readonly #started: unknown[] = [];

  private constructor(graph: ModuleGraph, plan: Plan) {
    this.#graph = graph;
    this.#plan = plan;
  }

  /** Plans, checks and builds the graph of `root`; runs every singleton's onInit. */
  static async create(root: Class, options: AppContainerOptions = {}): Promise<AppContainer> {
    const graph = buildModuleGraph(root, options.global ?? []);
    for (const o of options.overrides ?? []) applyOverride(graph, o);
    const c = new AppContainer(graph, planGraph(graph));
    c.#bindAll();
    await c.#buildSingletons();
    return c;
  }

  get graph(): ModuleGraph {
    return this.#graph;
  }

  get root(): ModuleNode {
    return this.#graph.root;
  }

  /** Every distinct singleton built at boot, in dependency order. */
  singletons(): unknown[] {
    return this.#instances.map((i) => i.value);
  }

  has(token: ProviderToken): boolean {
    return this.#graph.defs.has(token);
  }

  /** The value of `token`: the singleton built at boot, or a new transient instance. */
  get<T>(token: ProviderToken<T>): T {
    if (this.#singletons.has(token)) return this.#singletons.get(token) as T;
    if (!this.#graph.defs.has(token)) {
      throw new FrameworkError('KRATOS_ERR_TOKEN_UNKNOWN', `no provider for ${tokenName(token)} in this application`);
    }
    return this.#inversify.get<T>(token as never);
  }

  /** Like {@link get}, for transient providers whose factory is async. */
  async resolve<T>(token: ProviderToken<T>): Promise<T> {
    if (this.#singletons.has(token)) return this.#singletons.get(token) as T;
    this.get(token as ProviderToken); // throws the coded error for unknown tokens
    return this.#inversify.getAsync<T>(token as never);
  }

  /** Runs onStart in dependency order; on failure, stops what already started and rethrows. */
  async start(): Promise<void> {
    for (const { def, value } of this.#instances) {
      try {
        if (hasHook(value, 'onStart')) await value.onStart();
      } catch (err) {
        await this.stop();
        throw hookFailed(def, 'onStart', err);
      }
      this.#started.push(value);
    }
  }

  /** Runs onStop in reverse start order; every hook runs, the first failure is rethrown after. */
  async stop(): Promise<void> {
    const started = this.#started.splice(0).reverse();
    await runAll(started.map((value) => ({ value, def: this.#defOf(value) })), 'onStop');
  }

  /** Runs onDestroy in reverse dependency order; every hook runs, the first failure is rethrown after. */
  async destroy(): Promise<void> {
    await runAll([...this.#instances].reverse(), 'onDestroy');
  }

  #defOf(value: unknown): ProviderDef {
    return (this.#instances.find((i) => i.value === value) as { def: ProviderDef }).def;
  }

  // inversify builds transient providers (on request, after boot); singletons are built by
  // #buildSingletons in plan order and handed to inversify as they are, so a transient needing one gets
  // the same instance without inversify planning a 200-provider graph again at each singleton.
  #bindAll(): void {
    const c = this.#inversify;
    c.bind(ABSENT).toConstantValue(undefined);
    for (const def of this.#servedByInversify()) {
      const id = def.token as never;
      if (def.kind === 'value') {
        c.bind(id).toConstantValue(def.target);
        continue;
      }
      if (def.kind === 'existing') {
        c.bind(id).toService(def.target as never);
        continue;
      }
      if (def.scope !== 'transient') {
        c.bind(id).toDynamicValue(() => this.#singletons.get(def.token) as never);
        continue;
      }
      const deps = [...def.deps, ...def.props].map((d) => this.#injectOption(d));
      const make = def.kind === 'class' ? construct(def) : (def.target as (...a: unknown[]) => unknown);
      c.bind(id).toResolvedValue(make as never, deps as never).inTransientScope();
    }
  }

  // Only transient providers, aliases and what they need, in plan order: a binding costs inversify
  // tens of µs (its binding and plan-cache bookkeeping), a quarter of createApp + start for 200
  // singletons that nothing ever asked inversify for. Plan order puts each provider after its
  // dependencies, so walking it backwards reaches a provider's dependents before the provider.
  #servedByInversify(): ProviderDef[] {
    const order = this.#plan.order;
    const needed = new Set<ProviderToken>();
    for (let i = order.length - 1; i >= 0; i--) {
      const def = order[i] as ProviderDef;
      if (def.scope !== 'transient' && def.kind !== 'existing' && !needed.has(def.token)) continue;
      needed.add(def.token);
      for (const dep of [...def.deps, ...def.props]) if (!this.#plan.absent.has(dep)) needed.add(dep.token as ProviderToken);
    }
    return needed.size === 0 ? [] : order.filter((def) => needed.has(def.token));
  }

  #injectOption(dep: Dependency): ResolvedValueInjectOptions<unknown> {
    if (this.#plan.absent.has(dep)) return ABSENT as never;
    return dep.token as never;
  }

  /** A singleton's value from its dependencies, which plan order has built before it. */
  async #build(def: ProviderDef): Promise<unknown> {
    if (def.kind === 'value') return def.target;
    if (def.kind === 'existing') return this.#valueOf(def.target as ProviderToken);
    const deps = [...def.deps, ...def.props];
    const args: unknown[] = new Array(deps.length);
    for (let i = 0; i < deps.length; i++) {
      const dep = deps[i] as Dependency;
      args[i] = this.#plan.absent.has(dep) ? undefined : await this.#valueOf(dep.token as ProviderToken);
    }
    return def.kind === 'class' ? construct(def)(...args) : await (def.target as (...a: unknown[]) => unknown)(...args);
  }

  /** A built singleton, or a new instance of a transient provider. */
  #valueOf(token: ProviderToken): unknown {
    return this.#singletons.has(token) ? this.#singletons.get(token) : this.#inversify.getAsync(token as never);
  }

  async #buildSingletons(): Promise<void> {
    const seen = new Set<unknown>();
    for (const def of this.#plan.order) {
      // An alias (useExisting) is its target's: inversify forwards it, so an alias of a transient stays transient.
      if (def.scope !== 'singleton' || def.kind === 'existing') continue;
      let value: unknown;
      try {
        value = await this.#build(def);
      } catch (err) {
        throw hookFailed(def, 'factory', err);
      }
      this.#singletons.set(def.token, value);
      if (typeof value === 'object' && value !== null ? seen.has(value) : true) continue;
      seen.add(value);
      this.#instances.push({ def, value });
      try {
        if (hasHook(value, 'onInit')) await value.onInit();
      } catch (err) {
        throw hookFailed(def, 'onInit', err);
      }
    }
  }
}

function construct(def: ProviderDef): (...args: unknown[]) => unknown {
  const cls = def.target as Constructor;
  const n = def.deps.length;
  const props = def.props;
  return (...args) => {
    const instance = new cls(...args.slice(0, n)) as Record<string | symbol, unknown>;
    for (let i = 0; i < props.length; i++) instance[props[i]!.at as string | symbol] = args[n + i];
    return instance;
  };
}

function applyOverride(graph: ModuleGraph, provider: Provider): void {
  const def = normalizeProvider(provider, '<override>');
  const prev = graph.defs.get(def.token);
  if (prev === undefined) {
    throw new FrameworkError('KRATOS_ERR_TOKEN_UNKNOWN', `the override for ${tokenName(def.token)} matches no provider of the application`, {
      hint: 'Override a token that a module (or the framework) provides; check for a typo or a missing import.',
    });
  }
  graph.defs.set(def.token, { ...def, module: prev.module });
}

function hookFailed(def: ProviderDef, hook: LifecycleHook | 'factory', cause: unknown): FrameworkError {
  if (FrameworkError.isFrameworkError(cause)) return cause;
  const what = hook === 'factory' ? 'building' : hook;
  const msg = cause instanceof Error ? cause.message : String(cause);
  return new FrameworkError('KRATOS_ERR_LIFECYCLE_FAILED', `${what} ${tokenName(def.token)} (module ${def.module}) failed: ${msg}`, { cause });
}

async function runAll(items: { def: ProviderDef; value: unknown }[], hook: 'onStop' | 'onDestroy'): Promise<void> {
  let first: unknown;
  for (const { def, value } of items) {
    try {
      if (hasHook(value, hook)) await value[hook]();
    } catch (err) {
      first ??= hookFailed(def, hook, err);
    }
  }
  if (first !== undefined) throw first;
}
