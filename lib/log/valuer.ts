import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const VALUER = Symbol.for('kratos-ts/log/valuer');
const HINTS = Symbol.for('kratos-ts/log/valuer-hints');
// Frames from this package's log folder are the logger itself, never the caller.
const LOG_DIR = dirname(fileURLToPath(import.meta.url));

/** A value computed each time a record is written (time, caller, trace id), not once. */
export type Valuer = (() => unknown) & { readonly [VALUER]: true; readonly [HINTS]?: ValuerHints };

/** What a valuer's strings are like, so a JSON line writes them with less work; the line is the same. */
export interface ValuerHints {
  /**
   * Its strings are JSON text as they are: ASCII from space up, without `"` or `\` (hex ids, ISO
   * times). A JSON line copies them without checking, so a string that breaks the promise breaks the line.
   */
  readonly plain?: boolean;
  /**
   * It returns the same string again while its value holds (a timestamp, for a millisecond), so a
   * JSON line compares each string with the last and copies a repeat's bytes. Default true; false for
   * a value new every time (an id), where the comparison only costs.
   */
  readonly repeats?: boolean;
}

/** Marks `fn` as a {@link Valuer}, with what its values are like when known. */
export function valuer(fn: () => unknown, hints?: ValuerHints): Valuer {
  return Object.assign(() => fn(), hints === undefined ? { [VALUER]: true as const } : { [VALUER]: true as const, [HINTS]: { ...hints } });
}

/** The hints a valuer was made with; none for anything else. */
export function valuerHints(v: unknown): ValuerHints {
  return (isValuer(v) ? v[HINTS] : undefined) ?? {};
}

export function isValuer(v: unknown): v is Valuer {
  return typeof v === 'function' && (v as Partial<Valuer>)[VALUER] === true;
}

/** The current time, ISO 8601 (Kratos `DefaultTimestamp`). */
export const timestamp: Valuer = valuer(isoNow, { plain: true });

// Records written in the same millisecond share one formatted time (a busy server writes many).
let lastMs = -1;
let lastIso = '';
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

/** `dir/file.js:line` of the code that called the logger (Kratos `DefaultCaller`); costs a stack capture per record. */
export const caller: Valuer = valuer(() => {
  const lines = (new Error().stack ?? '').split('\n').slice(1);
  // Skip frames inside the log package and node internals: the first other frame is the caller.
  const frame = lines.find((l) => !l.includes(LOG_DIR) && !/\(node:|at node:|node_modules[\\/]winston/.test(l));
  const m = frame === undefined ? null : /\(?([^()\s]+):(\d+):\d+\)?$/.exec(frame.trim());
  if (m === null) return '';
  const parts = (m[1] as string).replace(/^file:\/\//, '').split(/[\\/]/);
  return `${parts.slice(-2).join('/')}:${m[2]}`;
});

/** Key-values with every valuer replaced by its current value. */
export function bindValues(kv: readonly unknown[]): unknown[] {
  let out: unknown[] | undefined;
  for (let i = 1; i < kv.length; i += 2) {
    if (isValuer(kv[i])) {
      out ??= [...kv];
      out[i] = (kv[i] as Valuer)();
    }
  }
  return out ?? (kv as unknown[]);
}
