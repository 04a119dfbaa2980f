import type protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';

/** One value of an error enum (docs/errors-and-metadata.md#error-enums): the reason (the value's name) and its HTTP code. */
export interface ErrorEnumValue {
  /** Fully qualified enum name, e.g. `helloworld.v1.ErrorReason`. */
  enumName: string;
  /** The value's name, which is the error's reason: `USER_NOT_FOUND`. */
  name: string;
  code: number;
}

function optionOf(options: Record<string, unknown> | undefined, key: string): number | undefined {
  const v = options?.[key];
  return typeof v === 'number' ? v : undefined;
}

function enumsOf(ns: protobuf.NamespaceBase, out: protobuf.Enum[]): protobuf.Enum[] {
  for (const n of ns.nestedArray) {
    if ('values' in n && !('fields' in n)) out.push(n as protobuf.Enum);
    if ('nestedArray' in n) enumsOf(n as protobuf.NamespaceBase, out);
  }
  return out;
}

/**
 * The error enums of `root`: enums with `(errors.default_code)` or a value with `(errors.code)`. A
 * value's code is its own option, else the enum's default; values with code 0 are skipped; codes
 * outside 100..599 fail with a message naming the enum, value and file.
 */
export function errorEnums(root: protobuf.Root): ErrorEnumValue[] {
  const out: ErrorEnumValue[] = [];
  for (const e of enumsOf(root, [])) {
    const dflt = optionOf(e.options, '(errors.default_code)');
    const perValue = (e as unknown as { valuesOptions?: Record<string, Record<string, unknown>> }).valuesOptions ?? {};
    const anyCode = Object.values(perValue).some((o) => optionOf(o, '(errors.code)') !== undefined);
    if (dflt === undefined && !anyCode) continue;
    for (const name of Object.keys(e.values)) {
      const code = optionOf(perValue[name], '(errors.code)') ?? dflt ?? 0;
      if (code === 0) continue;
      if (code < 100 || code > 599) {
        throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${e.filename ?? '?'}: error enum ${e.fullName.slice(1)} value ${name} has code ${code}, outside 100..599`);
      }
      out.push({ enumName: e.fullName.slice(1), name, code });
    }
  }
  return out;
}
