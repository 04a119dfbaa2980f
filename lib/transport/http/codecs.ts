import type { Codec, MessageType, Negotiated } from '../../encoding/index.js';
import { jsonTextOf, STATUS_TYPE } from '../../encoding/index.js';
import type { KratosError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import { bindParams, bindQuery, decodePlainBody } from './body.js';
import type { HttpContext } from './http-context.js';

/** A body to send: its bytes under a content type. */
export interface EncodedBody {
  contentType: string;
  bytes: Buffer;
}

/** An error reply: the body, and the status when it is not the error's own code. */
export interface EncodedError extends EncodedBody {
  status?: number | undefined;
}

/** The parts of a request a decoder builds the handler's request from. */
export interface RawRequest {
  body: Buffer;
  /** The codec of the Content-Type (JSON when there is none), or undefined when none is registered for it. */
  codec: Codec | undefined;
  contentType: string | undefined;
  /** The query string without '?'. */
  query: string;
  /** Decoded path parameters. */
  params: Record<string, string>;
}

/**
 * Builds a handler's request from the raw request: body, query and path variables in one (Kratos'
 * RequestDecoder, RequestQueryDecoder and RequestVarsDecoder). Throw a KratosError to refuse it: the
 * error then runs through the route's middleware like any other.
 */
export type RequestDecoder = (raw: RawRequest, ctx: HttpContext) => unknown;

/**
 * Encodes a handler's reply (Kratos' ResponseEncoder). `negotiated` is the codec the client's Accept
 * chose and the Content-Type to send with it; an encoder may use it or write a format of its own.
 * `type` is the reply's message type when the route has one (proto routes): pass it on to
 * `codec.marshal` so proto-aware codecs write the message by its schema. undefined sends 200 with no body.
 */
export type ResponseEncoder = (reply: unknown, negotiated: Negotiated, ctx: HttpContext, type?: MessageType) => EncodedBody | undefined;

/**
 * Encodes a failed call (Kratos' ErrorEncoder). `error` is the error as clients may see it (internal
 * detail removed unless the server exposes it); the status defaults to its code. Also used for 404,
 * 405, timeouts and, as JSON, for the last line of a stream that fails.
 */
export type ErrorEncoder = (error: KratosError, negotiated: Negotiated, ctx: HttpContext) => EncodedError;

/** The request decoder, response encoder and error encoder of a server or of one route. */
export interface HttpCodecOptions {
  /** Builds requests; default {@link plainRequestDecoder}. */
  requestDecoder?: RequestDecoder | undefined;
  /** Encodes replies; default {@link codecResponseEncoder}. */
  responseEncoder?: ResponseEncoder | undefined;
  /** Encodes errors; default the Kratos error body (`{code, reason, message, metadata}`) in the negotiated codec. */
  errorEncoder?: ErrorEncoder | undefined;
}

/**
 * The request of a plain route: the body decoded by its Content-Type (an object; empty is `{}`), then
 * query parameters (repeated keys become arrays), then path parameters, later winning.
 */
export const plainRequestDecoder: RequestDecoder = (raw) => {
  const request = decodePlainBody(raw);
  bindQuery(request, raw.query);
  bindParams(request, raw.params);
  return request;
};

/** The reply in the negotiated codec (a message by its type); no body for null or undefined, unless typed (`{}`). */
export const codecResponseEncoder: ResponseEncoder = (reply, negotiated, _ctx, type) => {
  if ((reply === undefined || reply === null) && type === undefined) return undefined;
  return { contentType: negotiated.contentType, bytes: negotiated.codec.marshal(reply ?? {}, type) };
};

/**
 * The text {@link codecResponseEncoder} would send for `reply`, when the negotiated codec is the
 * built-in JSON one: the server then writes the text itself. undefined: use the encoder.
 */
export function replyText(reply: unknown, negotiated: Negotiated): string | undefined {
  if (reply === undefined || reply === null) return undefined;
  return jsonTextOf(negotiated.codec, reply);
}

/** A reply `{ contentType, body }` sent as it is (the Prometheus text format, files). */
export const rawResponseEncoder: ResponseEncoder = (reply) => {
  const r = reply as { contentType: string; body: string | Buffer };
  return { contentType: r.contentType, bytes: Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body) };
};

/** Codecs that write errors.Status through its schema, as Kratos does (`metadata[k]=v` in forms). */
const TYPED_ERROR_CODECS: ReadonlySet<string> = new Set(['proto', 'x-www-form-urlencoded']);

/** The Kratos error body in the client's codec, keys in wire order; JSON when that codec cannot write it. */
export function statusErrorEncoder(json: Codec): ErrorEncoder {
  return (e, negotiated) => {
    const status = { code: e.code, reason: e.reason, message: e.message, metadata: e.metadata };
    const { codec, contentType } = negotiated;
    try {
      return { contentType, bytes: codec.marshal(status, TYPED_ERROR_CODECS.has(codec.name) ? STATUS_TYPE : undefined) };
    } catch {
      return { contentType: json.contentType, bytes: json.marshal(status) };
    }
  };
}

/** `encoder`, or `fallback` when it throws: a failing custom encoder must not leave a request unanswered. */
export function guardedErrorEncoder(encoder: ErrorEncoder, fallback: ErrorEncoder, logger: Logger): ErrorEncoder {
  if (encoder === fallback) return encoder;
  return (e, negotiated, ctx) => {
    try {
      return encoder(e, negotiated, ctx);
    } catch (err) {
      logger.log('error', 'msg', 'error encoder failed', 'operation', ctx.operation, 'error', err);
      return fallback(e, negotiated, ctx);
    }
  };
}
