import protobuf from 'protobufjs';

/** What a fully qualified name (without leading dot) denotes in a set of parsed files. */
export type SymbolKind = 'package' | 'message' | 'enum' | 'enum-value' | 'service' | 'method' | 'extension';

export interface ProtoSymbol {
  kind: SymbolKind;
  /** The file (import name) declaring it; packages have none. */
  file?: string;
}

/**
 * Every symbol of a set of files, and protoc's name lookup: a relative name is searched from the
 * innermost scope outwards, its first component deciding where the rest is looked for.
 */
export class SymbolTable {
  readonly #symbols = new Map<string, ProtoSymbol>();

  get(fullName: string): ProtoSymbol | undefined {
    return this.#symbols.get(fullName);
  }

  entries(): IterableIterator<[string, ProtoSymbol]> {
    return this.#symbols.entries();
  }

  /** Adds the declarations of one parsed file (a root holding that file only). */
  addFile(file: string, root: protobuf.Root): void {
    const walk = (ns: protobuf.NamespaceBase, prefix: string): void => {
      for (const n of ns.nestedArray) {
        const full = prefix === '' ? n.name : `${prefix}.${n.name}`;
        if (n instanceof protobuf.Type) {
          this.#symbols.set(full, { kind: 'message', file });
          for (const f of n.fieldsArray) if (f instanceof protobuf.MapField) this.#symbols.set(`${full}.${mapEntryName(f.name)}`, { kind: 'message', file });
          walk(n, full);
        } else if (n instanceof protobuf.Enum) {
          this.#symbols.set(full, { kind: 'enum', file });
          // Enum values are scoped like their enum's siblings (C++ scoping): `shop.v1.STATUS_OPEN`.
          for (const v of Object.keys(n.values)) if (!this.#symbols.has(`${prefix === '' ? '' : `${prefix}.`}${v}`)) this.#symbols.set(`${prefix === '' ? '' : `${prefix}.`}${v}`, { kind: 'enum-value', file });
        }
        else if (n instanceof protobuf.Service) {
          this.#symbols.set(full, { kind: 'service', file });
          for (const m of n.methodsArray) this.#symbols.set(`${full}.${m.name}`, { kind: 'method', file });
        } else if (n instanceof protobuf.Field && n.extend !== undefined) this.#symbols.set(full, { kind: 'extension', file });
        else if (n instanceof protobuf.Namespace) {
          if (!this.#symbols.has(full)) this.#symbols.set(full, { kind: 'package' });
          walk(n, full);
        }
      }
    };
    walk(root, '');
  }

  /** Resolves `name` as written in `scope` to a full name (no leading dot) of one of `kinds`. */
  resolve(name: string, scope: string, kinds: readonly SymbolKind[]): string | undefined {
    const accept = (full: string): boolean => kinds.includes(this.#symbols.get(full)?.kind as SymbolKind);
    if (name.startsWith('.')) return accept(name.slice(1)) ? name.slice(1) : undefined;
    const first = name.split('.')[0] as string;
    let s = scope;
    for (;;) {
      const head = s === '' ? first : `${s}.${first}`;
      const full = s === '' ? name : `${s}.${name}`;
      if (this.#symbols.has(head) && accept(full)) return full;
      if (s === '') return undefined;
      const dot = s.lastIndexOf('.');
      s = dot === -1 ? '' : s.slice(0, dot);
    }
  }
}

/** protoc's name of the entry message of a map field: `string_map` -> `StringMapEntry`. */
export function mapEntryName(field: string): string {
  let out = '';
  let upper = true;
  for (const c of field) {
    if (c === '_') upper = true;
    else {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return `${out}Entry`;
}

/** protoc's default json_name: underscores dropped, the letter after each one capitalised. */
export function jsonName(field: string): string {
  let out = '';
  let upper = false;
  for (const c of field) {
    if (c === '_') upper = true;
    else {
      out += upper ? c.toUpperCase() : c;
      upper = false;
    }
  }
  return out;
}

/** Where declarations stand in a file, which protobufjs does not keep. */
export interface DeclarationLayout {
  /** Per message (`pkg.Outer.Inner`), its nested messages and map fields in order (`message:X`, `map:y`). */
  order: Map<string, string[]>;
  /** Each `extensions ... [options];` statement in order: its message and the first number of each range. */
  rangesWithOptions: { message: string; starts: number[] }[];
}

/**
 * The order nested messages and map fields are declared in (protoc lists map entry messages among
 * the nested messages where the map field stands), and which extension ranges carry options.
 */
export function declarationLayout(source: string, pkg: string): DeclarationLayout {
  const order = new Map<string, string[]>();
  const rangesWithOptions: DeclarationLayout['rangesWithOptions'] = [];
  const tn = protobuf.tokenize(source, false);
  // Scope stack: a message full name, or '' for any other block (enum, oneof, service, option value).
  const stack: string[] = [];
  const top = (): string | undefined => stack[stack.length - 1];
  const record = (kind: string, name: string): void => {
    const m = top();
    if (m === undefined || m === '') return;
    let list = order.get(m);
    if (list === undefined) order.set(m, (list = []));
    list.push(`${kind}:${name}`);
  };
  let prev: string | null = null;
  for (let t = tn.next(); t !== null; prev = t, t = tn.next()) {
    if (t === '"' || t === "'") {
      tn.next();
      tn.next();
      continue;
    }
    const inMessage = stack.length === 0 || (top() ?? '') !== '';
    // `optional group Name = 1 {` declares a message named like the group, in place, as `message` does.
    if (inMessage && (t === 'message' || t === 'group') && prev !== '.') {
      const name = tn.peek();
      if (name === null) break;
      if (/^[A-Za-z_]\w*$/.test(name)) {
        tn.next();
        const parent = top() ?? pkg;
        const full = parent === '' ? name : `${parent}.${name}`;
        record('message', name);
        for (let u = tn.next(); u !== null && u !== '{'; u = tn.next());
        stack.push(full);
        prev = '{';
        continue;
      }
    }
    if (inMessage && stack.length > 0 && t === 'extensions') {
      const starts: number[] = [];
      let expectStart = true;
      let u = tn.next();
      for (; u !== null && u !== ';' && u !== '['; u = tn.next()) {
        if (expectStart && /^\d/.test(u)) starts.push(Number(u));
        expectStart = u === ',';
      }
      if (u === '[') {
        rangesWithOptions.push({ message: top() as string, starts });
        for (let depth = 1; u !== null && depth > 0; ) {
          u = tn.next();
          if (u === '"' || u === "'") {
            tn.next();
            tn.next();
          } else if (u === '[') depth++;
          else if (u === ']') depth--;
        }
      }
      continue;
    }
    if (inMessage && stack.length > 0 && t === 'map' && tn.peek() === '<') {
      for (let u = tn.next(); u !== null && u !== '>'; u = tn.next());
      const name = tn.next();
      if (name !== null) record('map', name);
      continue;
    }
    if (t === '{') stack.push('');
    else if (t === '}') stack.pop();
  }
  return { order, rangesWithOptions };
}
