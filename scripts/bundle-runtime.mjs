// Run by `npm run build` after tsc, before bundle-vendor.mjs: bundles the runtime behind the package's
// subpath entries (package.json "exports") into one script, dist/bundle/runtime.cjs, with a V8 code
// cache beside it, and writes one small ES module per entry (dist/bundle/<entry>.js) that re-exports
// its part of it. Every entry reads the same runtime, so classes are identical across entries.
//
// Why (docs/performance.md, "Boot"): Node resolves, reads, links and compiles each ES module on its
// own; lib/ is ~250 files and its packages ~200 more. One script compiled from a code cache starts in
// a fraction of that time (Node 20 has no compile cache of its own: module.enableCompileCache is 22+).
//
// - Packages are bundled except reflect-metadata (it polyfills the global Reflect), @grpc/proto-loader
//   (grpc-js requires it only inside its channelz and ORCA functions, with its own protobufjs), and
//   those lazyRequire loads on demand (etcd3, redis, jose, koa, the OTLP exporters...), which stay lazy.
//   @opentelemetry/api is bundled too: its state (tracer provider, context manager, propagator, diag
//   logger) lives in a global keyed by Symbol.for, which every copy of the same major version shares,
//   so a user's own copy and the exporters' still see what kratos-ts registers.
// - `import.meta.url` in lib/ keeps meaning the compiled file's URL (dist/lib/...: the protos the build
//   copies there, otel-sdk.js loaded lazily beside it), except in the log caller valuer, whose "frames
//   of the logging code" are the runtime's.
// - The code cache is V8's: a different Node version or V8 flags reject it and the script is compiled
//   as usual. With `node --enable-source-maps` the script is loaded by require() instead, so Node maps
//   stack traces through runtime.cjs.map to lib/*.ts; without it they name runtime.cjs lines, whose
//   code is tsc's output with a `// dist/lib/<file>.js` comment above each file.
// - tsc's output stays in dist/lib (type declarations, the CLI, and the test suite, which runs against
//   it through the "kratos-ts-unbundled" export condition, so that a test importing lib/ modules and
//   `kratos-ts` sees one copy of each class).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');
const runtime = join(outdir, 'runtime.cjs');

/** One part of the runtime per subpath export: `.` -> index, `./http` -> http... */
function entries() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    out[subpath === '.' ? 'index' : subpath.slice(2)] = { tsc: target['kratos-ts-unbundled'], bundle: target.default };
  }
  return out;
}

const LIB = join(root, 'dist', 'lib');
/** Compiled files that lib/ loads lazily by path (lazyRequire with import.meta.url), bundled as lazy parts. */
const LAZY_FILES = ['dist/lib/tracing/otel-sdk.js'];
const keepOwnUrl = new Set([join(LIB, 'log', 'valuer.js')]);

/** Rewrites `import.meta.url` in dist/lib files to the compiled file's URL, relative to the runtime. */
const compiledUrl = {
  name: 'compiled-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/](lib|decorators)[\\/].*\.js$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url') || keepOwnUrl.has(args.path)) return undefined;
      const rel = relative(outdir, args.path).split('\\').join('/');
      return { contents: text.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js', resolveDir: dirname(args.path) };
    });
  },
};

// The OpenTelemetry SDK packages from their ES module builds ("module" in their package.json), so that
// of @opentelemetry/semantic-conventions' thousands of constants the bundle keeps the few their code
// uses: from the CommonJS builds, the SDK's first load built all of them (4.8 of its 8.2 ms, profiled).
const OTEL_ESM = /^@opentelemetry\/(core|resources|sdk-trace|sdk-trace-base)$/;
const otelEsmBuilds = {
  name: 'otel-esm-builds',
  setup(b) {
    b.onResolve({ filter: OTEL_ESM }, (args) => {
      let manifest;
      try {
        manifest = createRequire(join(args.resolveDir, 'importer.js')).resolve(`${args.path}/package.json`);
      } catch {
        return undefined; // a release whose "exports" hides package.json: esbuild's own resolution
      }
      const { module } = JSON.parse(readFileSync(manifest, 'utf8'));
      return module === undefined ? undefined : { path: join(dirname(manifest), module) };
    });
  },
};

// runtime.cjs is a CommonJS module (what require() runs under --enable-source-maps) whose code is one
// function called with CommonJS' arguments, or with the loader's when the loader compiles the file as
// a script: so the script is the file's text itself, with no second copy of 2.5 MB made by wrapping it.
const ARGS = "Symbol.for('kratos-ts/runtime-args')";
const WRAP = ['(function (exports, require, module, __filename, __dirname) { ', `\n}).apply(this, globalThis[${ARGS}] ?? [exports, require, module, __filename, __dirname]);\n`];

// A compiled lib/ file that lazyRequire loads by path but the bundle does not hold would come in as a
// second copy of lib/ modules next to the bundled ones: refuse to build until it is listed above.
function checkLazyFiles(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'tools') checkLazyFiles(path);
      continue;
    }
    if (!e.name.endsWith('.js')) continue;
    for (const m of readFileSync(path, 'utf8').matchAll(/lazyRequire(?:<[^>]*>)?\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g)) {
      const target = relative(root, join(dirname(path), m[1])).split('\\').join('/');
      if (!LAZY_FILES.includes(target)) throw new Error(`${relative(root, path)} loads ${m[1]} with lazyRequire: add ${target} to LAZY_FILES in scripts/bundle-runtime.mjs`);
    }
  }
}
checkLazyFiles(LIB);
// bundle-vendor.mjs replaces these with bundles (and deletes tsc's map of each): from those, the runtime
// would hold packages twice (their bundled copies require @opentelemetry/api from node_modules).
for (const f of ['container/inversify.js', 'tracing/otel-sdk.js', 'metrics/prometheus-client.js', 'internal/yaml.js']) {
  if (!existsSync(join(LIB, `${f}.map`))) throw new Error(`dist/lib/${f} is already bundled: run this after tsc and before scripts/bundle-vendor.mjs (npm run build)`);
}

const parts = entries();
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  stdin: {
    contents: [
      ...Object.entries(parts).map(([name, { tsc }]) => `export * as ${name} from ${JSON.stringify(`./${tsc}`)};`),
      // Files lib/ loads with lazyRequire(<path>, import.meta.url): inside the bundle, still loaded on first use.
      "import { provideBundled } from './dist/lib/internal/lazy-require.js';",
      ...LAZY_FILES.map((f) => `provideBundled(new URL(${JSON.stringify(relative(outdir, join(root, f)).split('\\').join('/'))}, import.meta.url).href, () => require(${JSON.stringify(`./${f}`)}));`),
    ].join('\n'),
    resolveDir: root,
    sourcefile: 'kratos-ts-runtime.js',
  },
  outfile: runtime,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['reflect-metadata', '@grpc/proto-loader'],
  // ES modules are strict; so stays their code in one script.
  banner: { js: "'use strict';\nconst __kratosRuntimeUrl = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__kratosRuntimeUrl' },
  sourcemap: 'linked',
  sourcesContent: false, // the sources ship in the package (lib/, node_modules)
  legalComments: 'inline',
  plugins: [compiledUrl, otelEsmBuilds],
  logLevel: 'warning',
});

// V8 keeps a script's source as one-byte characters only if every character is Latin-1; one "µ" in a
// comment or regex doubles the runtime's 2.5 MB of source in memory (two-byte). esbuild escapes
// strings but not comments or regular expressions: \uXXXX means the same character in both, and in
// identifiers and string literals too (columns after it shift in the source map, on these few lines).
// The wrapper opens on the first line (its columns shift there only) and closes after the last.
const ascii = readFileSync(runtime, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(runtime, WRAP[0] + ascii + WRAP[1]);

// The loader every entry imports: the runtime compiled once per process, from the code cache when V8 takes it.
writeFileSync(
  join(outdir, 'runtime.js'),
  `// Generated by scripts/bundle-runtime.mjs: loads runtime.cjs (see there why).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, Script } from 'node:vm';

const file = fileURLToPath(new URL('./runtime.cjs', import.meta.url));
const require = createRequire(file);

function compiled() {
  const cache = file + '.cache';
  script = new Script(readFileSync(file, 'latin1'), {
    filename: file,
    cachedData: existsSync(cache) ? readFileSync(cache) : undefined,
    importModuleDynamically: constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  codeCacheUsed = script.cachedDataRejected === false;
  const module = { exports: {} };
  globalThis[${ARGS}] = [module.exports, require, module, file, dirname(file)];
  try {
    script.runInThisContext();
  } finally {
    delete globalThis[${ARGS}];
  }
  return module.exports;
}

let script;
/** Whether V8 took runtime.cjs.cache (false: compiled from source, as with another Node version). */
export let codeCacheUsed = false;

/** Every entry's exports, by entry name. */
export const runtime = process.sourceMapsEnabled ? require(file) : compiled();

/** V8's code cache of the runtime with what ran so far (the build writes it after a warm-up boot). */
export function codeCache() {
  return script?.createCachedData();
}
`,
);

/** Runs an ES module snippet in a fresh Node process beside the helloworld sample; throws with its stderr. */
function runChild(what, code) {
  // Only what node needs: the caller's ETCD_ENDPOINTS or OTEL_* would make the warm-up register or export.
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0', LOG_LEVEL: 'warn' };
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: join(root, 'dist', 'samples', 'helloworld'), env, encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`runtime bundle, ${what}:\n${child.stderr}`);
}
const loaderUrl = JSON.stringify(pathToFileURL(join(outdir, 'runtime.js')).href);

// Each entry's export names, as the runtime has them.
const namesFile = join(outdir, 'names.json');
runChild(
  'export names',
  `import { writeFileSync } from 'node:fs';
const { runtime } = await import(${loaderUrl});
writeFileSync(${JSON.stringify(namesFile)}, JSON.stringify(Object.fromEntries(Object.entries(runtime).map(([k, v]) => [k, Object.keys(v)]))));`,
);
const names = JSON.parse(readFileSync(namesFile, 'utf8'));
rmSync(namesFile);

for (const [name, { bundle }] of Object.entries(parts)) {
  const exported = names[name];
  if (!Array.isArray(exported)) throw new Error(`runtime bundle: no part ${name}`);
  const path = join(root, bundle);
  if (dirname(path) !== outdir) throw new Error(`${bundle}: entries of the runtime bundle live in dist/bundle`);
  writeFileSync(
    path,
    `// Generated by scripts/bundle-runtime.mjs: \`kratos-ts${name === 'index' ? '' : `/${name}`}\` from the bundled runtime (${parts[name].tsc}).\n` +
      `import { runtime } from './runtime.js';\n\nexport const {\n${exported.map((n) => `  ${n},\n`).join('')}} = runtime.${name};\n`,
  );
}

// The code cache: V8's compiled code of the runtime after a warm-up in a fresh process (the helloworld
// sample's boot with its config file and one HTTP call, on loopback with ephemeral ports), so that what an app runs at boot
// is in the cache, not only the top level of each module.
runChild(
  'warm-up for the code cache',
  `import { writeFileSync } from 'node:fs';
const { runtime, codeCache } = await import(${loaderUrl});
const { AppModule } = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'samples', 'helloworld', 'src', 'server', 'app.module.js')).href)});
const app = await runtime.index.createApp(AppModule, { name: 'warm-up', version: '0', configDir: ${JSON.stringify(join(root, 'dist', 'samples', 'helloworld', 'configs'))}, signals: [] });
await app.start();
const reply = await fetch(app.endpoints[0] + '/helloworld/build');
if (reply.status !== 200) throw new Error('warm-up call: HTTP ' + reply.status);
await app.stop();
writeFileSync(${JSON.stringify(`${runtime}.cache`)}, codeCache());`,
);
