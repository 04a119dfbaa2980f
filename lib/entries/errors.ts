// `kratos-ts/errors`: Kratos errors, the gRPC status mapping and the framework's own error codes.
export * from '../errors/index.js';
