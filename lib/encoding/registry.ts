import { FrameworkError } from '../errors/index.js';
import type { Codec } from './codec.js';

/** Subtype every negotiation falls back to, as in Kratos. */
export const DEFAULT_SUBTYPE = 'json';

/** The subtype of one media type: text between the first '/' and the first ';', trimmed, lower-cased. */
function subtypeOf(mediaType: string): string {
  const slash = mediaType.indexOf('/');
  const rest = slash < 0 ? mediaType : mediaType.slice(slash + 1);
  const semi = rest.indexOf(';');
  return (semi < 0 ? rest : rest.slice(0, semi)).trim().toLowerCase();
}

/** The type before the '/', lower-cased ('application'); '*' is never mirrored. */
function mainTypeOf(mediaType: string): string {
  const main = mediaType.slice(0, mediaType.indexOf('/')).trim().toLowerCase();
  return main === '' || main === '*' ? 'application' : main;
}

const ACCEPT_CACHE_SIZE = 64;

/** The codec an Accept header chose, and the Content-Type its reply carries. */
export interface Negotiated {
  readonly codec: Codec;
  /** `application/<subtype the client named>` (`application/proto` stays `proto`), else the codec's own. */
  readonly contentType: string;
}

/**
 * Codecs by content subtype (docs/proto-first.md#codecs). Unlike Kratos' process-wide table, each server or client owns
 * a registry, so registering a codec in one place cannot change another's wire format.
 */
export class CodecRegistry {
  readonly #codecs = new Map<string, Codec>();
  readonly #byAccept = new Map<string, Negotiated>();

  /** Registers `codec` under its lower-cased name and each alias; a later registration replaces. */
  register(codec: Codec, ...aliases: string[]): void {
    if (typeof codec?.name !== 'string' || codec.name.trim() === '') {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'a codec must have a non-empty name');
    }
    for (const key of [codec.name, ...aliases]) {
      if (key.trim() === '') throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `empty alias for codec "${codec.name}"`);
      this.#codecs.set(key.trim().toLowerCase(), codec);
    }
    this.#byAccept.clear();
  }

  /** The codec registered for a subtype ('json', 'x-protobuf', ...), case-insensitively. */
  get(subtype: string): Codec | undefined {
    return this.#codecs.get(subtype.trim().toLowerCase());
  }

  /**
   * Codec for a request Content-Type header value; structured-syntax types such as
   * `application/problem+json` use their suffix's codec. undefined if none registered.
   */
  forContentType(contentType: string | undefined): Codec | undefined {
    if (contentType === undefined || contentType.trim() === '') return undefined;
    return this.#forSubtype(subtypeOf(contentType));
  }

  /**
   * Codec for an Accept header: the first listed media type whose subtype is registered (listed
   * order, q-values ignored as Kratos does); `*\/*`, nothing or nothing known -> json.
   */
  forAccept(accept: string | undefined): Codec {
    return this.negotiate(accept).codec;
  }

  /**
   * The codec for an Accept header (as {@link forAccept}) and the reply's Content-Type, whose subtype
   * mirrors the one the client named: `application/proto` in, `application/proto` out, and
   * `application/x-protobuf` in, `application/x-protobuf` out (a Kratos client picks its decoder by it).
   */
  negotiate(accept: string | undefined): Negotiated {
    // Clients send the same few Accept values on every request: remember what each one chose.
    const key = accept ?? '';
    let chosen = this.#byAccept.get(key);
    if (chosen === undefined) {
      chosen = this.#chooseForAccept(accept);
      if (this.#byAccept.size >= ACCEPT_CACHE_SIZE) this.#byAccept.clear();
      this.#byAccept.set(key, chosen);
    }
    return chosen;
  }

  #chooseForAccept(accept: string | undefined): Negotiated {
    for (const part of (accept ?? '').split(',')) {
      const subtype = subtypeOf(part);
      const codec = this.#forSubtype(subtype);
      if (codec === undefined) continue;
      // Only a name the codec is registered under is mirrored; `problem+json` gets the codec's own type.
      const named = this.#codecs.get(subtype) === codec && part.includes('/');
      return { codec, contentType: named ? `${mainTypeOf(part)}/${subtype}` : codec.contentType };
    }
    const fallback = this.#codecs.get(DEFAULT_SUBTYPE);
    if (fallback === undefined) {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `no "${DEFAULT_SUBTYPE}" codec registered to fall back to`);
    }
    return { codec: fallback, contentType: fallback.contentType };
  }

  #forSubtype(subtype: string): Codec | undefined {
    if (subtype === '' || subtype === '*') return undefined;
    const direct = this.#codecs.get(subtype);
    if (direct !== undefined) return direct;
    const plus = subtype.lastIndexOf('+');
    return plus < 0 ? undefined : this.#codecs.get(subtype.slice(plus + 1));
  }
}
