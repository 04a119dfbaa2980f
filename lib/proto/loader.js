import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { recordImportName } from './import-names.js';
import { projectRoot, resolveProtoPaths, searchPath } from './include-dirs.js';
import { buildServiceSchema } from './schema.js';
// protobufjs reports parse errors as "<message> (line <n>)", naming the file only sometimes.
const PARSE_AT = /^(.*) \((?:(.+), )?line (\d+)\)$/;
// Which loaded file a parse error came from: the one that fails to parse alone (error path only).
function failingFile(root, fallback) {
    for (const f of [...root.files].reverse()) {
        try {
            protobuf.parse(readFileSync(f, 'utf8'), new protobuf.Root());
        }
        catch {
            return f;
        }
    }
    return fallback;
}
function protoError(file, err, importedBy, root) {
    const e = err;
    if (e.code === 'ENOENT') {
        const missing = (e.path ?? '').toString();
        const by = importedBy.get(missing);
        const msg = by === undefined ? `${missing}: file not found` : `${by.importer}: import '${by.name}' not found (looked in ${by.searched.join(', ')})`;
        return new FrameworkError('KRATOS_ERR_PROTO_INVALID', msg, { cause: err });
    }
    const m = PARSE_AT.exec(e.message ?? String(err));
    const msg = m === null ? `${file}: ${e.message ?? String(err)}` : `${m[2] ?? failingFile(root, file)}:${m[3]}: ${m[1]}`;
    return new FrameworkError('KRATOS_ERR_PROTO_INVALID', msg, { cause: err });
}
/**
 * Loads .proto files at run time with protobufjs (no protoc step): imports are found beside the
 * importing file, in `protoPaths`, in the project's `third_party/`, and in the protos kratos-ts ships.
 * Each file gets its own root, loaded once.
 */
export class ProtoLoader {
    #includeDirs;
    #roots = new Map();
    #schemas = new Map();
    constructor(options = {}) {
        this.#includeDirs = resolveProtoPaths(options.protoPaths ?? options.includeDirs ?? [], options.root ?? projectRoot());
    }
    /** The root of `file` and everything it imports, resolved; parse errors name file and line. */
    load(file) {
        const path = resolve(file);
        let root = this.#roots.get(path);
        if (root === undefined) {
            const { root: r, importedBy } = this.#newRoot();
            root = r.load(path, { keepCase: false }).then((loaded) => this.#resolveAll(loaded, path), (err) => Promise.reject(protoError(path, err, importedBy, r)));
            this.#roots.set(path, root);
        }
        return root;
    }
    /** Like {@link load}, synchronously (for tools and clients built outside an app). */
    loadSync(file) {
        const path = resolve(file);
        const { root, importedBy } = this.#newRoot();
        try {
            root.loadSync(path, { keepCase: false });
        }
        catch (err) {
            throw protoError(path, err, importedBy, root);
        }
        const loaded = this.#resolveAll(root, path);
        this.#roots.set(path, Promise.resolve(loaded));
        return loaded;
    }
    /** The service `fullName` declared by `file`, with its methods and HTTP rules. */
    async service(file, fullName) {
        return this.#schema(await this.load(file), resolve(file), fullName);
    }
    /** Like {@link service}, synchronously. */
    serviceSync(file, fullName) {
        return this.#schema(this.loadSync(file), resolve(file), fullName);
    }
    #schema(root, file, fullName) {
        const key = `${file}#${fullName}`;
        let schema = this.#schemas.get(key);
        if (schema === undefined) {
            schema = buildServiceSchema(root, file, fullName);
            this.#schemas.set(key, schema);
        }
        return schema;
    }
    #newRoot() {
        const root = new protobuf.Root();
        const importedBy = new Map();
        const dirs = this.#includeDirs;
        root.resolvePath = (origin, target) => {
            if (isAbsolute(target)) {
                // Only the entry file comes absolute; reflection clients know it by its base name.
                recordImportName(root, target, basename(target));
                return target;
            }
            const dirsToTry = searchPath(origin, dirs);
            for (const d of dirsToTry) {
                const p = join(d, target);
                if (existsSync(p)) {
                    recordImportName(root, p, target);
                    return p;
                }
            }
            // Not found: report it against the first place it would have been, naming who imported it.
            const guess = join(dirsToTry[0], target);
            importedBy.set(guess, { importer: origin, name: target, searched: dirsToTry });
            return guess;
        };
        return { root, importedBy };
    }
    #resolveAll(root, file) {
        try {
            root.resolveAll();
        }
        catch (err) {
            throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${file}: ${err.message}`, { cause: err });
        }
        return root;
    }
}
