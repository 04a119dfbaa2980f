import { KratosError, findKratosError } from '../errors/index.js';
import { FrameworkError } from '../errors/index.js';
import { errorEnums, type ErrorEnumValue } from './error-enums.js';
import { ProtoLoader } from './loader.js';

/** `USER_NOT_FOUND` -> `UserNotFound` (Kratos' case2Camel). */
type Camel<S extends string> = S extends `${infer H}_${infer T}` ? `${Capitalize<Lowercase<H>>}${Camel<T>}` : Capitalize<Lowercase<S>>;

/** `isUserNotFound(err)` and `errorUserNotFound(message)` for every reason `R` (docs/errors-and-metadata.md#error-enums). */
export type ErrorHelpers<R extends string> = { readonly [K in R as `is${Camel<K>}`]: (err: unknown) => boolean } & {
  readonly [K in R as `error${Camel<K>}`]: (message: string) => KratosError;
};

/** `USER_NOT_FOUND` -> `UserNotFound`. */
export function camelReason(reason: string): string {
  return reason
    .split('_')
    .filter((w) => w !== '')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
    .join('');
}

/** Helpers for error enum values: the check holds for the same code and reason, whatever the transport. */
export function errorHelpersOf(values: readonly ErrorEnumValue[]): Record<string, ((err: unknown) => boolean) | ((message: string) => KratosError)> {
  const out: Record<string, ((err: unknown) => boolean) | ((message: string) => KratosError)> = {};
  for (const v of values) {
    const name = camelReason(v.name);
    out[`is${name}`] = (err: unknown) => {
      const e = findKratosError(err);
      return e !== undefined && e.code === v.code && e.reason === v.name;
    };
    out[`error${name}`] = (message: string) => new KratosError(v.code, v.name, message);
  }
  return out;
}

/**
 * Loads the error enums of a .proto at run time and returns their helpers; list the reasons you use
 * to get them typed: `loadErrors<'USER_NOT_FOUND'>(file).isUserNotFound(err)`. A listed reason the
 * file does not declare fails at once.
 */
export function loadErrors<R extends string = string>(file: string | URL, ...reasons: R[]): ErrorHelpers<R> {
  const path = file instanceof URL ? file.pathname : file;
  const values = errorEnums(new ProtoLoader().loadSync(path));
  for (const r of reasons) {
    if (!values.some((v) => v.name === r)) {
      throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${path} declares no error reason ${r} (it has: ${values.map((v) => v.name).join(', ')})`);
    }
  }
  return errorHelpersOf(values) as unknown as ErrorHelpers<R>;
}
