import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameworkError } from '../../errors/index.js';
import { bundledIncludeDir } from '../../proto/index.js';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'template');
// Dot files cannot ship under their own names (npm drops .gitignore from a package).
const RENAMED: Record<string, string> = { gitignore: '.gitignore', dockerignore: '.dockerignore' };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** The package version of this kratos-ts, for `--kratos` defaults. */
export function ownVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * The protos a scaffold imports, for tools that do not know kratos-ts' bundled ones (protoc, buf, IDEs):
 * google/api from protobufjs (what the runtime itself reads), errors/errors.proto from kratos-ts.
 */
function thirdPartyProtos(): { from: string; to: string }[] {
  const protobufjs = dirname(createRequire(import.meta.url).resolve('protobufjs/package.json'));
  return [
    { from: join(protobufjs, 'google', 'api', 'annotations.proto'), to: 'google/api/annotations.proto' },
    { from: join(protobufjs, 'google', 'api', 'http.proto'), to: 'google/api/http.proto' },
    { from: join(bundledIncludeDir(), 'errors', 'errors.proto'), to: 'errors/errors.proto' },
  ];
}

/**
 * The `kratos-ts` dependency of a new project: a registry version, an `npm pack` tarball (copied into
 * vendor/ so the project and its Docker build install offline), or a checkout (a `file:` link).
 */
function dependencyOn(kratos: string, target: string): string {
  if (!existsSync(kratos)) return kratos;
  if (statSync(kratos).isDirectory()) return `file:${resolve(kratos)}`;
  if (!/\.(tgz|tar\.gz)$/.test(kratos)) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `--kratos ${kratos}: expected a version, an npm pack tarball (.tgz) or a kratos-ts directory`);
  mkdirSync(join(target, 'vendor'), { recursive: true });
  copyFileSync(kratos, join(target, 'vendor', basename(kratos)));
  return `file:vendor/${basename(kratos)}`;
}

/**
 * `kratos-ts new <name>`: a project from the template shipped in this package (offline). `kratos` is
 * a version, a tarball or a local checkout of kratos-ts (see {@link dependencyOn}).
 */
export function newProject(name: string, options: { dir?: string; kratos?: string } = {}): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `project name '${name}' must be lower-case letters, digits and dashes, starting with a letter`);
  }
  const target = resolve(options.dir ?? '.', name);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${target} exists and is not empty`);
  }
  const pkgName = name.replace(/-/g, '_');
  const fill = (text: string, dep: string): string => text.replaceAll('{{package}}', pkgName).replaceAll('{{name}}', name).replaceAll('{{kratos}}', dep);
  mkdirSync(target, { recursive: true });
  const dep = dependencyOn(options.kratos ?? ownVersion(), target);
  for (const file of walk(TEMPLATE)) {
    const rel = fill(relative(TEMPLATE, file).replace(/\.tpl$/, ''), dep);
    const out = join(target, RENAMED[rel] ?? rel);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, fill(readFileSync(file, 'utf8'), dep));
  }
  for (const p of thirdPartyProtos()) {
    const out = join(target, 'third_party', p.to);
    mkdirSync(dirname(out), { recursive: true });
    copyFileSync(p.from, out);
  }
  return target;
}
