// `kratos-ts/grpc`: the gRPC transport on its own (server, client, health service).
export { GrpcServer, createGrpcClient, HealthService } from '../transport/grpc/index.js';
export type { GrpcServerOptions, GrpcTlsOptions, GrpcClient, GrpcClientOptions, GrpcClientTls, GrpcMethod, ServingStatus } from '../transport/grpc/index.js';
export type { GrpcServerConfig } from '../app/index.js';
