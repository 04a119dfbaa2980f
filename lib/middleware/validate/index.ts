export { validate, fromStandardSchema, validationError } from './validate.js';
export type { Validator, Violation } from './validate.js';
export { isStandardSchema } from './standard-schema.js';
export type { StandardSchemaV1, StandardIssue, StandardResult } from './standard-schema.js';
