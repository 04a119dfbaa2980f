import { FrameworkError } from '../errors/index.js';
import { readMiddlewareOptions, readModule, scanService, type MiddlewareClass, type MiddlewareEntry, type ModuleOptions, type ServiceDescriptor } from '../annotations/index.js';
import { normalizeProvider, sameProvider, type ProviderDef } from './provider.js';
import type { Provider } from '../annotations/index.js';
import { tokenName, type Class, type ProviderToken } from '../annotations/index.js';

/** One module of the graph, with what it owns and what it can see. */
export interface ModuleNode {
  cls: Class;
  name: string;
  options: ModuleOptions;
  imports: ModuleNode[];
  /** Modules from the root down to this one (first path found), for middleware scoping. */
  lineage: ModuleNode[];
  provided: Set<ProviderToken>;
  exported: Set<ProviderToken>;
  services: ServiceDescriptor[];
}

/** The modules reachable from a root, and every provider they declare (one definition per token). */
export interface ModuleGraph {
  root: ModuleNode;
  modules: ModuleNode[];
  defs: Map<ProviderToken, ProviderDef>;
  /** Tokens visible from every module (framework providers). */
  global: Set<ProviderToken>;
  /** The module that declared each token first; undefined for framework providers. */
  declaredIn: Map<ProviderToken, ModuleNode | undefined>;
}

function moduleOptions(cls: unknown, from: string): ModuleOptions {
  const options = typeof cls === 'function' ? readModule(cls) : undefined;
  if (options === undefined) {
    throw new FrameworkError('KRATOS_ERR_MODULE_INVALID', `${tokenName(cls)} (imported by ${from}) is not decorated with @Module`);
  }
  return options;
}

function isMiddlewareClass(entry: MiddlewareEntry): entry is Class<MiddlewareClass> {
  return typeof entry === 'function' && readMiddlewareOptions(entry) !== undefined;
}

/**
 * Walks the modules from `rootCls`, normalises every provider (services and middleware classes are
 * providers of their module too) and computes each module's exports.
 */
export function buildModuleGraph(rootCls: Class, globalProviders: Provider[]): ModuleGraph {
  const defs = new Map<ProviderToken, ProviderDef>();
  const byClass = new Map<Class, ModuleNode>();
  const modules: ModuleNode[] = [];

  const declaredIn = new Map<ProviderToken, ModuleNode | undefined>();
  const declare = (p: unknown, node: { name: string; provided: Set<ProviderToken> }, owner?: ModuleNode): void => {
    const def = normalizeProvider(p, node.name);
    const prev = defs.get(def.token);
    if (prev !== undefined && !sameProvider(prev, def)) {
      throw new FrameworkError(
        'KRATOS_ERR_PROVIDER_DUPLICATE',
        `${tokenName(def.token)} is provided by ${prev.module} and, differently, by ${def.module}`,
      );
    }
    if (prev === undefined) {
      defs.set(def.token, def);
      declaredIn.set(def.token, owner);
    }
    node.provided.add(def.token);
  };

  const global = new Set<ProviderToken>();
  for (const p of globalProviders) declare(p, { name: '<framework>', provided: global });

  const visit = (cls: Class, lineage: ModuleNode[], from: string): ModuleNode => {
    const known = byClass.get(cls);
    if (known !== undefined) return known;
    const options = moduleOptions(cls, from);
    const node: ModuleNode = {
      cls,
      name: cls.name,
      options,
      imports: [],
      lineage: [],
      provided: new Set(),
      exported: new Set(),
      services: [],
    };
    node.lineage = [...lineage, node];
    byClass.set(cls, node);
    modules.push(node);
    for (const p of options.providers ?? []) declare(p, node, node);
    for (const s of options.services ?? []) {
      declare(s, node, node);
      node.services.push(scanService(s));
    }
    const middlewareClasses = [
      ...(options.middleware ?? []),
      ...node.services.flatMap((s) => [...s.middleware, ...s.routes.flatMap((r) => r.middleware), ...s.rpcs.flatMap((r) => r.middleware)]),
    ].filter(isMiddlewareClass);
    for (const m of middlewareClasses) if (!node.provided.has(m)) declare(m, node, node);
    for (const imp of options.imports ?? []) node.imports.push(visit(imp, node.lineage, node.name));
    return node;
  };

  const root = visit(rootCls, [], '<createApp>');
  const done = new Set<ModuleNode>();
  for (const node of modules) computeExports(node, new Set(), done);
  return { root, modules, defs, global, declaredIn };
}

// Exports are computed after the walk because a module may re-export a module imported later.
function computeExports(node: ModuleNode, visiting: Set<ModuleNode>, done: Set<ModuleNode>): Set<ProviderToken> {
  if (done.has(node) || visiting.has(node)) return node.exported;
  visiting.add(node);
  for (const e of node.options.exports ?? []) {
    const imported = node.imports.find((m) => m.cls === e);
    if (imported !== undefined) {
      for (const t of computeExports(imported, visiting, done)) node.exported.add(t);
    } else if (node.provided.has(e) || node.imports.some((m) => computeExports(m, visiting, done).has(e))) {
      node.exported.add(e);
    } else {
      throw new FrameworkError(
        'KRATOS_ERR_MODULE_INVALID',
        `${node.name} exports ${tokenName(e)}, which it neither provides nor imports from a module that exports it`,
      );
    }
  }
  visiting.delete(node);
  done.add(node);
  return node.exported;
}

/** Every token `node` can inject: its own, its imports' exports, and the framework's. */
export function visibleTokens(graph: ModuleGraph, node: ModuleNode): Set<ProviderToken> {
  const seen = new Set<ProviderToken>([...graph.global, ...node.provided]);
  for (const m of node.imports) for (const t of m.exported) seen.add(t);
  return seen;
}
