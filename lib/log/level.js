/** Log levels, lowest first (§8). */
export const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'];
const ORDER = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };
/** Numeric rank of a level, for comparisons. */
export function levelRank(level) {
    return ORDER[level];
}
/** Parses a level name case-insensitively; unknown names give `info`, as in Kratos. */
export function parseLevel(name) {
    const l = name?.toLowerCase();
    return LEVELS.includes(l ?? '') ? l : 'info';
}
