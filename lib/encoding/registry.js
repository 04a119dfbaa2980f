import { FrameworkError } from '../errors/index.js';
/** Subtype every negotiation falls back to, as in Kratos. */
export const DEFAULT_SUBTYPE = 'json';
/** The subtype of one media type: text between the first '/' and the first ';', trimmed, lower-cased. */
function subtypeOf(mediaType) {
    const slash = mediaType.indexOf('/');
    const rest = slash < 0 ? mediaType : mediaType.slice(slash + 1);
    const semi = rest.indexOf(';');
    return (semi < 0 ? rest : rest.slice(0, semi)).trim().toLowerCase();
}
const ACCEPT_CACHE_SIZE = 64;
/**
 * Codecs by content subtype (§10). Unlike Kratos' process-wide table, each server or client owns
 * a registry, so registering a codec in one place cannot change another's wire format.
 */
export class CodecRegistry {
    #codecs = new Map();
    #byAccept = new Map();
    /** Registers `codec` under its lower-cased name and each alias; a later registration replaces. */
    register(codec, ...aliases) {
        if (typeof codec?.name !== 'string' || codec.name.trim() === '') {
            throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'a codec must have a non-empty name');
        }
        for (const key of [codec.name, ...aliases]) {
            if (key.trim() === '')
                throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `empty alias for codec "${codec.name}"`);
            this.#codecs.set(key.trim().toLowerCase(), codec);
        }
        this.#byAccept.clear();
    }
    /** The codec registered for a subtype ('json', 'x-protobuf', ...), case-insensitively. */
    get(subtype) {
        return this.#codecs.get(subtype.trim().toLowerCase());
    }
    /**
     * Codec for a request Content-Type header value; structured-syntax types such as
     * `application/problem+json` use their suffix's codec. undefined if none registered.
     */
    forContentType(contentType) {
        if (contentType === undefined || contentType.trim() === '')
            return undefined;
        return this.#forSubtype(subtypeOf(contentType));
    }
    /**
     * Codec for an Accept header: the first listed media type whose subtype is registered (listed
     * order, q-values ignored as Kratos does); `*\/*`, nothing or nothing known -> json.
     */
    forAccept(accept) {
        // Clients send the same few Accept values on every request: remember what each one chose.
        const key = accept ?? '';
        let codec = this.#byAccept.get(key);
        if (codec === undefined) {
            codec = this.#chooseForAccept(accept);
            if (this.#byAccept.size >= ACCEPT_CACHE_SIZE)
                this.#byAccept.clear();
            this.#byAccept.set(key, codec);
        }
        return codec;
    }
    #chooseForAccept(accept) {
        for (const part of (accept ?? '').split(',')) {
            const codec = this.#forSubtype(subtypeOf(part));
            if (codec !== undefined)
                return codec;
        }
        const fallback = this.#codecs.get(DEFAULT_SUBTYPE);
        if (fallback === undefined) {
            throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `no "${DEFAULT_SUBTYPE}" codec registered to fall back to`);
        }
        return fallback;
    }
    #forSubtype(subtype) {
        if (subtype === '' || subtype === '*')
            return undefined;
        const direct = this.#codecs.get(subtype);
        if (direct !== undefined)
            return direct;
        const plus = subtype.lastIndexOf('+');
        return plus < 0 ? undefined : this.#codecs.get(subtype.slice(plus + 1));
    }
}
