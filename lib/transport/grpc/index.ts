export { GrpcServer } from './grpc-server.js';
export type { GrpcServerOptions, GrpcTlsOptions, RawService, ServingListener } from './grpc-server.js';
export type { GrpcMethod, GrpcMethodSchema } from './method.js';
export { methodDefinition, MESSAGE_OBJECT } from './method.js';
export { GrpcContext } from './grpc-context.js';
export { MetadataHeader } from './metadata-header.js';
export { createGrpcClient } from './grpc-client.js';
export type { GrpcClient, GrpcClientOptions, GrpcClientTls, GrpcServiceLike, ClientMethod } from './grpc-client.js';
