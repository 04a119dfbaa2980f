export { Config, StaticConfig, lookup } from './config.js';
export { parseDuration } from './duration.js';
export { deepMerge } from './merge.js';
export { resolvePlaceholders } from './placeholders.js';
export { loadConfigPath } from './load-dir.js';
