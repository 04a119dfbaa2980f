import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FrameworkError } from '../errors/index.js';

const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'template');

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
 * `kratos-ts new <name>`: a project from the template shipped in this package (offline). `kratos` is
 * a version or a local path to a kratos-ts checkout (then a `file:` dependency, no registry needed).
 */
export function newProject(name: string, options: { dir?: string; kratos?: string } = {}): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `project name '${name}' must be lower-case letters, digits and dashes, starting with a letter`);
  }
  const target = resolve(options.dir ?? '.', name);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${target} exists and is not empty`);
  }
  const kratos = options.kratos ?? ownVersion();
  const dep = existsSync(kratos) ? `file:${resolve(kratos)}` : kratos;
  const pkgName = name.replace(/-/g, '_');
  for (const file of walk(TEMPLATE)) {
    let rel = relative(TEMPLATE, file).replace(/\.tpl$/, '');
    if (rel === 'gitignore') rel = '.gitignore';
    const text = readFileSync(file, 'utf8').replaceAll('{{package}}', pkgName).replaceAll('{{name}}', name).replaceAll('{{kratos}}', dep);
    const out = join(target, rel);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  }
  return target;
}
