import { KratosError } from '../../errors/index.js';
/** Keys that would reach an object's prototype if assigned; never bound from input. */
export const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Reads the whole body, failing with 413 past `limit` bytes without buffering the rest. */
export function readBody(req, limit) {
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limit)
        return Promise.reject(tooLarge(limit));
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        const onData = (chunk) => {
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
        req.once('end', () => resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
        req.once('error', reject);
    });
}
function tooLarge(limit) {
    return new KratosError(413, 'REQUEST_TOO_LARGE', `request body larger than ${limit} bytes`);
}
/**
 * Decodes a request body without a message type. An empty body is `{}` whatever the Content-Type; a
 * body with no registered codec is a 415, a body that does not decode to an object a 400 `CODEC`.
 */
export function decodePlainBody(raw) {
    if (raw.body.length === 0)
        return {};
    if (raw.codec === undefined)
        throw unsupported(raw.contentType);
    const value = raw.codec.unmarshal(raw.body);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new KratosError(400, 'CODEC', 'body unmarshal: the body must be an object');
    }
    return value;
}
/** The 415 for a body whose Content-Type no codec reads. */
export function unsupported(contentType) {
    return new KratosError(415, 'CODEC', `unsupported Content-Type: ${contentType ?? '(none)'}`);
}
/** Adds query parameters to `target` (repeated keys become arrays), skipping unsafe keys. */
export function bindQuery(target, querystring) {
    if (querystring === '')
        return;
    const seen = new Set();
    for (const [k, v] of new URLSearchParams(querystring)) {
        if (UNSAFE_KEYS.has(k))
            continue;
        if (!seen.has(k)) {
            seen.add(k);
            target[k] = v;
            continue;
        }
        const prev = target[k];
        if (Array.isArray(prev))
            prev.push(v);
        else
            target[k] = [prev, v];
    }
}
/** Adds path parameters to `target`, skipping unsafe keys. */
export function bindParams(target, params) {
    for (const k in params)
        if (!UNSAFE_KEYS.has(k))
            target[k] = params[k];
}
