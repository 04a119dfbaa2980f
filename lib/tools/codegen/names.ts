import { basename } from 'node:path';
import type protobuf from 'protobufjs';
import { camelReason, FrameworkError } from './deps.js';

/** `SayHello` -> `sayHello`: how the clients and `@Rpc()` name an rpc's method. */
export function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/** `sayHello` -> `SayHello`. */
export function upperFirst(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Kratos' case2Camel: `USER_NOT_FOUND` -> `UserNotFound`. */
export const case2Camel = camelReason;

/** `.helloworld.v1.Greeter` -> `helloworld.v1.Greeter`. */
export function fullNameOf(obj: protobuf.ReflectionObject): string {
  return obj.fullName.replace(/^\./, '');
}

/** The package a type or service belongs to: its outermost enclosing namespace that is not a type. */
export function packageOf(obj: protobuf.ReflectionObject): string {
  let cur: protobuf.ReflectionObject | null = obj.parent;
  // Nested types sit inside their message; the package is the first ancestor that is a plain namespace.
  while (cur !== null && ('fields' in cur || 'values' in cur)) cur = cur.parent;
  return cur === null ? '' : fullNameOf(cur);
}

/**
 * The TypeScript name of a message or enum: its path below the generated file's package joined with
 * `_` (`Thing.Note` -> `Thing_Note`), or for a type of another package its whole name with every
 * segment capitalised (`google.protobuf.Timestamp` -> `Google_Protobuf_Timestamp`), so names from
 * different packages cannot meet.
 */
export function tsTypeName(type: protobuf.ReflectionObject, pkg: string): string {
  const full = fullNameOf(type);
  const local = pkg === '' ? full : full.startsWith(`${pkg}.`) ? full.slice(pkg.length + 1) : undefined;
  if (local !== undefined) return local.split('.').join('_');
  return full.split('.').map(upperFirst).join('_');
}

/** `helloworld.v1` + `/x/api/greeter.proto` -> `helloworld/v1/greeter`: where generated files go, like protoc's source-relative output. */
export function outputBase(pkg: string, file: string): string {
  const base = basename(file).replace(/\.proto$/, '');
  return pkg === '' ? base : `${pkg.split('.').join('/')}/${base}`;
}

/**
 * Hands out the top-level names of one generated file and refuses a second claim on a name, so
 * that a clash (say a message `Greeter_Inner` next to `Greeter.Inner`) fails at generation with
 * both owners named, not as a duplicate declaration when the output is compiled.
 */
export class NameRegistry {
  readonly #owners = new Map<string, string>();

  constructor(readonly where: string, reserved: readonly string[]) {
    for (const r of reserved) this.#owners.set(r, 'a declaration of the generated file');
  }

  claim(name: string, owner: string): string {
    const prev = this.#owners.get(name);
    if (prev !== undefined && prev !== owner) {
      throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${this.where}: ${owner} and ${prev} would both be named '${name}' in the generated code`);
    }
    this.#owners.set(name, owner);
    return name;
  }
}

/** `s` as a single-quoted TypeScript string literal. */
export function quote(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
}

/** `s` made safe inside a block comment, which a path template such as `/v1/{name=shelves/STAR/books/STAR}` (STAR = `*`) would otherwise close. */
export function commentSafe(s: string): string {
  return s.replace(/\*\//g, '*\\/');
}
