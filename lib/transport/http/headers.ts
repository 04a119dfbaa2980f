import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Header } from '../context.js';

/** Request headers as a {@link Header}, read straight from node's already lower-cased object. */
export class RequestHeader implements Header {
  readonly #h: IncomingHttpHeaders;

  constructor(headers: IncomingHttpHeaders) {
    this.#h = headers;
  }

  get(key: string): string | undefined {
    const v = this.#h[key.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  set(key: string, value: string): void {
    this.#h[key.toLowerCase()] = value;
  }

  add(key: string, value: string): void {
    const k = key.toLowerCase();
    const v = this.#h[k];
    this.#h[k] = v === undefined ? value : Array.isArray(v) ? [...v, value] : [v, value];
  }

  keys(): string[] {
    return Object.keys(this.#h);
  }

  values(key: string): string[] {
    const v = this.#h[key.toLowerCase()];
    return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
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
