export { Logger, NoopLogger } from './logger.js';
export { StdLogger } from './std-logger.js';
export type { StdLoggerOptions } from './std-logger.js';
export { LEVELS, parseLevel, levelRank } from './level.js';
export type { Level } from './level.js';
