import type { IncomingMessage } from 'node:http';
import { KratosError } from '../../errors/index.js';

/** Keys that would reach an object's prototype if assigned; never bound from input. */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const UNSAFE_TEXT = /__proto__|constructor|prototype/;

function stripUnsafe(key: string, value: unknown): unknown {
  return UNSAFE_KEYS.has(key) ? undefined : value;
}

/** Reads the whole body, failing with 413 past `limit` bytes without buffering the rest. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

function tooLarge(limit: number): KratosError {
  return new KratosError(413, 'REQUEST_TOO_LARGE', `request body larger than ${limit} bytes`);
}

/** The subtype of a Content-Type (`application/json; charset=utf-8` -> `json`), as Kratos reads it (§2.3). */
export function contentSubtype(contentType: string | undefined): string {
  if (contentType === undefined) return '';
  const slash = contentType.indexOf('/');
  const semi = contentType.indexOf(';');
  return contentType.slice(slash + 1, semi === -1 ? undefined : semi).trim().toLowerCase();
}

/**
 * Decodes a JSON request body into an object. An empty body is `{}` whatever the Content-Type; a
 * body in another format is a 415, a body that is not a JSON object a 400 `CODEC`.
 */
export function decodeJsonBody(contentType: string | undefined, body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  const sub = contentSubtype(contentType);
  if (contentType !== undefined && sub !== 'json' && !sub.endsWith('+json')) {
    throw new KratosError(415, 'CODEC', `unsupported Content-Type: ${contentType}`);
  }
  const text = body.toString('utf8');
  let value: unknown;
  try {
    value = UNSAFE_TEXT.test(text) ? JSON.parse(text, stripUnsafe) : JSON.parse(text);
  } catch (err) {
    throw new KratosError(400, 'CODEC', `body unmarshal: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new KratosError(400, 'CODEC', 'body unmarshal: the body must be a JSON object');
  }
  return value as Record<string, unknown>;
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
