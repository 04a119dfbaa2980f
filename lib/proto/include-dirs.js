import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
/**
 * The protos written for kratos-ts (errors, validate, buf/validate, grpc health and reflection,
 * google/rpc). The build copies them next to the compiled files; running from another output folder
 * falls back to the sources.
 */
export function bundledIncludeDir() {
    const built = join(here, 'include');
    if (existsSync(built))
        return built;
    let dir = here;
    while (dirname(dir) !== dir) {
        const src = join(dir, 'lib', 'proto', 'include');
        if (existsSync(src))
            return src;
        dir = dirname(dir);
    }
    return built;
}
/** googleapis (google/api, google/rpc, google/type, google/protobuf...) as the google-proto-files package ships it. */
export function googleapisDir() {
    return dirname(require.resolve('google-proto-files/package.json'));
}
/** protobufjs' own directory: google/api/{annotations,http}.proto and google/protobuf/descriptor.proto. */
export function protobufjsDir() {
    return dirname(require.resolve('protobufjs/package.json'));
}
/** The directories searched after the user's, in order: kratos-ts' own protos, googleapis, protobufjs'. */
export function builtinProtoPaths() {
    return [bundledIncludeDir(), googleapisDir(), protobufjsDir()];
}
/**
 * The project root: the directory of the nearest package.json above `from` (default: the entry
 * script), or the working directory when there is none. Relative proto paths resolve against it.
 */
export function projectRoot(from = process.argv[1]) {
    let dir = from === undefined ? process.cwd() : resolve(from);
    if (existsSync(dir) && !statSync(dir).isDirectory())
        dir = dirname(dir);
    for (let d = dir;; d = dirname(d)) {
        if (existsSync(join(d, 'package.json')))
            return d;
        if (dirname(d) === d)
            return process.cwd();
    }
}
/**
 * The user's import directories, absolute: each of `protoPaths` resolved against `root`, then the
 * project's `third_party/` (the kratos-layout convention) when it exists.
 */
export function resolveProtoPaths(protoPaths, root = projectRoot()) {
    const dirs = protoPaths.map((d) => resolve(root, d));
    const thirdParty = join(root, 'third_party');
    if (existsSync(thirdParty) && !dirs.includes(thirdParty))
        dirs.push(thirdParty);
    return dirs;
}
/** Where imports are looked for, in order: the importing file's directory, the user's, then the built-in ones. */
export function searchPath(origin, userDirs) {
    return [origin === '' ? process.cwd() : dirname(origin), ...userDirs, ...builtinProtoPaths()];
}
