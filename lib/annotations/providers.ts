import type { Constructor, ProviderToken } from './token.js';
import type { Scope } from './records.js';

/** A factory dependency: a token, or `{ token, optional }`. */
export type FactoryDependency = ProviderToken | { token: ProviderToken; optional?: boolean };

export interface ClassProvider<T = unknown> {
  provide: ProviderToken<T>;
  useClass: Constructor<T>;
  scope?: Scope;
}
export interface ValueProvider<T = unknown> {
  provide: ProviderToken<T>;
  useValue: T;
}
export interface FactoryProvider<T = unknown> {
  provide: ProviderToken<T>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...deps: any[]) => T | Promise<T>;
  inject?: FactoryDependency[];
  scope?: Scope;
}
export interface ExistingProvider<T = unknown> {
  provide: ProviderToken<T>;
  useExisting: ProviderToken<T>;
}

/** A class (its own token), or a `{ provide, use* }` object. */
export type Provider<T = unknown> =
  | Constructor<T>
  | ClassProvider<T>
  | ValueProvider<T>
  | FactoryProvider<T>
  | ExistingProvider<T>;
