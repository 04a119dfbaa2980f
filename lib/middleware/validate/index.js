export { validate, fromStandardSchema, validationError } from './validate.js';
export { isStandardSchema } from '../../internal/index.js';
