#!/usr/bin/env node
import { existsSync, mkdirSync, readdirSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { generateBrowserClient, generateClient, generateServer, protoTemplate } from '../codegen/index.js';
import { FrameworkError } from '../../errors/index.js';
import { projectRoot, ProtoLoader, resolveProtoPaths, serviceNames } from '../../proto/index.js';
import { flag, parseArgs, type Args } from './args.js';
import { lintCommand } from './lint-command.js';
import { genCommand } from './gen-command.js';
import { newProject, ownVersion } from './new-project.js';
import { runProject } from './run-project.js';

const USAGE = `kratos-ts ${ownVersion()}: project template and code generation for kratos-ts

Usage:
  kratos-ts new <name> [--kratos <version|tarball|path>] [--dir <parent>]
      A service from the built-in kratos-layout template (api/, third_party/, configs/,
      src/{biz,data,service,server}, main.ts, tests, README, Dockerfile, deploy/kubernetes.yaml).
      --kratos: the kratos-ts dependency: a registry version (default: this one), an \`npm pack\`
      tarball (copied into vendor/, works offline and in Docker), or a checkout (a file: link).
  kratos-ts proto add <api/x/v1/demo.proto>
      A proto with CRUD rpcs and google.api.http annotations; the package comes from the path.
  kratos-ts proto client <file|dir> [-o <out dir>] [-I <include dir>]... [--target node|browser]
      TypeScript types, typed gRPC and HTTP clients, a service interface, operation constants, error
      helpers, and an OpenAPI document, beside each .proto (or under -o). --target browser: one
      self-contained <name>.web.ts per proto (gRPC-Web and HTTP-rule clients on fetch, no imports).
  kratos-ts proto server <file> [-t <target dir>] [-I <include dir>]
      A service class with @Rpc stubs for every rpc (default target: src/service).
  kratos-ts proto lint <file|dir> [--format text|json] [--config kratos-lint.yaml]
      API design rules (docs/proto-lint.md): prints \`file:line:col rule-id message\`, exit 1 on errors.
  kratos-ts gen cache <file.ts> --type <Repository> [-o <out.ts>]
      Cached<Repository>: the repository's reads through a CacheAside, its writes evicting them
      (for code that does not use @Cached; docs/cache.md).
  kratos-ts run [dir]
      Build and start dist/main.js; rebuild and restart on changes to src/, api/, third_party/,
      main.ts, restart on changes to configs/. SIGINT, SIGTERM and SIGHUP go to the service.
  kratos-ts --version | --help
`;

function protoFiles(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((f) => {
    const p = join(path, f);
    if (f === 'node_modules' || f === 'third_party' || f.startsWith('.')) return [];
    return statSync(p).isDirectory() ? protoFiles(p) : f.endsWith('.proto') ? [p] : [];
  });
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  console.log(`wrote ${relative(process.cwd(), path)}`);
}

/** `-I`/`--proto_path` (repeatable, like protoc's), relative to the working directory as on any command line. */
function includes(args: Args): string[] {
  return [...(args.lists.get('I') ?? []), ...(args.lists.get('proto_path') ?? [])].map((d) => resolve(d));
}

async function proto(args: Args): Promise<void> {
  const [, sub, target] = args.positionals;
  if (sub === undefined || target === undefined) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'usage: kratos-ts proto <add|client|server> <path>');
  if (sub === 'add') {
    if (existsSync(target)) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${target} already exists`);
    return write(resolve(target), protoTemplate(target));
  }
  const protoPaths = resolveProtoPaths(includes(args), projectRoot(process.cwd()));
  const loader = new ProtoLoader({ protoPaths });
  if (sub === 'client') {
    const out = flag(args, 'o', 'out');
    const kind = flag(args, 'target') ?? 'node';
    if (kind !== 'node' && kind !== 'browser') throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `--target ${kind}: want node or browser`);
    for (const file of protoFiles(target)) {
      const root = loader.loadSync(file);
      const dir = out === undefined ? dirname(resolve(file)) : resolve(out);
      if (kind === 'browser') {
        for (const g of generateBrowserClient(root, resolve(file))) write(join(dir, basename(g.path)), g.content);
        continue;
      }
      const fromOutput = (p: string): string => relative(dir, p) || '.';
      for (const g of generateClient(root, resolve(file), { protoPathFromOutput: fromOutput(resolve(file)), protoPathsFromOutput: protoPaths.map(fromOutput) })) write(join(dir, basename(g.path)), g.content);
    }
    return;
  }
  if (sub === 'server') {
    const dir = resolve(flag(args, 't', 'target') ?? 'src/service');
    const root = loader.loadSync(target);
    for (const name of serviceNames(root)) {
      const schema = loader.serviceSync(target, name);
      const pbFile = join(dirname(resolve(target)), `${basename(target, '.proto')}.pb.js`);
      let typesFrom = relative(dir, pbFile).split('\\').join('/');
      if (!typesFrom.startsWith('.')) typesFrom = `./${typesFrom}`;
      const g = generateServer(schema, { protoPath: relative(process.cwd(), resolve(target)), typesFrom });
      write(join(dir, basename(g.path)), g.content);
    }
    return;
  }
  throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `unknown command 'proto ${sub}'`);
}

/** Runs the CLI; resolves with the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const [cmd] = args.positionals;
  if (args.flags.has('version') || args.flags.has('v')) {
    console.log(ownVersion());
    return 0;
  }
  if (cmd === undefined || args.flags.has('help') || args.flags.has('h') || cmd === 'help') {
    console.log(USAGE);
    return cmd === undefined && !args.flags.has('help') && !args.flags.has('h') ? 1 : 0;
  }
  try {
    if (cmd === 'new') {
      const name = args.positionals[1];
      if (name === undefined) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'usage: kratos-ts new <name>');
      const kratos = flag(args, 'kratos');
      const dir = flag(args, 'dir');
      const at = newProject(name, { ...(kratos === undefined ? {} : { kratos }), ...(dir === undefined ? {} : { dir }) });
      console.log(`created ${at}\nnext: cd ${relative(process.cwd(), at) || '.'} && npm install && npm test && npm run dev`);
      return 0;
    }
    if (cmd === 'proto' && args.positionals[1] === 'lint') {
      const target = args.positionals[2];
      if (target === undefined) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'usage: kratos-ts proto lint <file|dir>');
      return lintCommand(target, args);
    }
    if (cmd === 'proto') {
      await proto(args);
      return 0;
    }
    if (cmd === 'gen') return genCommand(args);
    if (cmd === 'run') return await runProject(args.positionals[1]);
    console.error(`unknown command '${cmd}'\n\n${USAGE}`);
    return 1;
  } catch (err) {
    console.error(FrameworkError.isFrameworkError(err) ? err.message : String(err));
    return 1;
  }
}

// `node .../cli/main.js` through any symlink runs the CLI; an import of this module does not.
function isEntry(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) process.exitCode = await main(process.argv.slice(2));
