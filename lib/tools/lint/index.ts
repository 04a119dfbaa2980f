export { lintFile, protoFilesOf, readLintConfig, findLintConfig, formatFinding, CONFIG_FILE } from './linter.js';
export type { Finding, Severities } from './linter.js';
export { RULES } from './rules.js';
export type { Rule, Severity } from './rules.js';
