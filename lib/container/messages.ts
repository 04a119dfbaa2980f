import { FrameworkError } from '../errors/index.js';
import type { Dependency } from '../annotations/index.js';
import type { ModuleGraph } from './module-graph.js';
import type { ProviderDef } from './provider.js';
import { tokenName, type ProviderToken } from '../annotations/index.js';

function where(dep: Dependency): string {
  return typeof dep.at === 'number' ? `constructor parameter #${dep.at}` : `property '${String(dep.at)}'`;
}

function owner(def: ProviderDef): string {
  return def.kind === 'factory' ? `the factory of ${tokenName(def.token)}` : tokenName(def.kind === 'class' ? def.target : def.token);
}

/** A constructor parameter or property with neither type metadata nor `@Inject`. */
export function unresolvableParam(def: ProviderDef, dep: Dependency, path: string[]): FrameworkError {
  return new FrameworkError(
    'KRATOS_ERR_PARAM_UNRESOLVABLE',
    `cannot tell what to inject into ${where(dep)} of ${owner(def)} (module ${def.module}): it has no @Inject(token) ` +
      `and its emitted type is missing or is an interface, union or primitive. Path: ${path.join(' -> ')}`,
    {
      hint:
        `Add @Inject(token) to ${where(dep)} of ${owner(def)}, or, for a class dependency, decorate ${owner(def)} with ` +
        `@Service() and compile with emitDecoratorMetadata (tsc or swc; esbuild emits no metadata).`,
    },
  );
}

/** A dependency on a token no visible provider supplies, with the fix that applies. */
export function missingProvider(graph: ModuleGraph, def: ProviderDef, dep: Dependency, path: string[]): FrameworkError {
  const t = dep.token as ProviderToken;
  const name = tokenName(t);
  const holders = graph.modules.filter((m) => m.provided.has(t));
  const exporters = holders.filter((m) => m.exported.has(t));
  let hint: string;
  if (exporters.length > 0) hint = `${name} is exported by ${exporters[0]!.name}: add ${exporters[0]!.name} to the imports of ${def.module}.`;
  else if (holders.length > 0) {
    const h = holders[0]!.name;
    hint = `${name} is provided by ${h} but not exported: add it to ${h}'s exports and ${h} to the imports of ${def.module}.`;
  } else {
    hint = `Add ${name} to the providers of ${def.module}, or of a module that ${def.module} imports and that exports it.`;
  }
  return new FrameworkError(
    'KRATOS_ERR_PROVIDER_MISSING',
    `${owner(def)} (module ${def.module}) needs ${name} at ${where(dep)}, but no provider for ${name} is visible in ` +
      `${def.module}. Path: ${[...path, name].join(' -> ')}`,
    { hint },
  );
}

/** A dependency cycle, printed as `A -> B -> A`. */
export function dependencyCycle(cycle: string[], module: string): FrameworkError {
  return new FrameworkError(
    'KRATOS_ERR_DEPENDENCY_CYCLE',
    `dependency cycle in module ${module}: ${cycle.join(' -> ')}`,
  );
}
