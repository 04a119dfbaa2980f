declare const TYPE: unique symbol;

/** A typed injection token: `const Db = token<Database>('Db')`. */
export type Token<T> = symbol & { readonly [TYPE]?: T };

/** A class, possibly abstract: such classes are their own tokens. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class<T = unknown> = abstract new (...args: any[]) => T;

/** A concrete class the container can construct. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = unknown> = new (...args: any[]) => T;

/** Anything a provider can be registered under. */
export type ProviderToken<T = unknown> = Token<T> | Class<T> | string;

/** Creates a unique typed token; `name` appears in error messages. */
export function token<T>(name: string): Token<T> {
  return Symbol(name) as Token<T>;
}

/** A readable name for error messages and logs. */
export function tokenName(t: unknown): string {
  if (typeof t === 'function') return t.name || '<anonymous class>';
  if (typeof t === 'symbol') return t.description ?? t.toString();
  if (typeof t === 'string') return `'${t}'`;
  return String(t);
}
