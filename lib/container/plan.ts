import type { Dependency } from '../annotations/index.js';
import { dependencyCycle, missingProvider, unresolvableParam } from './messages.js';
import { visibleTokens, type ModuleGraph, type ModuleNode } from './module-graph.js';
import type { ProviderDef } from './provider.js';
import { tokenName, type ProviderToken } from '../annotations/index.js';

/** The checked graph: providers in dependency order, and optional dependencies nobody provides. */
export interface Plan {
  /** Every provider, each after all it depends on. */
  order: ProviderDef[];
  /** Optional dependencies that resolve to undefined. */
  absent: Set<Dependency>;
}

/**
 * Checks the whole graph before anything is built: every dependency has a token, every token is
 * visible from the module that asks for it, and nothing depends on itself.
 */
export function planGraph(graph: ModuleGraph): Plan {
  const order: ProviderDef[] = [];
  const absent = new Set<Dependency>();
  const state = new Map<ProviderToken, 'visiting' | 'done'>();
  const stack: ProviderToken[] = [];
  // One set per module (undefined: the framework's providers), not per provider: a module of 200 providers computes it once.
  const visibleCache = new Map<ModuleNode | undefined, Set<ProviderToken>>();

  const visible = (def: ProviderDef): Set<ProviderToken> => {
    const node = graph.declaredIn.get(def.token);
    let v = visibleCache.get(node);
    if (v === undefined) {
      v = node === undefined ? new Set(graph.global) : visibleTokens(graph, node);
      visibleCache.set(node, v);
    }
    return v;
  };

  const pathNames = (): string[] => {
    const root = graph.declaredIn.get(stack[0] as ProviderToken);
    return [root?.name ?? '<framework>', ...stack.map(tokenName)];
  };

  const visit = (token: ProviderToken): void => {
    const s = state.get(token);
    if (s === 'done') return;
    const def = graph.defs.get(token) as ProviderDef;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(token)), token].map(tokenName);
      throw dependencyCycle(cycle, def.module);
    }
    state.set(token, 'visiting');
    stack.push(token);
    for (const dep of [...def.deps, ...def.props]) {
      if (dep.token === undefined) throw unresolvableParam(def, dep, pathNames());
      if (!visible(def).has(dep.token) || !graph.defs.has(dep.token)) {
        if (dep.optional) absent.add(dep);
        else throw missingProvider(graph, def, dep, pathNames());
        continue;
      }
      visit(dep.token);
    }
    stack.pop();
    state.set(token, 'done');
    order.push(def);
  };

  for (const token of graph.defs.keys()) visit(token);
  return { order, absent };
}
