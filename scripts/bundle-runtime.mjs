// Run by `npm run build` after tsc and bundle-vendor.mjs: bundles the runtime that the package's
// subpath entries (package.json "exports") load into dist/bundle/, one ES module per entry plus shared
// chunks, so that every entry sees the same classes. Node resolves, reads and compiles each ES module
// separately; the ~250 files of lib/ and the ~200 CommonJS files of the packages below cost more at
// start-up than the code in them (docs/performance.md, "Boot").
//
// - Packages are bundled except those holding process-wide state shared with other copies
//   (reflect-metadata, @opentelemetry/api) and those loaded on demand (lazyRequire: etcd3, redis, jose,
//   koa, OTLP exporters...), which stay lazy.
// - `import.meta.url` in lib/ keeps meaning the compiled file's own URL (dist/lib/...: the protos the
//   build copies there, otel-sdk.js loaded lazily beside it), except in the log caller valuer, whose
//   "frames of the logging code" are the bundle's.
// - tsc's output stays in dist/lib (type declarations, the CLI, and the test suite, which runs against
//   it through the "kratos-ts-unbundled" export condition so that a test importing lib/ modules and
//   `kratos-ts` sees one copy of each class). Source maps chain to lib/*.ts (node --enable-source-maps).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bundle');

// CommonJS code inside an ES module bundle requires Node built-ins through this.
const REQUIRE = "import { createRequire as __kratosBundleRequire } from 'node:module'; const require = __kratosBundleRequire(import.meta.url);";

/** One bundle entry per subpath export: `.` -> index, `./http` -> http... */
function entries() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const out = {};
  for (const [subpath, target] of Object.entries(pkg.exports)) {
    if (typeof target === 'string') continue; // ./package.json
    const name = subpath === '.' ? 'index' : subpath.slice(2);
    out[name] = join(root, target['kratos-ts-unbundled']);
  }
  return out;
}

const LIB = join(root, 'dist', 'lib');
const keepOwnUrl = new Set([join(LIB, 'log', 'valuer.js')]);

/** Rewrites `import.meta.url` in dist/lib files to the compiled file's URL, relative to the bundle. */
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

rmSync(outdir, { recursive: true, force: true });
const result = await build({
  metafile: true,
  entryPoints: entries(),
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // @grpc/proto-loader: grpc-js requires it only inside channelz and ORCA functions (and it brings its own protobufjs).
  external: ['reflect-metadata', '@opentelemetry/api', '@grpc/proto-loader'],
  banner: { js: REQUIRE },
  sourcemap: 'linked',
  sourcesContent: false, // the sources ship in the package (lib/, node_modules)
  legalComments: 'inline',
  plugins: [compiledUrl],
  logLevel: 'warning',
});

// Which inputs the bundle holds (bench/boot-profile.mjs bundle reads it).
writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
