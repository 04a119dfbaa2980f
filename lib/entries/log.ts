// `kratos-ts/log`: the Logger and its implementations, filters and valuers.
export { Logger, NoopLogger, StdLogger, WinstonLogger, FilterLogger, createLogger, SLOT, valuer, timestamp, caller, parseLevel } from '../log/index.js';
export type { Level, StdLoggerOptions, LoggerOptions, FilterOptions, Valuer, ValuerHints, RecordWriter } from '../log/index.js';
