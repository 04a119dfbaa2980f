import {
  addUseMiddleware,
  defineClassRecord,
  KEYS,
  type MiddlewareEntry,
  type MiddlewareOptions,
} from '../lib/annotations/index.js';

/** A middleware class the container builds; it must have `handle(next): Handler`. */
export function Middleware(options: MiddlewareOptions = {}): ClassDecorator {
  return (target) => {
    defineClassRecord(target, KEYS.injectable, { scope: options.scope ?? 'singleton' });
    defineClassRecord(target, KEYS.middleware, options);
  };
}

/** Middleware for the operations of a class, or of one method; listed outermost first. */
export function UseMiddleware(...middleware: MiddlewareEntry[]): ClassDecorator & MethodDecorator {
  return ((target: object, propertyKey?: string | symbol) => {
    const ctor = propertyKey === undefined ? target : target.constructor;
    addUseMiddleware(ctor, propertyKey, middleware);
  }) as ClassDecorator & MethodDecorator;
}
