import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { entryImportName, recordImportName } from './import-names.js';
import { projectRoot, resolveProtoPaths, searchPath } from './include-dirs.js';
import { buildServiceSchema, type ServiceSchema } from './schema.js';

/** The import paths option every proto consumer takes (app, test app, loader, clients, generated clients). */
export interface ProtoPathsOption {
  /** Directories searched for .proto imports; relative ones against the project root (nearest package.json above the entry script). */
  protoPaths?: string[];
}

/** Options of {@link ProtoLoader}. */
export interface ProtoLoaderOptions {
  /**
   * Directories searched for imports after the importing file's own directory, relative ones against
   * the project root (the nearest package.json above the entry script), before the project's
   * `third_party/` and the protos kratos-ts ships (its own, googleapis, protobufjs').
   */
  protoPaths?: string[];
  /** @deprecated Use `protoPaths`. */
  includeDirs?: string[];
  /** The project root relative `protoPaths` resolve against. Default: {@link projectRoot}. */
  root?: string;
}

// protobufjs reports parse errors as "<message> (line <n>)", naming the file only sometimes.
const PARSE_AT = /^(.*) \((?:(.+), )?line (\d+)\)$/;

// Which loaded file a parse error came from: the one that fails to parse alone (error path only).
function failingFile(root: protobuf.Root, fallback: string): string {
  for (const f of [...root.files].reverse()) {
    try {
      protobuf.parse(readFileSync(f, 'utf8'), new protobuf.Root());
    } catch {
      return f;
    }
  }
  return fallback;
}

/** Who imported a file that could not be found, under which name, and where it was looked for. */
interface MissingImport {
  importer: string;
  name: string;
  searched: string[];
}

function protoError(file: string, err: unknown, importedBy: Map<string, MissingImport>, root: protobuf.Root): FrameworkError {
  const e = err as NodeJS.ErrnoException;
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
  readonly #includeDirs: string[];
  readonly #roots = new Map<string, Promise<protobuf.Root>>();
  readonly #schemas = new Map<string, ServiceSchema>();

  constructor(options: ProtoLoaderOptions = {}) {
    this.#includeDirs = resolveProtoPaths(options.protoPaths ?? options.includeDirs ?? [], options.root ?? projectRoot());
  }

  /** The root of `file` and everything it imports, resolved; parse errors name file and line. */
  load(file: string): Promise<protobuf.Root> {
    const path = resolve(file);
    let root = this.#roots.get(path);
    if (root === undefined) {
      const { root: r, importedBy } = this.#newRoot();
      root = r.load(path, { keepCase: false }).then(
        (loaded) => this.#resolveAll(loaded, path),
        (err: unknown) => Promise.reject(protoError(path, err, importedBy, r)),
      );
      this.#roots.set(path, root);
    }
    return root;
  }

  /** Like {@link load}, synchronously (for tools and clients built outside an app). */
  loadSync(file: string): protobuf.Root {
    const path = resolve(file);
    const { root, importedBy } = this.#newRoot();
    try {
      root.loadSync(path, { keepCase: false });
    } catch (err) {
      throw protoError(path, err, importedBy, root);
    }
    const loaded = this.#resolveAll(root, path);
    this.#roots.set(path, Promise.resolve(loaded));
    return loaded;
  }

  /** The service `fullName` declared by `file`, with its methods and HTTP rules. */
  async service(file: string, fullName: string): Promise<ServiceSchema> {
    return this.#schema(await this.load(file), resolve(file), fullName);
  }

  /** Like {@link service}, synchronously. */
  serviceSync(file: string, fullName: string): ServiceSchema {
    return this.#schema(this.loadSync(file), resolve(file), fullName);
  }

  #schema(root: protobuf.Root, file: string, fullName: string): ServiceSchema {
    const key = `${file}#${fullName}`;
    let schema = this.#schemas.get(key);
    if (schema === undefined) {
      schema = buildServiceSchema(root, file, fullName);
      this.#schemas.set(key, schema);
    }
    return schema;
  }

  #newRoot(): { root: protobuf.Root; importedBy: Map<string, MissingImport> } {
    const root = new protobuf.Root();
    const importedBy = new Map<string, MissingImport>();
    const dirs = this.#includeDirs;
    root.resolvePath = (origin, target) => {
      if (isAbsolute(target)) {
        // Only the entry file comes absolute; reflection names it as protoc would with these -I dirs.
        recordImportName(root, target, entryImportName(target, dirs));
        return target;
      }
      const dirsToTry = searchPath(origin, dirs);
      for (const d of dirsToTry) {
        const p = join(d, target);
        if (existsSync(p)) {
          recordImportName(root, p, target, origin);
          return p;
        }
      }
      // Not found: report it against the first place it would have been, naming who imported it.
      const guess = join(dirsToTry[0] as string, target);
      importedBy.set(guess, { importer: origin, name: target, searched: dirsToTry });
      return guess;
    };
    return { root, importedBy };
  }

  #resolveAll(root: protobuf.Root, file: string): protobuf.Root {
    try {
      root.resolveAll();
    } catch (err) {
      throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${file}: ${(err as Error).message}`, { cause: err });
    }
    return root;
  }
}
