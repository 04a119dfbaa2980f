import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The protos shipped with kratos-ts (google/rpc, errors/errors.proto). The build copies them next to
 * the compiled files; running from another output folder falls back to the sources.
 */
export function bundledIncludeDir(): string {
  const built = join(here, 'include');
  if (existsSync(built)) return built;
  let dir = here;
  while (dirname(dir) !== dir) {
    const src = join(dir, 'lib', 'proto', 'include');
    if (existsSync(src)) return src;
    dir = dirname(dir);
  }
  return built;
}

/** protobufjs' own directory: google/api/{annotations,http}.proto and google/protobuf/descriptor.proto. */
export function protobufjsDir(): string {
  return dirname(createRequire(import.meta.url).resolve('protobufjs/package.json'));
}

/** Where imports are looked for, in order: the importing file's directory, the user's, then ours. */
export function searchPath(origin: string, userDirs: readonly string[]): string[] {
  return [origin === '' ? process.cwd() : dirname(origin), ...userDirs.map((d) => resolve(d)), bundledIncludeDir(), protobufjsDir()];
}
