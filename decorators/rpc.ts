import { addRpc } from '../lib/metadata/index.js';

/**
 * Handles a proto rpc (unary or streaming). The rpc name defaults to the method name with its first
 * letter upper-cased (`sayHello` -> `SayHello`).
 */
export function Rpc(name?: string): MethodDecorator {
  return (target, propertyKey) => addRpc(target.constructor, { name, propertyKey });
}
