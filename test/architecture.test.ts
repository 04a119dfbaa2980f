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

/** The concept folder of a file under lib/ (`transport/http` counts as its own concept). */
function concept(file: string): string {
  const parts = relative(join(root, 'lib'), file).split(sep);
  if (parts[0] === 'transport' && parts.length > 2) return `transport/${parts[1]}`;
  return parts.length > 1 ? (parts[0] as string) : '';
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
        assert.ok(spec === 'reflect-metadata' || spec.startsWith('./') || /lib\/(metadata|container)\/index\.js$/.test(spec), `${relative(root, file)} imports ${spec}`);
      }
    }
  });

  it('should keep every source file under 300 lines', () => {
    const long = [...libFiles, ...sources(join(root, 'decorators'))]
      .map((f) => [relative(root, f), readFileSync(f, 'utf8').split('\n').length] as const)
      .filter(([, n]) => n > 300);
    assert.deepEqual(long, []);
  });
});
