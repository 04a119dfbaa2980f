/** Log levels, lowest first (docs/config-and-logging.md#logging). */
export const LEVELS = ['debug', 'info', 'warn', 'error', 'fatal'] as const;
export type Level = (typeof LEVELS)[number];

const ORDER: Record<Level, number> = { debug: 0, info: 1, warn: 2, error: 3, fatal: 4 };

/** Numeric rank of a level, for comparisons (a switch: callers on every request pass a literal, compared inline). */
export function levelRank(level: Level): number {
  switch (level) {
    case 'debug':
      return 0;
    case 'info':
      return 1;
    case 'warn':
      return 2;
    case 'error':
      return 3;
    case 'fatal':
      return 4;
    default:
      return ORDER[level];
  }
}

/** Parses a level name case-insensitively; unknown names give `info`, as in Kratos. */
export function parseLevel(name: string | undefined): Level {
  const l = name?.toLowerCase();
  return (LEVELS as readonly string[]).includes(l ?? '') ? (l as Level) : 'info';
}
