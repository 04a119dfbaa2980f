import { addRpc, type RequestSchema } from '../lib/annotations/index.js';

/** `@Rpc` options. */
export interface RpcOptions {
  /** The rpc's name in the proto, when it is not the method name with its first letter upper-cased. */
  name?: string;
  /** A Standard Schema (zod, valibot, ...) the request must satisfy; else 400 `VALIDATOR`. */
  validate?: RequestSchema;
}

/**
 * Handles a proto rpc (unary or streaming). The rpc name defaults to the method name with its first
 * letter upper-cased (`sayHello` -> `SayHello`).
 */
export function Rpc(nameOrOptions?: string | RpcOptions): MethodDecorator {
  const o = typeof nameOrOptions === 'string' ? { name: nameOrOptions } : (nameOrOptions ?? {});
  return (target, propertyKey) => addRpc(target.constructor, { name: o.name, propertyKey, validate: o.validate });
}
