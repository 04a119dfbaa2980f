import type { ErrorEnumValue } from './deps.js';
import { case2Camel, NameRegistry } from './names.js';

/**
 * `isUserNotFound(err)` and `errorUserNotFound(message)` for each error enum value (Kratos
 * protoc-gen-go-errors, docs/errors-and-metadata.md#error-enums): the check holds for the same code and reason, after converting what
 * the error came as (a gRPC status included) the way Kratos' FromError does.
 */
export function errorHelpers(values: readonly ErrorEnumValue[], names: NameRegistry): string[] {
  const out: string[] = [];
  for (const v of values) {
    const camel = case2Camel(v.name);
    const owner = `error reason ${v.enumName}.${v.name}`;
    const is = names.claim(`is${camel}`, owner);
    const make = names.claim(`error${camel}`, owner);
    out.push(
      `/** Whether \`err\` is ${v.enumName}.${v.name}: code ${v.code} and reason '${v.name}'. */`,
      `export function ${is}(err: unknown): boolean {`,
      '  const e = kratos.errors.fromError(err);',
      `  return e !== undefined && e.code === ${v.code} && e.reason === '${v.name}';`,
      '}',
      '',
      `/** A ${v.enumName}.${v.name} error: code ${v.code}, reason '${v.name}'. */`,
      `export function ${make}(message: string): kratos.KratosError {`,
      `  return new kratos.KratosError(${v.code}, '${v.name}', message);`,
      '}',
      '',
    );
  }
  return out.slice(0, -1);
}
