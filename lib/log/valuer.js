import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
const VALUER = Symbol.for('kratos-ts/log/valuer');
// Frames from this package's log folder are the logger itself, never the caller.
const LOG_DIR = dirname(fileURLToPath(import.meta.url));
/** Marks `fn` as a {@link Valuer}. */
export function valuer(fn) {
    return Object.assign(() => fn(), { [VALUER]: true });
}
export function isValuer(v) {
    return typeof v === 'function' && v[VALUER] === true;
}
/** The current time, ISO 8601 (Kratos `DefaultTimestamp`). */
export const timestamp = valuer(isoNow);
// Records written in the same millisecond share one formatted time (a busy server writes many).
let lastMs = -1;
let lastIso = '';
function isoNow() {
    const now = Date.now();
    if (now !== lastMs) {
        lastMs = now;
        lastIso = new Date(now).toISOString();
    }
    return lastIso;
}
/** `dir/file.js:line` of the code that called the logger (Kratos `DefaultCaller`); costs a stack capture per record. */
export const caller = valuer(() => {
    const lines = (new Error().stack ?? '').split('\n').slice(1);
    // Skip frames inside the log package and node internals: the first other frame is the caller.
    const frame = lines.find((l) => !l.includes(LOG_DIR) && !/\(node:|at node:|node_modules[\\/]winston/.test(l));
    const m = frame === undefined ? null : /\(?([^()\s]+):(\d+):\d+\)?$/.exec(frame.trim());
    if (m === null)
        return '';
    const parts = m[1].replace(/^file:\/\//, '').split(/[\\/]/);
    return `${parts.slice(-2).join('/')}:${m[2]}`;
});
/** Key-values with every valuer replaced by its current value. */
export function bindValues(kv) {
    let out;
    for (let i = 1; i < kv.length; i += 2) {
        if (isValuer(kv[i])) {
            out ??= [...kv];
            out[i] = kv[i]();
        }
    }
    return out ?? kv;
}
