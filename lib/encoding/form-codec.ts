import type protobuf from 'protobufjs';
import type { Codec } from './codec.js';
import { checkFormBudget, decodeForm } from './form-decode.js';
import { DEFAULT_DECODE_LIMITS, type DecodeLimits } from './limits.js';
import { encodeForm } from './form-encode.js';
import { isUnsafeKey } from './safe-keys.js';
import { bodyText } from './text.js';

/** Untyped values flatten to `a.b=1`; lists repeat their key; nulls and empty strings are left out. */
function appendPlain(out: URLSearchParams, key: string, value: unknown): void {
  if (value === null || value === undefined || value === '') return;
  if (Array.isArray(value)) {
    for (const item of value) appendPlain(out, key, item);
  } else if (value instanceof Uint8Array) {
    out.append(key, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url'));
  } else if (value instanceof Date) {
    out.append(key, value.toISOString());
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!isUnsafeKey(k)) appendPlain(out, key === '' ? k : `${key}.${k}`, v);
  } else {
    out.append(key, String(value));
  }
}

/** `application/x-www-form-urlencoded`, with Kratos' proto field mapping (docs/proto-first.md#http-from-googleapihttp) for messages. */
export class FormCodec implements Codec {
  readonly name = 'x-www-form-urlencoded';
  readonly contentType = 'application/x-www-form-urlencoded';
  readonly #limits: DecodeLimits;

  /** `limits`: what one body may cost to decode (see {@link DecodeLimits}). */
  constructor(limits: DecodeLimits = DEFAULT_DECODE_LIMITS) {
    this.#limits = limits;
  }

  marshal(value: unknown, type?: protobuf.Type): Buffer {
    if (type !== undefined) return Buffer.from(encodeForm(type, (value ?? {}) as Record<string, unknown>).toString(), 'utf8');
    const out = new URLSearchParams();
    appendPlain(out, '', value);
    return Buffer.from(out.toString(), 'utf8');
  }

  unmarshal(data: Buffer, type?: protobuf.Type): unknown {
    const text = bodyText(data);
    checkFormBudget(text, this.#limits);
    const params = new URLSearchParams(text);
    if (type !== undefined) return decodeForm(type, params, undefined, this.#limits);
    const out: Record<string, unknown> = {};
    for (const [key, value] of params) {
      if (isUnsafeKey(key)) continue;
      // hasOwn, not `out[key]`: names like 'toString' would otherwise find Object.prototype's.
      const previous = Object.hasOwn(out, key) ? out[key] : undefined;
      if (previous === undefined) out[key] = value;
      else if (Array.isArray(previous)) previous.push(value);
      else out[key] = [previous, value];
    }
    return out;
  }
}
