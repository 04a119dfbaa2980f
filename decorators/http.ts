import { addRoute, defineClassRecord, KEYS, type RequestSchema } from '../lib/annotations/index.js';

/** `@Http` options: on a method, a route; on a class, a path prefix for all its routes. */
export interface HttpOptions {
  method?: string;
  path?: string;
  /** A Standard Schema (zod, valibot, ...) the bound request must satisfy; else 400 `VALIDATOR`. */
  validate?: RequestSchema;
}

/** Options of the verb decorators (`@Get(path, { validate })`). */
export interface RouteOptions {
  validate?: RequestSchema;
}

type ClassOrMethodDecorator = ClassDecorator & MethodDecorator;

/**
 * An HTTP route without a proto (`@Http({ method: 'GET', path: '/users/{id}' })`) on a method, or a
 * path prefix (`@Http('/v1')`) on a class. Paths take `{name}` or `:name` parameters.
 */
export function Http(options: HttpOptions | string = {}): ClassOrMethodDecorator {
  const o = typeof options === 'string' ? { path: options } : options;
  return ((target: object, propertyKey?: string | symbol) => {
    if (propertyKey === undefined) {
      defineClassRecord(target, KEYS.httpPrefix, o.path ?? '');
      return;
    }
    addRoute(target.constructor, { method: (o.method ?? 'GET').toUpperCase(), path: o.path ?? '', propertyKey, validate: o.validate });
  }) as ClassOrMethodDecorator;
}

function verb(method: string) {
  return (path = '', options: RouteOptions = {}): MethodDecorator =>
    (target, propertyKey) => addRoute(target.constructor, { method, path, propertyKey, validate: options.validate });
}

export const Get = verb('GET');
export const Post = verb('POST');
export const Put = verb('PUT');
export const Patch = verb('PATCH');
export const Delete = verb('DELETE');
