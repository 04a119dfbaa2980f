import { FrameworkError } from '../errors/index.js';
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/**
 * Milliseconds from a number (taken as ms) or a Go-style duration string (`1s`, `500ms`, `1.5s`,
 * `1m30s`), the form Kratos configs use. `key` names the setting in the error for bad input.
 */
export function parseDuration(value, key) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
        return value;
    if (typeof value === 'string') {
        const parts = [...value.trim().matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
        if (parts.length > 0 && parts.map((p) => p[0]).join('') === value.trim()) {
            return parts.reduce((sum, p) => sum + Number(p[1]) * UNITS[p[2]], 0);
        }
        if (/^\d+$/.test(value.trim()))
            return Number(value);
    }
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${key} = ${JSON.stringify(value)} is not a duration`, {
        hint: `Write ${key} as milliseconds (1000) or a duration string ('1s', '500ms', '1m30s').`,
    });
}
