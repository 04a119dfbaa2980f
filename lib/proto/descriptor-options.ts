import protobuf from 'protobufjs';
import type { SymbolTable } from './descriptor-symbols.js';

type Obj = Record<string, unknown>;

// Written in option syntax but stored elsewhere in a descriptor (or not at all), as protoc does.
const NOT_OPTIONS = new Set(['json_name', 'default', 'proto3_optional']);

/**
 * Builds the options message (`google.protobuf.FieldOptions`, ...) of a descriptor from the option
 * statements protobufjs parsed, in the plain-object form `type.fromObject` takes: custom options
 * become the extension fields of `type` (`.validate.rules`), resolved from `scope` like protoc.
 */
export class OptionsBuilder {
  readonly #root: protobuf.Root;
  readonly #symbols: SymbolTable;

  constructor(root: protobuf.Root, symbols: SymbolTable) {
    this.#root = root;
    this.#symbols = symbols;
  }

  /** The options object, or undefined when no option statement was written. */
  build(typeName: string, parsed: Obj[] | null | undefined, scope: string, extra?: Obj): Obj | undefined {
    const type = this.#root.lookupType(`google.protobuf.${typeName}`);
    const out: Obj = { ...extra };
    let any = extra !== undefined;
    for (const entry of parsed ?? []) {
      for (const [key, value] of Object.entries(entry)) {
        if (NOT_OPTIONS.has(key)) continue;
        let field: protobuf.Field | undefined;
        let name = key;
        if (key.startsWith('(')) {
          const ext = this.#symbols.resolve(key.slice(1, -1), scope, ['extension']);
          name = ext === undefined ? '' : `.${ext}`;
          field = type.fields[name];
        } else field = type.fields[key];
        // An option whose definition is not loaded cannot be encoded; protoc would have refused it.
        if (field === undefined) continue;
        any = true;
        out[name] = merge(out[name], normalise(field, value));
      }
    }
    return any ? out : undefined;
  }
}

// Repeated option fields may be written once (`= REQUIRED`) or several times; messages field by field.
function normalise(field: protobuf.Field, value: unknown): unknown {
  field.resolve();
  const one = (v: unknown): unknown => {
    if (field.type === 'bytes' && typeof v === 'string') return bytesOf(v);
    if (field.type === 'string' && typeof v === 'string') return protoString(v);
    const t = field.resolvedType;
    if (!(t instanceof protobuf.Type) || v === null || typeof v !== 'object') return v;
    const o: Obj = {};
    for (const [k, inner] of Object.entries(v as Obj)) {
      const f = t.fields[k];
      if (f !== undefined) o[k] = normalise(f, inner);
    }
    return o;
  };
  if (field.repeated) return (Array.isArray(value) ? value : [value]).map(one);
  return Array.isArray(value) ? one(value[value.length - 1]) : one(value);
}

function merge(a: unknown, b: unknown): unknown {
  if (a === undefined) return b;
  if (Array.isArray(a)) return a.concat(b as unknown[]);
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const out: Obj = { ...(a as Obj) };
    for (const [k, v] of Object.entries(b as Obj)) out[k] = merge(out[k], v);
    return out;
  }
  return b;
}

// A bytes option is written as a string literal: `\xff` escapes are single bytes, other text UTF-8.
export function bytesOf(s: string): Buffer {
  return [...s].every((c) => c.charCodeAt(0) < 256) ? Buffer.from(s, 'latin1') : Buffer.from(s, 'utf8');
}

/**
 * A string literal as protoc reads it: protobufjs turns each escape (`\303`) into one character, so
 * text made only of such characters that is valid UTF-8 as bytes was written as escaped UTF-8.
 */
export function protoString(s: string): string {
  if (![...s].some((c) => c.charCodeAt(0) >= 0x80) || [...s].some((c) => c.charCodeAt(0) > 0xff)) return s;
  const bytes = Buffer.from(s, 'latin1');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : s;
}
