export { GrpcServer } from './grpc-server.js';
export { methodDefinition, MESSAGE_OBJECT } from './method.js';
export { GrpcContext } from './grpc-context.js';
export { MetadataHeader } from './metadata-header.js';
export { createGrpcClient } from './grpc-client.js';
export { HealthService, HEALTH_SERVICE, healthRoot } from './health.js';
export { reflectionServices, reflectionRoots } from './reflection.js';
