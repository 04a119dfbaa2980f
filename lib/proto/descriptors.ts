import { existsSync, readFileSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { DescriptorBuilder, importsOf, type ParsedFile } from './descriptor-build.js';
import { OptionsBuilder } from './descriptor-options.js';
import { SymbolTable } from './descriptor-symbols.js';
import { importNameOf, resolvedImportOf } from './import-names.js';
import { builtinProtoPaths } from './include-dirs.js';

/** Serialized FileDescriptorProtos for server reflection, with a symbol index and each file's imports. */
export interface DescriptorIndex {
  /** protoc's FileDescriptorProto of each file, by the name it is imported as. */
  files: Map<string, Buffer>;
  /** Fully qualified symbol (message, enum, service, `pkg.Svc.Method`, extension) -> file name. */
  symbols: Map<string, string>;
  dependencies: Map<string, string[]>;
  /** Extended message (`google.protobuf.MethodOptions`) -> extension number -> file declaring it. */
  extensions: Map<string, Map<number, string>>;
}

const DESCRIPTOR_PROTO = 'google/protobuf/descriptor.proto';

// protobufjs loads the well-known types from its own tables and names them relatively; their
// sources come with googleapis.
function sourceOf(name: string): string | undefined {
  for (const dir of builtinProtoPaths()) if (existsSync(join(dir, name))) return join(dir, name);
  return undefined;
}

/** Every file loaded into `roots`, once, named as it was imported. */
function filesOf(roots: protobuf.Root[]): ParsedFile[] {
  const byName = new Map<string, ParsedFile>();
  const nameOfPath = new Map<string, string>();
  const rootOf = new Map<ParsedFile, protobuf.Root>();
  for (const root of roots) {
    for (const loaded of root.files) {
      const name = isAbsolute(loaded) ? (importNameOf(root, loaded) ?? basename(loaded)) : loaded.split('\\').join('/');
      const path = isAbsolute(loaded) ? loaded : sourceOf(name);
      if (path === undefined || byName.has(name) || nameOfPath.has(path)) continue;
      nameOfPath.set(path, name);
      const f = parseFile(name, path);
      byName.set(name, f);
      rootOf.set(f, root);
    }
  }
  // A file imported under another name than the one it is served by (a sibling import in one root,
  // an import path in another) is depended on by the served name, so clients find it.
  for (const f of byName.values()) {
    for (const i of f.imports) {
      const path = resolvedImportOf(rootOf.get(f) as protobuf.Root, f.path, i.name);
      i.name = (path === undefined ? undefined : nameOfPath.get(path)) ?? i.name;
    }
  }
  return [...byName.values()];
}

function parseFile(name: string, path: string): ParsedFile {
  const source = readFileSync(path, 'utf8');
  try {
    const parsed = protobuf.parse(source, new protobuf.Root(), { keepCase: true });
    const syntax = /^\s*syntax\s*=\s*["'](proto[23])["']/m.exec(source)?.[1] ?? 'proto2';
    return { name, path, source, root: parsed.root, pkg: parsed.package ?? '', syntax, imports: importsOf(source) };
  } catch (err) {
    throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${name}: ${(err as Error).message}`, { cause: err });
  }
}

// One root holding every file, so options can be encoded with their extensions.
function optionsRoot(files: ParsedFile[]): protobuf.Root {
  const root = new protobuf.Root();
  // Descriptors are encoded with googleapis' descriptor.proto, whatever (older) copy a project vendors:
  // an old one would silently drop newer fields such as proto3_optional.
  const sources = [[DESCRIPTOR_PROTO, readFileSync(sourceOf(DESCRIPTOR_PROTO) as string, 'utf8')], ...files.filter((f) => f.name !== DESCRIPTOR_PROTO).map((f) => [f.name, f.source])];
  for (const [name, source] of sources) {
    try {
      protobuf.parse(source as string, root, { keepCase: true });
    } catch (err) {
      // protoc refuses the same: one symbol defined by two files (a vendored copy under another name).
      throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${name}: cannot be described with the other loaded files: ${(err as Error).message}`, { cause: err });
    }
  }
  root.resolveAll();
  return root;
}

function collectExtensions(file: string, d: Record<string, unknown>, out: DescriptorIndex['extensions']): void {
  for (const e of (d['extension'] as Record<string, unknown>[] | undefined) ?? []) {
    const extendee = String(e['extendee']).slice(1);
    let m = out.get(extendee);
    if (m === undefined) out.set(extendee, (m = new Map()));
    m.set(e['number'] as number, file);
  }
  for (const n of (d['message_type'] ?? d['nested_type'] ?? []) as Record<string, unknown>[]) collectExtensions(file, n, out);
}

/**
 * The FileDescriptorProto protoc would write for every file loaded into `roots` (import-path names,
 * fully qualified types, map entries, json_name, options with their extensions, imports, proto3
 * optional), with the indexes server reflection answers from.
 */
export function descriptorIndex(roots: protobuf.Root[]): DescriptorIndex {
  const files = filesOf(roots);
  const symbols = new SymbolTable();
  for (const f of files) symbols.addFile(f.name, f.root);
  const root = optionsRoot(files);
  const builder = new DescriptorBuilder(symbols, new OptionsBuilder(root, symbols));
  const FileDescriptorProto = root.lookupType('google.protobuf.FileDescriptorProto');
  const index: DescriptorIndex = { files: new Map(), symbols: new Map(), dependencies: new Map(), extensions: new Map() };
  const served = new Set(files.map((f) => f.name));
  for (const f of files) {
    const d = builder.file(f);
    index.files.set(f.name, Buffer.from(FileDescriptorProto.encode(FileDescriptorProto.fromObject(d)).finish()));
    index.dependencies.set(f.name, f.imports.map((i) => i.name).filter((n) => served.has(n)));
    collectExtensions(f.name, d, index.extensions);
  }
  for (const [name, s] of symbols.entries()) if (s.file !== undefined) index.symbols.set(name, s.file);
  return index;
}
