import type { IncomingMessage } from 'node:http';
import type { Codec } from '../../encoding/index.js';
import { KratosError } from '../../errors/index.js';

/** Keys that would reach an object's prototype if assigned; never bound from input. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const BODYLESS = new Set(['GET', 'HEAD', 'DELETE', 'OPTIONS']);

/**
 * True for a request that carries no body (a GET, HEAD, DELETE or OPTIONS without Content-Length or
 * Transfer-Encoding), which is then taken as read: its stream is read once now, before node has seen
 * its end. Without it node dumps the (empty) body when the reply finishes, and the dump's stream steps
 * (resume, end, destroy) cost eight `process.nextTick`s a request, each an async resource the ambient
 * context's hook copies its store into: about 3 µs of a 22 µs request on raw node:http with an
 * AsyncLocalStorage (docs/performance.md "The seventeenth round: a request without a body taken as
 * read"). A request read this way emits 'end' and 'close' only if something reads it again, as a
 * Readable does that is not read to its end.
 */
export function takenBodiless(req: IncomingMessage, method: string): boolean {
  const headers = req.headers;
  if (!BODYLESS.has(method) || headers['content-length'] !== undefined || headers['transfer-encoding'] !== undefined) return false;
  req.read();
  return true;
}

/**
 * Reads the whole body, failing with 413 past `limit` bytes without buffering the rest, and with 408
 * when it has not all arrived within `timeoutMs` (0: no deadline of its own).
 */
export function readBody(req: IncomingMessage, limit: number, timeoutMs = 0): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    const stop = (err: KratosError): void => {
      if (timer !== undefined) clearTimeout(timer);
      req.off('data', onData);
      req.pause();
      reject(err);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return stop(tooLarge(limit));
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (timer !== undefined) clearTimeout(timer);
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.once('error', reject);
    if (timeoutMs > 0 && !req.complete) timer = setTimeout(() => stop(new KratosError(408, 'REQUEST_TIMEOUT', `request body not received within ${timeoutMs}ms`)), timeoutMs);
  });
}

function tooLarge(limit: number): KratosError {
  return new KratosError(413, 'REQUEST_TOO_LARGE', `request body larger than ${limit} bytes`);
}

/**
 * Decodes a request body without a message type. An empty body is `{}` whatever the Content-Type; a
 * body with no registered codec is a 415, a body that does not decode to an object a 400 `CODEC`.
 */
export function decodePlainBody(raw: { body: Buffer; codec: Codec | undefined; contentType: string | undefined }): Record<string, unknown> {
  if (raw.body.length === 0) return {};
  if (raw.codec === undefined) throw unsupported(raw.contentType);
  const value = raw.codec.unmarshal(raw.body);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KratosError(400, 'CODEC', 'body unmarshal: the body must be an object');
  }
  return value as Record<string, unknown>;
}

/** The 415 for a body whose Content-Type no codec reads. */
export function unsupported(contentType: string | undefined): KratosError {
  return new KratosError(415, 'CODEC', `unsupported Content-Type: ${contentType ?? '(none)'}`);
}

/** Adds query parameters to `target` (repeated keys become arrays), skipping unsafe keys. */
export function bindQuery(target: Record<string, unknown>, querystring: string): void {
  if (querystring === '') return;
  const seen = new Set<string>();
  for (const [k, v] of new URLSearchParams(querystring)) {
    if (UNSAFE_KEYS.has(k)) continue;
    if (!seen.has(k)) {
      seen.add(k);
      target[k] = v;
      continue;
    }
    const prev = target[k];
    if (Array.isArray(prev)) prev.push(v);
    else target[k] = [prev, v];
  }
}

/** Adds path parameters to `target`, skipping unsafe keys. */
export function bindParams(target: Record<string, unknown>, params: Record<string, string>): void {
  for (const k in params) if (!UNSAFE_KEYS.has(k)) target[k] = params[k];
}

/** Codecs whose request bodies are refused unless the server's `markupBodies` option is on. */
const MARKUP_CODECS: ReadonlySet<string> = new Set(['yaml', 'xml']);
/** Default body limit of YAML and XML request bodies, bytes. */
export const DEFAULT_MARKUP_BODY_LIMIT = 32 * 1024;

/**
 * The body limit of YAML/XML requests from the `markupBodies` option; 0 when they are refused.
 * Off by default: their parsers cost far more per byte than JSON's (replies in them always work).
 */
export function markupLimit(option: boolean | { bodyLimit?: number }, bodyLimit: number): number {
  if (option === false) return 0;
  return Math.min(bodyLimit, (option === true ? undefined : option.bodyLimit) ?? DEFAULT_MARKUP_BODY_LIMIT);
}

/** How much of a body to read for its codec; a YAML/XML body on a server that refuses them is a 415. */
export function bodyLimitFor(codec: Codec | undefined, bodyLimit: number, markup: number): number {
  if (codec === undefined || !MARKUP_CODECS.has(codec.name)) return bodyLimit;
  if (markup === 0) throw new KratosError(415, 'CODEC', `${codec.name.toUpperCase()} request bodies are off; turn them on with the http option markupBodies`);
  return markup;
}

/** The 400 for a path parameter whose percent-encoding does not decode. */
export function badPercentEncoding(text: string): KratosError {
  const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text;
  return new KratosError(400, 'CODEC', `path parameter ${JSON.stringify(shown)} is not valid percent-encoding`);
}
