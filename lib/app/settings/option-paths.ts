import { settingOf } from '../../settings/index.js';
import type { AppOptions } from '../options.js';

type Present<T> = Exclude<T, false | undefined | null>;
// Only plain option objects are walked: not lists, functions or buffers.
type Walkable<T> = T extends readonly unknown[] | ((...args: never[]) => unknown) | Buffer ? never : T extends object ? T : never;
type Paths<T, Depth extends unknown[] = []> = Depth['length'] extends 3
  ? never
  : { [K in keyof T & string]: K | ([Walkable<Present<T[K]>>] extends [never] ? never : `${K}.${Paths<Walkable<Present<T[K]>>, [...Depth, 1]>}`) }[keyof T & string];

/** A dotted path into {@link AppOptions} (`http.addr`, `tracing.sampleRatio`), checked by the compiler. */
export type OptionPath = Paths<AppOptions>;

/** Declares an app setting: its option path is checked against AppOptions. */
export const setting = settingOf<OptionPath>();
