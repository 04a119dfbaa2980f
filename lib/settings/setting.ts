import type { Config } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import { Expected, type Kind } from './kinds.js';

/** One setting: where it is read, how it is checked, what it is when unset, what it means. */
export interface SettingSpec<T, P extends string = string> {
  /** Its config key (`server.http.addr`); none for settings only options can give. */
  readonly key?: string;
  /** Its path in the options object (`http.addr`); none for settings only config can give. */
  readonly option?: P;
  /**
   * The option is a section that `false` switches off (`metrics: false`); any other value of it
   * leaves the decision to config.
   */
  readonly optionSwitch?: boolean;
  readonly kind: Kind<T>;
  /** The value when neither options nor config give one. */
  readonly default?: NoInfer<T>;
  /** A default computed at resolution (from the environment, the host). */
  readonly defaultFrom?: () => NoInfer<T>;
  /** How the reference shows the default, when its value alone would not say it. */
  readonly defaultDoc?: string;
  /** One line for the config reference. */
  readonly doc: string;
}

/** A declared setting; `V` is its resolved type (undefined allowed when it has no default). */
export interface Setting<V, Optional extends boolean = boolean> {
  readonly spec: SettingSpec<unknown>;
  /** Phantom: the resolved type. */
  readonly _value?: V;
  readonly _optional?: Optional;
}

/** Settings that belong together (one builder's input), by the field of the builder's options they set. */
export type Section = Record<string, Setting<unknown>>;

type ValueOf<S> = S extends Setting<infer V, boolean> ? V : never;
type Required<S extends Section> = { [K in keyof S]: S[K] extends Setting<unknown, false> ? K : never }[keyof S];
type Optional<S extends Section> = Exclude<keyof S, Required<S>>;

/** A resolved section: settings with a default always present, the others present only when given. */
export type Resolved<S extends Section> = { readonly [K in Required<S>]: ValueOf<S[K]> } & { readonly [K in Optional<S>]?: ValueOf<S[K]> };

/**
 * Declares a setting of option paths `P`: with a default it always resolves to a value, without one
 * it is absent from the resolved section unless options or config give it.
 */
export function settingOf<P extends string>() {
  function setting<T>(spec: SettingSpec<T, P> & ({ default: NoInfer<T> } | { defaultFrom: () => NoInfer<T> })): Setting<T, false>;
  function setting<T>(spec: SettingSpec<T, P>): Setting<T, true>;
  function setting<T>(spec: SettingSpec<T, P>): Setting<T> {
    return { spec: spec as SettingSpec<unknown> };
  }
  return setting;
}

/** Where the resolver reads config values (a {@link Config}). */
export type ConfigReader = Pick<Config, 'get' | 'originOf'>;

// An empty value (a `${VAR:}` placeholder whose variable is unset) counts as unset, as it always has.
const unset = (v: unknown): boolean => v === undefined || v === null || v === '';

/** The value at a dotted path of the options; undefined past anything that is not an object. */
export function optionAt(options: object, path: string): unknown {
  let cur: unknown = options;
  for (const part of path.split('.')) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function invalid(where: 'option' | 'config', name: string, raw: unknown, err: Expected, origin: string | undefined): FrameworkError {
  const got = typeof raw === 'function' ? 'a function' : JSON.stringify(raw) ?? String(raw);
  const from = origin === undefined ? '' : ` (from ${origin})`;
  return where === 'option'
    ? new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `option ${name}: expected ${err.message}, got ${got}`)
    : new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `config key ${name}: expected ${err.message}, got ${got}${from}`);
}

function parseWith<T>(spec: SettingSpec<T>, where: 'option' | 'config', name: string, raw: unknown, config: ConfigReader): T {
  try {
    return spec.kind.parse(raw);
  } catch (err) {
    if (!(err instanceof Expected)) throw err;
    throw invalid(where, name, raw, err, where === 'config' ? config.originOf(name) : undefined);
  }
}

/** One setting's value: options first, then config (placeholders already resolved), then its default. */
export function resolveSetting<T>(spec: SettingSpec<T>, options: object, config: ConfigReader): T | undefined {
  if (spec.option !== undefined) {
    const raw = optionAt(options, spec.option);
    if (spec.optionSwitch === true) {
      if (raw === false) return false as T;
    } else if (raw !== undefined) return parseWith(spec, 'option', spec.option, raw, config);
  }
  if (spec.key !== undefined) {
    const raw = config.get(spec.key);
    if (!unset(raw)) return parseWith(spec, 'config', spec.key, raw, config);
  }
  if (spec.defaultFrom !== undefined) return spec.defaultFrom();
  // A fresh copy of a list or map default, so one app's settings never share it with another's.
  const d: unknown = spec.default;
  return (Array.isArray(d) ? [...d] : typeof d === 'object' && d !== null ? { ...d } : d) as T | undefined;
}

/** Every setting of a section resolved and checked; unset optional ones are left out; frozen. */
export function resolveSection<S extends Section>(section: S, options: object, config: ConfigReader): Resolved<S> {
  const out: Record<string, unknown> = {};
  for (const [field, s] of Object.entries(section)) {
    const v = resolveSetting(s.spec, options, config);
    if (v !== undefined) out[field] = v;
  }
  return Object.freeze(out) as Resolved<S>;
}

/** The fields `keys` of `o` that are set, absent ones left out (optional options stay optional). */
export function pick<T extends object, K extends keyof T>(o: T, ...keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}
