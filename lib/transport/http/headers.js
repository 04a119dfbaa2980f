/** Request headers as a {@link Header}, read straight from node's already lower-cased object. */
export class RequestHeader {
    #h;
    constructor(headers) {
        this.#h = headers;
    }
    get(key) {
        const v = this.#h[key.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
    }
    set(key, value) {
        this.#h[key.toLowerCase()] = value;
    }
    add(key, value) {
        const k = key.toLowerCase();
        const v = this.#h[k];
        this.#h[k] = v === undefined ? value : Array.isArray(v) ? [...v, value] : [v, value];
    }
    keys() {
        return Object.keys(this.#h);
    }
    values(key) {
        const v = this.#h[key.toLowerCase()];
        return v === undefined ? [] : Array.isArray(v) ? [...v] : [v];
    }
}
/** Reply headers as a {@link Header}, written to the response as they are set. */
export class ReplyHeader {
    #res;
    constructor(res) {
        this.#res = res;
    }
    get(key) {
        return this.values(key)[0];
    }
    set(key, value) {
        if (!this.#res.headersSent)
            this.#res.setHeader(key, value);
    }
    add(key, value) {
        if (!this.#res.headersSent)
            this.#res.appendHeader(key, value);
    }
    keys() {
        return this.#res.getHeaderNames();
    }
    values(key) {
        const v = this.#res.getHeader(key);
        return v === undefined ? [] : Array.isArray(v) ? v.map(String) : [String(v)];
    }
}
