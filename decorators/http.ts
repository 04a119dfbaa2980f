import { addRoute, defineClassRecord, KEYS } from '../lib/metadata/index.js';

/** `@Http` options: on a method, a route; on a class, a path prefix for all its routes. */
export interface HttpOptions {
  method?: string;
  path?: string;
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
    addRoute(target.constructor, { method: (o.method ?? 'GET').toUpperCase(), path: o.path ?? '', propertyKey });
  }) as ClassOrMethodDecorator;
}

function verb(method: string) {
  return (path = ''): MethodDecorator =>
    (target, propertyKey) => addRoute(target.constructor, { method, path, propertyKey });
}

export const Get = verb('GET');
export const Post = verb('POST');
export const Put = verb('PUT');
export const Patch = verb('PATCH');
export const Delete = verb('DELETE');
