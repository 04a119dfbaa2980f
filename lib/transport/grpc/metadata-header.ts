import { Metadata } from '@grpc/grpc-js';
import type { Header } from '../context.js';

type MetadataValue = string | Buffer;

/**
 * grpc-js' own map of a Metadata (key -> values, keys lower-cased), when it has one: reading it
 * directly spares the copies its public getters make (getMap() copies every first value, get() makes
 * an empty array for an absent key). undefined: use the public API.
 */
function entriesOf(metadata: Metadata): Map<string, MetadataValue[]> | undefined {
  const repr = (metadata as unknown as { internalRepr?: unknown }).internalRepr;
  return repr instanceof Map ? (repr as Map<string, MetadataValue[]>) : undefined;
}

// Keys read per call (traceparent, tracestate, baggage, x-md-*) are the same few strings: each is
// lower-cased once. V8's toLowerCase copies even a string with nothing to change (about 30 bytes a key
// a call); a Map lookup is also faster than it. Bounded, so keys a client chooses cannot grow it.
const LOWER = new Map<string, string>();
const MAX_LOWER = 256;

function lowerCased(key: string): string {
  let k = LOWER.get(key);
  if (k === undefined) {
    k = key.toLowerCase();
    if (LOWER.size < MAX_LOWER) LOWER.set(key, k);
  }
  return k;
}

/** gRPC metadata as a {@link Header}; binary (`-bin`) entries are read as base64 strings. */
export class MetadataHeader implements Header {
  readonly metadata: Metadata;
  readonly #entries: Map<string, MetadataValue[]> | undefined;

  constructor(metadata: Metadata = new Metadata()) {
    this.metadata = metadata;
    this.#entries = entriesOf(metadata);
  }

  get(key: string): string | undefined {
    // Read per call (traceparent, tracestate, baggage, x-md-*): the first value only, no array.
    const k = lowerCased(key);
    const first = this.#entries === undefined ? this.metadata.get(k)[0] : this.#entries.get(k)?.[0];
    return first === undefined || typeof first === 'string' ? first : first.toString('base64');
  }

  set(key: string, value: string): void {
    const k = key.toLowerCase();
    if (k.endsWith('-bin')) this.metadata.set(k, Buffer.from(value, 'base64'));
    else this.metadata.set(k, value);
  }

  add(key: string, value: string): void {
    const k = key.toLowerCase();
    if (k.endsWith('-bin')) this.metadata.add(k, Buffer.from(value, 'base64'));
    else this.metadata.add(k, value);
  }

  keys(): string[] {
    // Per call the metadata middleware looks for x-md-*: the names, without getMap()'s copies.
    if (this.#entries === undefined) return Object.keys(this.metadata.getMap());
    const keys: string[] = [];
    for (const [key, values] of this.#entries) if (values.length > 0) keys.push(key);
    return keys;
  }

  /** The keys in place (a call's scan for `x-md-*`), without an array of them; a key may have no value left. */
  keyIterator(): IterableIterator<string> | undefined {
    return this.#entries?.keys();
  }

  values(key: string): string[] {
    return this.metadata.get(key.toLowerCase()).map((v) => (typeof v === 'string' ? v : v.toString('base64')));
  }

  /** Whether anything was set. */
  get empty(): boolean {
    return this.keys().length === 0;
  }
}
