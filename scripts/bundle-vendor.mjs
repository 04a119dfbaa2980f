// Run by `npm run build` after tsc: replaces each compiled vendor entry file below with one bundled
// module holding the same exports. Packages shipped as hundreds of small modules cost Node a resolve,
// a read and a compile per file at every start; one file of the same code loads several times faster.
// Only packages whose objects never cross into user code are bundled (one copy per app, no instanceof
// against a user's copy), each through a single file in lib/ that is the only importer of the package.
// The tsc output works unbundled too (a plain re-export), so a build without this step stays correct.
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// CommonJS code inside an ES module bundle requires Node built-ins and externals through this.
const REQUIRE = "import { createRequire as __kratosRequire } from 'node:module'; const require = __kratosRequire(import.meta.url);";

/** dist file to bundle in place, and the packages left as imports (global singletons). */
const ENTRIES = [
  { file: 'dist/lib/container/inversify.js', external: ['reflect-metadata'] },
  // ES module builds first: their imports of @opentelemetry/semantic-conventions tree-shake (bundle-runtime.mjs).
  { file: 'dist/lib/tracing/otel-sdk.js', external: ['@opentelemetry/api'], banner: REQUIRE, mainFields: ['module', 'main'] },
  { file: 'dist/lib/metrics/prometheus-client.js', external: [], banner: REQUIRE },
  { file: 'dist/lib/internal/yaml.js', external: [], banner: REQUIRE },
];

for (const { file, external, banner, mainFields } of ENTRIES) {
  const path = join(root, file);
  if (!existsSync(path)) throw new Error(`${file}: not built; run tsc first`);
  await build({
    entryPoints: [path],
    outfile: path,
    allowOverwrite: true,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external,
    ...(mainFields === undefined ? {} : { mainFields }),
    legalComments: 'inline',
    ...(banner === undefined ? {} : { banner: { js: banner } }),
    logLevel: 'warning',
  });
  // tsc's source map described the re-export, not the bundle.
  rmSync(`${path}.map`, { force: true });
}
