import { defineClassRecord, KEYS, type ModuleOptions } from '../lib/annotations/index.js';

/** Declares a unit of the dependency graph: its providers, services, middleware, imports and exports. */
export function Module(options: ModuleOptions = {}): ClassDecorator {
  return (target) => defineClassRecord(target, KEYS.module, options);
}
