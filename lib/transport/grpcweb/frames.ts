import { KratosError } from '../../errors/index.js';

/** Flag bit of a gRPC-Web frame that carries trailers instead of a message. */
export const TRAILER_FLAG = 0x80;
const COMPRESSED_FLAG = 0x01;
const HEADER_BYTES = 5;

/** One length-prefixed frame: the flag byte, the big-endian length, the payload. */
export function frame(flag: number, payload: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out[0] = flag;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, HEADER_BYTES);
  return out;
}

/**
 * The trailer frame (gRPC-Web spec: trailers travel in the body, flag 0x80, as HTTP/1 header lines).
 * Keys are lower case; `-bin` values are base64 as in gRPC over HTTP/2.
 */
export function trailerFrame(trailers: ReadonlyArray<readonly [string, string]>): Buffer {
  let text = '';
  for (const [k, v] of trailers) text += `${k}:${v}\r\n`;
  return frame(TRAILER_FLAG, Buffer.from(text, 'latin1'));
}

/** The message payloads of a request body; a truncated, compressed or trailer frame is a 400-class error. */
export function messages(body: Buffer, maxMessage: number): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < body.length) {
    if (body.length - at < HEADER_BYTES) throw malformed('a frame header is cut short');
    const flag = body[at] as number;
    const len = body.readUInt32BE(at + 1);
    if (len > maxMessage) throw new KratosError(413, 'RESOURCE_EXHAUSTED', `message larger than ${maxMessage} bytes`);
    if (at + HEADER_BYTES + len > body.length) throw malformed(`a frame declares ${len} bytes but ${body.length - at - HEADER_BYTES} follow`);
    if ((flag & COMPRESSED_FLAG) !== 0) throw new KratosError(501, 'UNIMPLEMENTED', 'compressed gRPC-Web messages are not supported (send grpc-encoding identity)');
    if ((flag & TRAILER_FLAG) !== 0) throw malformed('a request carries no trailer frame');
    out.push(body.subarray(at + HEADER_BYTES, at + HEADER_BYTES + len));
    at += HEADER_BYTES + len;
  }
  return out;
}

function malformed(why: string): KratosError {
  return new KratosError(400, 'MALFORMED_FRAME', `gRPC-Web request body: ${why}`);
}

/**
 * Decodes a grpc-web-text body: base64 that may be several padded chunks one after another (a client
 * encodes each write on its own), so it is decoded chunk by chunk at each padding boundary.
 */
export function fromBase64Chunks(text: string): Buffer {
  const clean = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/=]*$/.test(clean)) throw malformed('grpc-web-text body is not base64');
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const quad = clean.slice(i, i + 4);
    if (quad.includes('=') || i + 4 >= clean.length) {
      parts.push(Buffer.from(clean.slice(start, i + 4), 'base64'));
      start = i + 4;
    }
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
}

const UNIT_MS: Readonly<Record<string, number>> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/** Milliseconds of a `grpc-timeout` header (`<1-8 digits><H|M|S|m|u|n>`); undefined when absent, an error when malformed. */
export function parseGrpcTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d{1,8})([HMSmun])$/.exec(value);
  if (m === null) throw new KratosError(400, 'BAD_TIMEOUT', `malformed grpc-timeout '${value}': want 1-8 digits and one of H M S m u n`);
  return Number(m[1]) * (UNIT_MS[m[2] as string] as number);
}

/** grpc-message is percent-encoded (gRPC over HTTP/2): everything outside printable ASCII, and '%'. */
export function encodeGrpcMessage(message: string): string {
  let out = '';
  for (const byte of Buffer.from(message, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
