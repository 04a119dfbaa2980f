export { Config, validateSection } from './config.js';
export { ConfigValue } from './value.js';
export { configSection, ConfigSection } from './section.js';
export { fileSource, envSource, memorySource, etcdSource } from './sources/index.js';
export { lookup } from './tree.js';
export { parseDuration } from './duration.js';
export { deepMerge } from './merge.js';
export { resolvePlaceholders } from './placeholders.js';
