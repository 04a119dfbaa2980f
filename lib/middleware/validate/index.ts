export { validate, fromStandardSchema, validationError } from './validate.js';
export type { Validator, Violation } from './validate.js';
export { isStandardSchema } from '../../internal/index.js';
export type { StandardSchemaV1, StandardIssue, StandardResult } from '../../internal/index.js';
