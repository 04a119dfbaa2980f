import type Koa from 'koa';
import type { Admission } from '../admission.js';
import type { CodecRegistry } from '../../encoding/index.js';
import type { Logger } from '../../log/index.js';
import type { HttpCodecOptions } from './codecs.js';
import type { HttpProtocol } from './route-table.js';

/** Options of {@link HttpServer}; the request decoder and the encoders are in {@link HttpCodecOptions}. */
export interface HttpServerOptions extends HttpCodecOptions {
  /** `host:port` to listen on. Default `0.0.0.0:0`. */
  addr?: string;
  /** Per-request timeout in ms; 0 disables. Default 1000 (Kratos' default). */
  timeout?: number;
  /** Largest accepted request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /** Logger for failures that are not Kratos errors. Default: silent. */
  logger?: Logger;
  /** Serve HTTPS with this key pair. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
  /** Codecs for request bodies (by Content-Type) and replies (by Accept). Default: json, proto, form, yaml, xml. */
  codecs?: CodecRegistry;
  /** Largest request head (request line and headers), bytes; beyond it 431. Default 16 KiB. */
  maxHeaderSize?: number;
  /** Time a client has to send the request head, ms (slowloris guard). Default 10 000. */
  headersTimeout?: number;
  /** Time a client has to send a whole request, ms. Default 30 000. */
  requestTimeout?: number;
  /** Time a client has to send a request body once it is routed, ms: beyond it 408 and the connection is closed. Default 10 000. */
  bodyTimeout?: number;
  /** Most open connections; beyond it node closes new ones at once. Default: no cap. */
  maxConnections?: number;
  /** Filters run before routing, for every request (404s and preflights too): Koa middleware, e.g. cors(). */
  filters?: HttpFilter[];
  /** Accept YAML/XML request bodies: `true` or `{ bodyLimit }` (default 32 KiB). Default off (415). */
  markupBodies?: boolean | { bodyLimit?: number };
  /** Send the internal detail of errors (peer addresses, dependency messages) to clients. Default false: logs only. */
  exposeErrorDetail?: boolean;
  /** A protocol served beside the routes on the same port, claiming its requests itself (gRPC-Web). */
  protocol?: HttpProtocol | undefined;
  /** Asked first for every request, before routing and middleware; a refusal is answered at once (docs/resilience-and-security.md#shedding-at-the-front-door). */
  admission?: Admission | undefined;
  /**
   * Make each call's context ambient (currentContext(), the OpenTelemetry context) through an
   * AsyncLocalStorage. Default true; false runs handlers as plain calls (docs/architecture.md#the-ambient-context).
   */
  ambientContext?: boolean;
}

/** A filter around the whole router (Kratos `http.Filter`): Koa middleware; call next() to go on. */
export type HttpFilter = Koa.Middleware;

export const DEFAULT_HTTP_OPTIONS = { addr: '0.0.0.0:0', timeout: 1000, bodyLimit: 1 << 20 } as const;
