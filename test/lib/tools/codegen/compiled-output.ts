import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GeneratedFile } from '../../../../lib/tools/codegen/index.js';
import { clientFiles, ERRORS_PROTO, EVERYTHING_PROTO, GREETER_PROTO, repoPath, repoRoot, runTsc, serverFile } from './codegen-fixtures.js';

/** Generated code written into the repo, compiled with the repo's compiler and strict options, and loadable at run time. */
export interface CompiledOutput {
  status: number | null;
  output: string;
  /** Imports the compiled module of a generated file, its `kratos-ts` imports pointed at the library under test. */
  load<T>(generatedPath: string): Promise<T>;
  remove(): void;
}

// Inside the repo so that the generated code resolves the repo's node_modules; a dot folder, which
// TypeScript's `include` globs skip, so a concurrent build of the repo never picks these files up.
const TMP_PARENT = repoPath('test/.codegen-tmp');

// The library this test runs against (dist/ or dist-gen/), so the generated code and the test share one copy.
const LIB = new URL('../../../../lib/index.js', import.meta.url).href;
const DECORATORS = new URL('../../../../decorators/index.js', import.meta.url).href;

/** The generated files of both helloworld protos and the fixture, with a skeleton per service. */
function sources(): { files: GeneratedFile[]; protos: Map<string, string> } {
  const files = [
    ...clientFiles(GREETER_PROTO),
    ...clientFiles(ERRORS_PROTO),
    ...clientFiles(EVERYTHING_PROTO),
    // Absolute proto paths so the skeletons can be served whatever the working directory.
    serverFile(GREETER_PROTO, 'helloworld.v1.Greeter', GREETER_PROTO),
    serverFile(EVERYTHING_PROTO, 'demo.v1.Everything', EVERYTHING_PROTO),
  ].filter((f) => f.path.endsWith('.ts'));
  const protos = new Map([
    ['helloworld/v1/greeter.proto', GREETER_PROTO],
    ['demo/v1/everything.proto', EVERYTHING_PROTO],
  ]);
  return { files, protos };
}

/** Writes, compiles (emitting to a temp out dir) and prepares the generated code for import. */
export function compileGenerated(): CompiledOutput {
  mkdirSync(TMP_PARENT, { recursive: true });
  const tmp = mkdtempSync(join(TMP_PARENT, 'run-'));
  const gen = join(tmp, 'gen');
  const out = join(tmp, 'out');
  const { files, protos } = sources();
  for (const f of files) {
    mkdirSync(dirname(join(gen, f.path)), { recursive: true });
    writeFileSync(join(gen, f.path), f.content);
  }
  const tsconfig = {
    extends: repoPath('tsconfig.json'),
    compilerOptions: {
      rootDir: repoRoot,
      outDir: out,
      declaration: false,
      sourceMap: false,
      // The package's self-reference needs dist/, which other builds may be rewriting: use the sources.
      paths: { 'kratos-ts': [repoPath('lib/index.ts')], 'kratos-ts/decorators': [repoPath('decorators/index.ts')] },
    },
    include: [],
    files: files.map((f) => join(gen, f.path)),
  };
  writeFileSync(join(tmp, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const { status, output } = runTsc(['-p', join(tmp, 'tsconfig.json')]);
  const emitted = (p: string): string => join(out, relative(repoRoot, join(gen, p)));
  // The clients find their .proto next to the compiled module, as they would after a build that copies protos.
  for (const [p, src] of protos) {
    mkdirSync(dirname(emitted(p)), { recursive: true });
    copyFileSync(src, join(dirname(emitted(p)), basename(p)));
  }
  return {
    status,
    output,
    async load<T>(generatedPath: string): Promise<T> {
      const js = emitted(generatedPath).replace(/\.ts$/, '.js');
      const text = readFileSync(js, 'utf8').replaceAll("'kratos-ts/decorators'", `'${DECORATORS}'`).replaceAll("'kratos-ts'", `'${LIB}'`);
      writeFileSync(js, text);
      return (await import(pathToFileURL(js).href)) as T;
    },
    remove() {
      rmSync(tmp, { recursive: true, force: true });
      try {
        rmdirSync(TMP_PARENT);
      } catch {
        // Another run still has its folder there.
      }
    },
  };
}
