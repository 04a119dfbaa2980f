import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Header } from '../context.js';

/** Request headers as a {@link Header}, read straight from node's already lower-cased object. */
export class RequestHeader implements Header {
  readonly #h: IncomingHttpHeaders;
  /** Each value of a header sent more than once (node joins them into "a, b" in `#h`). */
  readonly #distinct: NodeJS.Dict<string[]> | undefined;

  constructor(headers: IncomingHttpHeaders, distinct?: NodeJS.Dict<string[]>) {
    this.#h = headers;
    this.#distinct = distinct;
  }

  get(key: string): string | undefined {
    const v = this.#h[key.toLowerCase()];
    return Array.isArray(v) ? v[0] : v;
  }

  set(key: string, value: string): void {
    const k = key.toLowerCase();
    this.#h[k] = value;
    if (this.#distinct !== undefined) this.#distinct[k] = [value];
  }

  add(key: string, value: string): void {
    const k = key.toLowerCase();
    const v = this.#h[k];
    this.#h[k] = v === undefined ? value : Array.isArray(v) ? [...v, value] : [v, value];
    if (this.#distinct !== undefined) this.#distinct[k] = [...(v === undefined ? [] : this.#distinct[k] ?? []), value];
  }

  keys(): string[] {
    return Object.keys(this.#h);
  }

  values(key: string): string[] {
    const k = key.toLowerCase();
    const d = this.#distinct?.[k];
    if (d !== undefined) return [...d];
    const v = this.#h[k];
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
