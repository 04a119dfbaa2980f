// `kratos-ts/http`: the HTTP transport on its own (servers, clients, filters).
export { HttpServer, HttpClient, createHttpClient, createProtoHttpClient, cors } from '../transport/http/index.js';
export { plainRequestDecoder, codecResponseEncoder, rawResponseEncoder, statusErrorEncoder } from '../transport/http/index.js';
export { RefusedRequest } from '../transport/index.js';
export type {
  HttpRoute,
  HttpServerOptions,
  HttpClientOptions,
  HttpCallOptions,
  HttpFilter,
  CorsOptions,
  ProtoHttpClient,
  ProtoHttpMethod,
  RawRequest,
  RequestDecoder,
  ResponseEncoder,
  ErrorEncoder,
  EncodedBody,
  EncodedError,
  HttpCodecOptions,
} from '../transport/http/index.js';
export type { MessageType } from '../encoding/index.js';
export type { HttpServerConfig } from '../app/index.js';
