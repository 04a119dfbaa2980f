import { defineClassRecord, KEYS, type ServiceOptions } from '../lib/annotations/index.js';

/**
 * An injectable class. It is exposed on the transports when it declares routes or rpcs; with
 * `{ proto, name }` it is bound to a proto service.
 */
export function Service(options: ServiceOptions = {}): ClassDecorator {
  return (target) => {
    defineClassRecord(target, KEYS.injectable, { scope: options.scope ?? 'singleton' });
    defineClassRecord(target, KEYS.service, options);
  };
}
