import { isAbsolute, normalize, relative, resolve, sep } from 'node:path';
import type protobuf from 'protobufjs';
import { builtinProtoPaths, projectRoot } from './include-dirs.js';

// protobufjs only keeps the resolved path of each file; reflection clients ask for files by the name
// they were imported as, so the loader records that name per root as it resolves imports.
const names = new WeakMap<protobuf.Root, Map<string, string>>();

/**
 * Remembers that `resolved` was loaded into `root` as `name` (`helloworld/v1/greeter.proto`). The
 * first name wins, so the entry file keeps its base name even if something imports it again.
 * @internal
 */
export function recordImportName(root: protobuf.Root, resolved: string, name: string, importer?: string): void {
  let m = names.get(root);
  if (m === undefined) names.set(root, (m = new Map()));
  if (!m.has(resolved)) m.set(resolved, name.split('\\').join('/'));
  if (importer !== undefined) {
    let r = resolutions.get(root);
    if (r === undefined) resolutions.set(root, (r = new Map()));
    r.set(`${importer}\0${name}`, resolved);
  }
}

// Which file each import statement loaded, so a file known under two names is depended on by the one served.
const resolutions = new WeakMap<protobuf.Root, Map<string, string>>();

/** The file `importer`'s `import "name"` loaded into `root`, if the loader resolved it. @internal */
export function resolvedImportOf(root: protobuf.Root, importer: string, name: string): string | undefined {
  return resolutions.get(root)?.get(`${importer}\0${name}`);
}

/** The name `resolved` was imported as into `root`, if the loader saw it. @internal */
export function importNameOf(root: protobuf.Root, resolved: string): string | undefined {
  return names.get(root)?.get(resolved);
}

// Entry files the app found from a relative `@Service({ proto })` path: that path is their name.
const givenNames = new Map<string, string>();

/**
 * Records that `resolved` was asked for as the relative path `given` (`api/blog/v1/blog.proto`), the
 * name protoc would give it when run from the directory it was found in.
 * @internal
 */
export function recordGivenName(resolved: string, given: string): void {
  const name = normalize(given).split(sep).join('/');
  if (!isAbsolute(given) && !name.startsWith('..')) givenNames.set(resolved, name);
}

/**
 * The name protoc gives an entry file: its path below the first import directory holding it
 * (`-I api` makes `api/blog/v1/blog.proto` `blog/v1/blog.proto`; the built-in ones count), else the
 * relative path the app was given for it, else its path below the project root or working
 * directory, else its base name. Two `service.proto` of different packages so stay two files.
 * @internal
 */
export function entryImportName(file: string, includeDirs: readonly string[]): string {
  const below = (dirs: string[]): string | undefined => {
    for (const dir of dirs) {
      const rel = relative(dir, file);
      if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) return rel.split(sep).join('/');
    }
    return undefined;
  };
  return below([...includeDirs.map((d) => resolve(d)), ...builtinProtoPaths()]) ?? givenNames.get(file) ?? below([projectRoot(), process.cwd()]) ?? (file.split(sep).pop() as string);
}
