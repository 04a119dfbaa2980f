import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateClient, generateServer, protoTemplate, type GeneratedFile } from '../../../../lib/tools/codegen/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';

/** The repo root, from this file compiled anywhere under `<outDir>/test/lib/tools/codegen/`. */
export const repoRoot: string = (() => {
  const here = fileURLToPath(import.meta.url);
  const out = here.slice(0, here.lastIndexOf('/test/lib/tools/codegen/'));
  return out.slice(0, out.lastIndexOf('/'));
})();

/** A path inside the repo's sources (fixtures are read in place, never copied to the output). */
export function repoPath(rel: string): string {
  return `${repoRoot}/${rel}`;
}

export const GREETER_PROTO = repoPath('samples/helloworld/api/helloworld/v1/greeter.proto');
export const ERRORS_PROTO = repoPath('samples/helloworld/api/helloworld/v1/error_reason.proto');
export const EVERYTHING_PROTO = repoPath('test/fixtures/codegen/demo/v1/everything.proto');
export const GOLDEN_DIR = repoPath('test/fixtures/codegen/golden');

/** The client files of one .proto, loaded the way the CLI loads it. */
export function clientFiles(file: string): GeneratedFile[] {
  return generateClient(new ProtoLoader().loadSync(file), file);
}

/** A server skeleton for service `name` of `file`, with `protoPath` written into `@Service`. */
export function serverFile(file: string, name: string, protoPath: string): GeneratedFile {
  const g = generateServer(new ProtoLoader().serviceSync(file, name), { protoPath });
  // Skeletons sit next to the client file they import their types from.
  const dir = clientFiles(file)[0]?.path.replace(/[^/]*$/, '') ?? '';
  return { path: `${dir}${g.path}`, content: g.content };
}

/** Everything the golden files pin: both helloworld protos, the fixture, two skeletons and a proto template. */
export function goldenOutputs(): GeneratedFile[] {
  return [
    ...clientFiles(GREETER_PROTO),
    ...clientFiles(ERRORS_PROTO),
    ...clientFiles(EVERYTHING_PROTO),
    serverFile(GREETER_PROTO, 'helloworld.v1.Greeter', 'api/helloworld/v1/greeter.proto'),
    serverFile(EVERYTHING_PROTO, 'demo.v1.Everything', 'test/fixtures/codegen/demo/v1/everything.proto'),
    { path: 'x/v1/demo.proto', content: protoTemplate('api/x/v1/demo.proto') },
  ];
}

/** Runs the repo's TypeScript compiler; its exit code and everything it printed. */
export function runTsc(args: readonly string[]): { status: number | null; output: string } {
  const r = spawnSync(repoPath('node_modules/.bin/tsc'), [...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}${r.error === undefined ? '' : String(r.error)}` };
}
