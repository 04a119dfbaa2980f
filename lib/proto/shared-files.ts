import { readFileSync } from 'node:fs';
import { sep } from 'node:path';
import protobuf from 'protobufjs';
import { builtinProtoPaths } from './include-dirs.js';

// The protos shipped with kratos-ts and its packages (googleapis' descriptor.proto above all: 62 KB,
// imported by google/api/annotations.proto and errors/errors.proto) are the same files in every root.
// Each ProtoLoader root used to parse them again; a file that imports nothing and extends nothing is
// parsed once per process instead, and each root gets a copy of what that parse made.

/** A parse kept whole: its root (never resolved, never handed out) and the packages it declared into. */
interface Template {
  root: protobuf.Root;
  /** Fully qualified package namespaces, outermost first: `google`, `google.protobuf`. */
  packages: protobuf.Namespace[];
}

const templates = new Map<string, Template | null>();
const IMPORTS_OR_EXTENDS = /^\s*(import|extend)\b/m;
const parser = protobuf.parse as unknown as { filename: string | null };

function isBuiltin(path: string): boolean {
  return builtinProtoPaths().some((dir) => path.startsWith(dir + sep));
}

/** Every plain namespace (package) under `ns`, outermost first. */
function packagesOf(ns: protobuf.Namespace, out: protobuf.Namespace[] = []): protobuf.Namespace[] {
  for (const child of ns.nestedArray) {
    if (child.constructor !== protobuf.Namespace) continue;
    out.push(child as protobuf.Namespace);
    packagesOf(child as protobuf.Namespace, out);
  }
  return out;
}

/**
 * Whether a copy of `root`'s objects means the same as parsing the file again: no imports, no
 * extensions (they would reach into other files), no file options on the root, and plain data only
 * (a function or accessor could close over the template).
 */
function copyable(root: protobuf.Root, parsed: protobuf.IParserResult): boolean {
  if ((parsed.imports?.length ?? 0) > 0 || (parsed.weakImports?.length ?? 0) > 0) return false;
  if (root.deferred.length > 0 || root.options != null || root.parsedOptions != null) return false;
  const seen = new Set<object>([root]);
  const plain = (v: unknown): boolean => {
    if (typeof v === 'function') return false;
    if (v === null || typeof v !== 'object' || seen.has(v)) return true;
    seen.add(v);
    if (v instanceof protobuf.Field && v.extend !== undefined) return false;
    for (const d of Object.values(Object.getOwnPropertyDescriptors(v))) if (d.get !== undefined || d.set !== undefined || !plain(d.value)) return false;
    return true;
  };
  return root.nestedArray.every(plain);
}

function templateOf(path: string): Template | null {
  let t = templates.get(path);
  if (t === undefined) {
    t = null;
    try {
      const source = readFileSync(path, 'utf8');
      // Most files import or extend something: not worth a parse to find out (protobufjs parses them).
      if (!IMPORTS_OR_EXTENDS.test(source)) {
        const root = new protobuf.Root();
        parser.filename = path; // what protobufjs names each object's file by, as Root.load sets it
        const parsed = protobuf.parse(source, root, { keepCase: false });
        if (copyable(root, parsed)) t = { root, packages: packagesOf(root) };
      }
    } catch {
      // Left to Root.load, which reports it against the importing file.
    } finally {
      parser.filename = null;
    }
    templates.set(path, t);
  }
  return t;
}

/** A copy of `v` whose objects are new (shared ones stay shared within it), with `known` already mapped. */
function copy<T>(v: T, known: Map<object, object>): T {
  if (v === null || typeof v !== 'object') return v;
  const done = known.get(v);
  if (done !== undefined) return done as T;
  const out = Array.isArray(v) ? [] : Object.create(Object.getPrototypeOf(v) as object | null);
  known.set(v, out);
  for (const [key, d] of Object.entries(Object.getOwnPropertyDescriptors(v))) {
    Object.defineProperty(out, key, { ...d, value: copy(d.value, known) });
  }
  // A namespace's lookup cache is filled on use: start the copy's empty.
  if (out instanceof protobuf.Namespace) (out as unknown as { _lookupCache: object })._lookupCache = Object.create(null);
  return out as T;
}

/**
 * Adds to `root` what parsing the built-in file at `path` would, from the one parse made of it per
 * process, and lists the file in `root.files` (protobufjs then skips it). False when the file is not
 * one to share (the caller's root then loads it as usual).
 */
export function addSharedFile(root: protobuf.Root, path: string): boolean {
  if (root.files.includes(path) || !isBuiltin(path)) return false;
  const t = templateOf(path);
  if (t === null) return false;
  // File options merge into a package another file already gave options: leave that to the parser.
  const targets = t.packages.map((p) => root.lookup(p.fullName));
  if (targets.some((n, i) => n !== null && (!(n instanceof protobuf.Namespace) || (t.packages[i]?.parsedOptions != null && n.parsedOptions != null)))) return false;
  const known = new Map<object, object>([[t.root, root]]);
  for (const p of t.packages) {
    const into = root.define(p.fullName.slice(1));
    known.set(p, into);
    for (const [k, v] of Object.entries(p.options ?? {})) into.setOption(k, copy(v, known));
    for (const o of p.parsedOptions ?? []) (into.parsedOptions ??= []).push(copy(o, known));
  }
  for (const p of [t.root, ...t.packages]) {
    for (const child of p.nestedArray) {
      if (child.constructor === protobuf.Namespace) continue;
      const c = copy(child, known);
      c.parent = null;
      (known.get(p) as protobuf.Namespace).add(c);
    }
  }
  root.files.push(path);
  return true;
}
