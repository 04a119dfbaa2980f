export { Logger, NoopLogger } from './logger.js';
export { StdLogger } from './std-logger.js';
export { WinstonLogger } from './winston-logger.js';
export { FilterLogger } from './filter.js';
export { createLogger } from './create-logger.js';
export { valuer, isValuer, bindValues, timestamp, caller } from './valuer.js';
export { LEVELS, parseLevel, levelRank } from './level.js';
