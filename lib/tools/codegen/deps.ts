// The only door from codegen to the rest of kratos-ts, so the generator's dependencies stay visible in one place.
export { camelReason, errorEnums, parsePathTemplate, readHttpRules, toCamelPath } from '../../proto/index.js';
export type { ErrorEnumValue, HttpRule, MethodSchema, ServiceSchema } from '../../proto/index.js';
export { FrameworkError } from '../../errors/index.js';
