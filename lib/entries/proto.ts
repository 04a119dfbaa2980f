// `kratos-ts/proto`: proto loading, google.api.http rules and error enums.
export { ProtoLoader, loadErrors, errorEnums, parsePathTemplate } from '../proto/index.js';
export type { ServiceSchema, MethodSchema, HttpRule, PathTemplate, ErrorHelpers, ErrorEnumValue, ProtoPathsOption, ProtoLoaderOptions } from '../proto/index.js';
