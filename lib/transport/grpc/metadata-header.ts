import { Metadata } from '@grpc/grpc-js';
import type { Header } from '../context.js';

/** gRPC metadata as a {@link Header}; binary (`-bin`) entries are read as base64 strings. */
export class MetadataHeader implements Header {
  readonly metadata: Metadata;

  constructor(metadata: Metadata = new Metadata()) {
    this.metadata = metadata;
  }

  get(key: string): string | undefined {
    // Read per call (traceparent, x-md-*): the first value only, no array of converted copies.
    const first = this.metadata.get(key.toLowerCase())[0];
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
    // grpc-js' getMap() copies the first value of every key (Buffers too) for a list of names: read
    // the keys of its map instead (per call: the metadata middleware looks for x-md-*).
    const repr = (this.metadata as unknown as { internalRepr?: unknown }).internalRepr;
    if (!(repr instanceof Map)) return Object.keys(this.metadata.getMap());
    const keys: string[] = [];
    for (const [key, values] of repr as Map<string, unknown[]>) if (Array.isArray(values) && values.length > 0) keys.push(key);
    return keys;
  }

  values(key: string): string[] {
    return this.metadata.get(key.toLowerCase()).map((v) => (typeof v === 'string' ? v : v.toString('base64')));
  }

  /** Whether anything was set. */
  get empty(): boolean {
    return this.keys().length === 0;
  }
}
