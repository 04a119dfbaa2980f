import protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { defaultText } from './descriptor-literals.js';
import type { OptionsBuilder } from './descriptor-options.js';
import { declarationLayout, jsonName, mapEntryName, type DeclarationLayout, type SymbolTable } from './descriptor-symbols.js';

type Obj = Record<string, unknown>;

/** One .proto file as protoc names it, with its source parsed alone (keepCase) into its own root. */
export interface ParsedFile {
  name: string;
  path: string;
  source: string;
  root: protobuf.Root;
  pkg: string;
  syntax: string;
  imports: { name: string; kind: 'plain' | 'public' | 'weak' }[];
}

// FieldDescriptorProto.Type numbers of the scalar types.
const SCALARS: Record<string, number> = {
  double: 1, float: 2, int64: 3, uint64: 4, int32: 5, fixed64: 6, fixed32: 7, bool: 8, string: 9,
  bytes: 12, uint32: 13, sfixed32: 15, sfixed64: 16, sint32: 17, sint64: 18,
};
const TYPE_GROUP = 10;
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
// protobufjs writes `max` as the largest field number; descriptors store ranges end-exclusive.
const MAX_FIELD = 536870911;

// protobufjs drops the options of extension ranges (`extensions 1000 to max [declaration = {...}];`).
const EXTENSION_RANGE = /\bextensions\s+(\d+)[^;[]*\[((?:[^\]"']|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')*)\]\s*;/g;

/** The option statements of each extension range with options, by `message#start`. */
function extensionRangeOptions(source: string, layout: DeclarationLayout): Map<string, Obj[]> {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/[^\n]*/gm, '');
  const out = new Map<string, Obj[]>();
  let i = 0;
  for (const m of code.matchAll(EXTENSION_RANGE)) {
    // Parsed as the options of a stand-in field, which protobufjs does keep.
    const probe = protobuf.parse(`syntax = "proto2"; message R { optional int32 r = 1 [${m[2]}]; }`, new protobuf.Root(), { keepCase: true });
    const parsed = (probe.root.lookupType('R').fields['r']?.parsedOptions ?? []) as Obj[];
    const owner = layout.rangesWithOptions[i++];
    for (const start of owner?.starts ?? []) out.set(`${owner?.message}#${start}`, parsed);
  }
  return out;
}

const IMPORT = /\bimport\s+(public\s+|weak\s+)?(["'])([^"']+)\2\s*;/g;

/** The import statements of `source`, in order, ignoring commented-out ones. */
export function importsOf(source: string): ParsedFile['imports'] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  return [...code.matchAll(IMPORT)].map((m) => ({ name: m[3] as string, kind: (m[1]?.trim() || 'plain') as 'plain' | 'public' | 'weak' }));
}

/** Builds FileDescriptorProtos (as plain objects for `fromObject`) field for field as protoc does. */
export class DescriptorBuilder {
  readonly #symbols: SymbolTable;
  readonly #options: OptionsBuilder;
  #file: ParsedFile | undefined;
  #order = new Map<string, string[]>();
  #rangeOptions = new Map<string, Obj[]>();

  constructor(symbols: SymbolTable, options: OptionsBuilder) {
    this.#symbols = symbols;
    this.#options = options;
  }

  file(f: ParsedFile): Obj {
    this.#file = f;
    const layout = declarationLayout(f.source, f.pkg);
    this.#order = layout.order;
    this.#rangeOptions = extensionRangeOptions(f.source, layout);
    const ns = f.pkg === '' ? f.root : (f.root.lookup(f.pkg) as protobuf.Namespace);
    const nested = ns.nestedArray;
    const fileOptions = [...(f.root.parsedOptions ?? []), ...(f.pkg === '' ? [] : (ns.parsedOptions ?? []))];
    const out: Obj = {
      name: f.name,
      dependency: f.imports.map((i) => i.name),
      public_dependency: f.imports.flatMap((i, n) => (i.kind === 'public' ? [n] : [])),
      weak_dependency: f.imports.flatMap((i, n) => (i.kind === 'weak' ? [n] : [])),
      message_type: nested.filter((n) => n instanceof protobuf.Type).map((t) => this.#message(t as protobuf.Type, f.pkg)),
      enum_type: nested.filter((n) => n instanceof protobuf.Enum).map((e) => this.#enum(e as protobuf.Enum, f.pkg)),
      service: nested.filter((n) => n instanceof protobuf.Service).map((s) => this.#service(s as protobuf.Service, f.pkg)),
      extension: this.#extensions(ns, f.pkg),
    };
    if (f.pkg !== '') out['package'] = f.pkg;
    const options = this.#options.build('FileOptions', fileOptions, f.pkg);
    if (options !== undefined) out['options'] = options;
    if (f.syntax === 'proto3') out['syntax'] = 'proto3';
    return out;
  }

  #fail(what: string, ref: string): never {
    throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${this.#file?.name}: ${what}: type '${ref}' not found`);
  }

  #extensions(ns: protobuf.NamespaceBase, scope: string): Obj[] {
    return ns.nestedArray.filter((n): n is protobuf.Field => n instanceof protobuf.Field && n.extend !== undefined).map((f) => this.#field(f, scope));
  }

  #field(f: protobuf.Field, scope: string, oneofIndex?: number, entryName?: string): Obj {
    const opts = (f.options ?? {}) as Obj;
    const d: Obj = { name: f.name, number: f.id, label: f.rule === 'repeated' ? 3 : f.rule === 'required' ? 2 : 1 };
    if (entryName !== undefined) {
      d['label'] = 3;
      d['type'] = TYPE_MESSAGE;
      d['type_name'] = `.${scope}.${entryName}`;
    } else this.#typeOf(f.type, scope, d, `field ${scope}.${f.name}`);
    if (f.extend !== undefined) {
      const ext = this.#symbols.resolve(f.extend, scope, ['message']);
      if (ext === undefined) this.#fail(`extension ${f.name}`, f.extend);
      d['extendee'] = `.${ext}`;
    }
    if (opts['default'] !== undefined) d['default_value'] = defaultText(opts['default'], d['type'] as number);
    if (oneofIndex !== undefined) d['oneof_index'] = oneofIndex;
    d['json_name'] = typeof opts['json_name'] === 'string' ? opts['json_name'] : jsonName(f.name);
    const options = this.#options.build('FieldOptions', f.parsedOptions, scope);
    if (options !== undefined) d['options'] = options;
    if (opts['proto3_optional'] === true) d['proto3_optional'] = true;
    return d;
  }

  #typeOf(ref: string, scope: string, d: Obj, what: string): void {
    const scalar = SCALARS[ref];
    if (scalar !== undefined) {
      d['type'] = scalar;
      return;
    }
    const full = this.#symbols.resolve(ref, scope, ['message', 'enum']);
    if (full === undefined) this.#fail(what, ref);
    const kind = this.#symbols.get(full)?.kind;
    d['type'] = kind === 'enum' ? TYPE_ENUM : this.#isGroup(full) ? TYPE_GROUP : TYPE_MESSAGE;
    d['type_name'] = `.${full}`;
  }

  #isGroup(full: string): boolean {
    const t = this.#file?.root.lookup(full);
    return t instanceof protobuf.Type && (t as protobuf.Type & { group?: boolean }).group === true;
  }

  #mapEntry(f: protobuf.MapField, scope: string): Obj {
    const value: Obj = { name: 'value', number: 2, label: 1 };
    this.#typeOf(f.type, scope, value, `map ${scope}.${f.name}`);
    value['json_name'] = 'value';
    return {
      name: mapEntryName(f.name),
      field: [{ name: 'key', number: 1, label: 1, type: SCALARS[f.keyType], json_name: 'key' }, value],
      options: { map_entry: true },
    };
  }

  #message(t: protobuf.Type, parent: string): Obj {
    const full = parent === '' ? t.name : `${parent}.${t.name}`;
    // protoc numbers real oneofs first, then the synthetic `_field` ones of proto3 optional fields.
    const oneofs = [...t.oneofsArray.filter((o) => !isSynthetic(o)), ...t.oneofsArray.filter(isSynthetic)];
    const oneofNames = syntheticOneofNames(t, oneofs);
    const nestedTypes = new Map<string, Obj>();
    for (const n of t.nestedArray) if (n instanceof protobuf.Type) nestedTypes.set(`message:${n.name}`, this.#message(n, full));
    for (const f of t.fieldsArray) if (f instanceof protobuf.MapField) nestedTypes.set(`map:${f.name}`, this.#mapEntry(f, full));
    const order = this.#order.get(full) ?? [...nestedTypes.keys()];
    const d: Obj = {
      name: t.name,
      // Extensions of this message declared in the same file appear as `.pkg.ext` fields: not its own.
      field: t.fieldsArray.filter((f) => f.declaringField === null && !f.name.startsWith('.')).map((f) => {
        const oneof = f.partOf === null ? undefined : oneofs.indexOf(f.partOf);
        return this.#field(f, full, oneof, f instanceof protobuf.MapField ? mapEntryName(f.name) : undefined);
      }),
      nested_type: order.map((k) => nestedTypes.get(k)).filter((n) => n !== undefined),
      enum_type: t.nestedArray.filter((n) => n instanceof protobuf.Enum).map((e) => this.#enum(e as protobuf.Enum, full)),
      extension_range: (t.extensions ?? []).map(([start, end]) => this.#extensionRange(start as number, end as number, full)),
      extension: this.#extensions(t, full),
      oneof_decl: oneofs.map((o) => {
        const od: Obj = { name: oneofNames.get(o) ?? o.name };
        const options = this.#options.build('OneofOptions', o.parsedOptions, full);
        if (options !== undefined) od['options'] = options;
        return od;
      }),
      reserved_range: (t.reserved ?? []).filter(Array.isArray).map(([start, end]) => ({ start, end: Math.min(end as number, MAX_FIELD) + 1 })),
      reserved_name: (t.reserved ?? []).filter((r) => typeof r === 'string'),
    };
    const options = this.#options.build('MessageOptions', t.parsedOptions, full);
    if (options !== undefined) d['options'] = options;
    return d;
  }

  #extensionRange(start: number, end: number, scope: string): Obj {
    const d: Obj = { start, end: end + 1 };
    const parsed = this.#rangeOptions.get(`${scope}#${start}`);
    const options = parsed === undefined ? undefined : this.#options.build('ExtensionRangeOptions', parsed, scope);
    if (options !== undefined) d['options'] = options;
    return d;
  }

  #enum(e: protobuf.Enum, parent: string): Obj {
    const full = parent === '' ? e.name : `${parent}.${e.name}`;
    const valuesOptions = (e as protobuf.Enum & { valuesOptions?: Record<string, Obj> }).valuesOptions ?? {};
    const d: Obj = {
      name: e.name,
      value: Object.entries(e.values).map(([name, number]) => {
        const v: Obj = { name, number };
        const options = this.#options.build('EnumValueOptions', unflatten(valuesOptions[name]), parent);
        if (options !== undefined) v['options'] = options;
        return v;
      }),
      reserved_range: (e.reserved ?? []).filter(Array.isArray).map(([start, end]) => ({ start, end })),
      reserved_name: (e.reserved ?? []).filter((r) => typeof r === 'string'),
    };
    const options = this.#options.build('EnumOptions', e.parsedOptions, full);
    if (options !== undefined) d['options'] = options;
    return d;
  }

  #service(s: protobuf.Service, parent: string): Obj {
    const full = parent === '' ? s.name : `${parent}.${s.name}`;
    const type = (ref: string, what: string): string => {
      const t = this.#symbols.resolve(ref, full, ['message']);
      return t === undefined ? this.#fail(what, ref) : `.${t}`;
    };
    const d: Obj = {
      name: s.name,
      method: s.methodsArray.map((m) => {
        const md: Obj = { name: m.name, input_type: type(m.requestType, `rpc ${full}.${m.name}`), output_type: type(m.responseType, `rpc ${full}.${m.name}`) };
        const options = this.#options.build('MethodOptions', m.parsedOptions, full);
        if (options !== undefined) md['options'] = options;
        if (m.requestStream === true) md['client_streaming'] = true;
        if (m.responseStream === true) md['server_streaming'] = true;
        return md;
      }),
    };
    const options = this.#options.build('ServiceOptions', s.parsedOptions, full);
    if (options !== undefined) d['options'] = options;
    return d;
  }
}

// protoc names the oneof of a proto3 optional field `_field` (one underscore at most), prefixed with X
// until it clashes with no field or oneof of the message.
function syntheticOneofNames(t: protobuf.Type, oneofs: protobuf.OneOf[]): Map<protobuf.OneOf, string> {
  const taken = new Set([...t.fieldsArray.map((f) => f.name), ...oneofs.filter((o) => !isSynthetic(o)).map((o) => o.name)]);
  const out = new Map<protobuf.OneOf, string>();
  for (const o of oneofs.filter(isSynthetic)) {
    const field = o.fieldsArray[0]?.name ?? o.name;
    let name = field.startsWith('_') ? field : `_${field}`;
    while (taken.has(name)) name = `X${name}`;
    taken.add(name);
    out.set(o, name);
  }
  return out;
}

function isSynthetic(o: protobuf.OneOf): boolean {
  return o.fieldsArray.length === 1 && (o.fieldsArray[0]?.options as Obj | undefined)?.['proto3_optional'] === true;
}

function unflatten(flat: Obj | undefined): Obj[] | undefined {
  if (flat === undefined) return undefined;
  const out: Obj[] = [];
  for (const [key, value] of Object.entries(flat)) {
    const m = /^(\([^)]+\)|[^.]+)(?:\.(.+))?$/.exec(key);
    if (m === null) continue;
    let v: unknown = value;
    for (const part of (m[2] ?? '').split('.').filter((p) => p !== '').reverse()) v = { [part]: v };
    out.push({ [m[1] as string]: v });
  }
  return out;
}
