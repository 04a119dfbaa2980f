import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Header } from '../context.js';

/** Request headers as a {@link Header}, read straight from node's already lower-cased object. */
export class RequestHeader implements Header {
  readonly #h: IncomingHttpHeaders;
  /** The request, whose headersDistinct keeps each value of a header sent twice (`#h` joins them). */
  readonly #req: Pick<IncomingMessage, 'headersDistinct'> | undefined;
  /** Keys set or added here, whose values `#h` now holds. */
  #touched: Set<string> | undefined;

  constructor(headers: IncomingHttpHeaders, req?: Pick<IncomingMessage, 'headersDistinct'>) {
    this.#h = headers;
    this.#req = req;
  }

  get(key: string): string | undefined {
    const v = this.#h[key.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  set(key: string, value: string): void {
    const k = key.toLowerCase();
    (this.#touched ??= new Set()).add(k);
    this.#h[k] = value;
  }

  add(key: string, value: string): void {
    const k = key.toLowerCase();
    const values = this.values(k);
    (this.#touched ??= new Set()).add(k);
    this.#h[k] = values.length === 0 ? value : [...values, value];
  }

  keys(): string[] {
    return Object.keys(this.#h);
  }

  values(key: string): string[] {
    const k = key.toLowerCase();
    const v = this.#h[k];
    if (v === undefined) return [];
    if (Array.isArray(v)) return [...v];
    // Only a joined value can hide several: the distinct list is built by node on first use.
    if (this.#req !== undefined && v.includes(',') && this.#touched?.has(k) !== true) return [...(this.#req.headersDistinct[k] ?? [v])];
    return [v];
  }
}

/** Reply headers as a {@link Header}, written to the response as they are set. */
export class ReplyHeader implements Header {
  readonly #res: ServerResponse;

  constructor(res: ServerResponse) {
    this.#res = res;
  }

  get(key: string): string | undefined {
    return this.values(key)[0];
  }

  set(key: string, value: string): void {
    if (!this.#res.headersSent) this.#res.setHeader(key, value);
  }

  add(key: string, value: string): void {
    if (!this.#res.headersSent) this.#res.appendHeader(key, value);
  }

  keys(): string[] {
    return this.#res.getHeaderNames();
  }

  values(key: string): string[] {
    const v = this.#res.getHeader(key);
    return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
  }
}
