// `kratos-ts/http`: the HTTP transport on its own (servers, clients, filters).
export { HttpServer, HttpClient, createHttpClient, createProtoHttpClient, cors } from '../transport/http/index.js';
export type {
  HttpRoute,
  HttpServerOptions,
  HttpClientOptions,
  HttpCallOptions,
  HttpFilter,
  CorsOptions,
  ProtoHttpClient,
  ProtoHttpMethod,
} from '../transport/http/index.js';
export type { HttpServerConfig } from '../app/index.js';
