import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'([^']+)'|import\s+'([^']+)'/g)].map((m) => (m[1] ?? m[2]) as string);
}

/** Folders whose subfolders are concepts of their own (`transport/http`, `middleware/logging`, `tools/cli`). */
const NESTED = new Set(['transport', 'middleware', 'tools']);

/** The concept folder of a file under lib/. */
function concept(file: string): string {
  const parts = relative(join(root, 'lib'), file).split(sep);
  if (NESTED.has(parts[0] as string) && parts.length > 2) return `${parts[0]}/${parts[1]}`;
  return parts.length > 1 ? (parts[0] as string) : '';
}

/** Concept-to-concept import edges of lib/ (the root barrel, concept '', excluded). */
function conceptGraph(files: string[]): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = concept(file);
    if (from === '') continue;
    for (const spec of imports(file)) {
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      if (!target.startsWith(join(root, 'lib') + sep)) continue;
      const to = concept(target);
      if (to === from || to === '') continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** Every cycle's members, found as strongly connected components of more than one concept. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const members: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      members.push(w);
    } while (w !== v);
    if (members.length > 1) found.push(members.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

// Packages the build bundles into one module each (scripts/bundle-vendor.mjs): importing one anywhere
// else would load a second copy beside the bundled one.
const BUNDLED: Record<string, string> = {
  inversify: 'lib/container/inversify.ts',
  'prom-client': 'lib/metrics/prometheus-client.ts',
  yaml: 'lib/internal/yaml.ts',
  '@opentelemetry/core': 'lib/tracing/otel-sdk.ts',
  '@opentelemetry/resources': 'lib/tracing/otel-sdk.ts',
  '@opentelemetry/sdk-trace-base': 'lib/tracing/otel-sdk.ts',
  '@opentelemetry/context-async-hooks': 'lib/tracing/otel-sdk.ts',
};

/** Packages a file loads at run time: value imports and re-exports, and require()/lazyRequire() names. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const statements = [...text.matchAll(/(?:^|\n)\s*(import|export)\s+(type\s)?[^'"]*?from\s+'([^']+)'/g)].filter((m) => m[2] === undefined).map((m) => m[3] as string);
  const required = [...text.matchAll(/(?:require|lazyRequire)(?:<[^>]*>)?\('([^']+)'/g)].map((m) => m[1] as string);
  return [...statements, ...required];
}

// Vendor SDKs live behind our interfaces: only these adapter files may import them.
const VENDOR_ADAPTERS: Record<string, RegExp> = {
  winston: /^lib\/log\/winston[\w-]*\.ts$/,
  'prom-client': /^lib\/metrics\/prometheus[\w-]*\.ts$/,
  '@opentelemetry/': /^lib\/tracing\/otel[\w-]*\.ts$/,
  redis: /^lib\/cache\/redis[\w-]*\.ts$/,
};

describe('the source tree', () => {
  const libFiles = sources(join(root, 'lib'));

  it('should load each package the build bundles only through its one vendor file', () => {
    const bad: string[] = [];
    for (const file of libFiles) {
      const rel = relative(root, file).split(sep).join('/');
      for (const spec of runtimeImports(file)) {
        const owner = Object.hasOwn(BUNDLED, spec) ? BUNDLED[spec] : undefined;
        if (owner !== undefined && owner !== rel) bad.push(`${rel} loads ${spec} (import it from ${owner})`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('should ship each vendor file bundled, importing none of the packages it holds', () => {
    for (const [pkg, owner] of Object.entries(BUNDLED)) {
      const file = join('dist', owner.replace(/\.ts$/, '.js'));
      const built = readFileSync(join(root, file), 'utf8');
      assert.ok(!built.includes(`from "${pkg}"`) && !built.includes(`from '${pkg}'`), `${file} still imports ${pkg}: the build did not bundle it`);
    }
  });

  it('should enter another lib/ folder only through its index.ts', () => {
    const bad: string[] = [];
    for (const file of libFiles) {
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
        if (!target.startsWith(join(root, 'lib') + sep)) continue;
        const from = concept(file);
        const to = concept(target);
        if (from === to || to === '') continue;
        // A sub-transport may use its parent's files (transport/http -> transport/context.ts).
        if (from.startsWith(`${to}/`)) continue;
        if (!target.endsWith(`${sep}index.ts`)) bad.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  it('should have no import cycle between folders', () => {
    assert.deepEqual(cycles(conceptGraph(libFiles)), []);
  });

  it('should find a cycle when there is one (the check itself)', () => {
    const graph = new Map([['a', new Set(['b'])], ['b', new Set(['c'])], ['c', new Set(['a'])], ['d', new Set(['a'])]]);
    assert.deepEqual(cycles(graph), [['a', 'b', 'c']]);
  });

  it('should keep developer tooling (cli, codegen, lint) out of the runtime import graph', () => {
    const graph = conceptGraph(libFiles);
    const bad = [...graph].filter(([from]) => !from.startsWith('tools/')).flatMap(([from, to]) => [...to].filter((t) => t.startsWith('tools/')).map((t) => `${from} -> ${t}`));
    assert.deepEqual(bad, []);
    assert.deepEqual(imports(join(root, 'lib', 'index.ts')).filter((s) => s.includes('tools/')), []);
  });

  it('should keep decorator records (annotations) a leaf that the container imports', () => {
    const graph = conceptGraph(libFiles);
    assert.deepEqual([...(graph.get('annotations') ?? [])].filter((t) => t !== 'errors' && t !== 'middleware'), []);
    assert.ok(graph.get('container')?.has('annotations'));
  });

  it('should import vendor SDKs only in their adapter files', () => {
    const bad: string[] = [];
    for (const file of libFiles) {
      const rel = relative(root, file).split(sep).join('/');
      for (const spec of imports(file)) {
        for (const [vendor, allowed] of Object.entries(VENDOR_ADAPTERS)) {
          if ((spec === vendor || spec.startsWith(vendor)) && !allowed.test(rel)) bad.push(`${rel} imports ${spec}`);
        }
      }
    }
    assert.deepEqual(bad, []);
  });

  it('should keep decorators free of anything but metadata writes', () => {
    for (const file of sources(join(root, 'decorators'))) {
      for (const spec of imports(file)) {
        assert.ok(spec === 'reflect-metadata' || spec.startsWith('./') || /lib\/annotations\/index\.js$/.test(spec), `${relative(root, file)} imports ${spec}`);
      }
    }
  });

  it('should keep protobufjs out of the HTTP transport (proto-aware codecs are supplied to it)', () => {
    const http = sources(join(root, 'lib', 'transport', 'http'));
    assert.ok(http.length > 0);
    const bad = http.flatMap((f) => imports(f).filter((s) => s === 'protobufjs' || s.startsWith('protobufjs/')).map((s) => `${relative(root, f)} imports ${s}`));
    assert.deepEqual(bad, []);
  });

  it('should keep every source file under 300 lines', () => {
    const long = [...libFiles, ...sources(join(root, 'decorators'))]
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 300);
    assert.deepEqual(long, []);
  });
});
