export { GrpcWebGateway, GRPC_WEB_CONTENT_TYPE } from './grpc-web-gateway.js';
export type { GrpcWebOptions } from './grpc-web-gateway.js';
export { GrpcWebContext } from './grpc-web-context.js';
export { frame, trailerFrame, messages, fromBase64Chunks, parseGrpcTimeout, encodeGrpcMessage, TRAILER_FLAG } from './frames.js';
