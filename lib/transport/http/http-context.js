import { Metadata } from '../../call-metadata/index.js';
import { ReplyHeader, RequestHeader } from './headers.js';
/** Reason given to the signal when a request's deadline passes. */
export const TIMEOUT_REASON = 'request timeout';
/**
 * The context of one HTTP request. A class, not a literal, so every request has the same shape, and
 * headers and the AbortController are made only when something asks for them.
 */
export class HttpContext {
    kind = 'http';
    side = 'server';
    operation;
    endpoint;
    deadline;
    req;
    res;
    /** Set when the deadline passed or the client went away; the reply is then not written. */
    abandoned;
    /** Why binding the request failed, for the route's onBindError chain. */
    bindError;
    /** Called on expiry by the server's deadline queue. */
    onExpire;
    prev;
    next;
    queued = false;
    #requestHeader;
    #replyHeader;
    #abort;
    #metadata;
    constructor(req, res, operation, endpoint, deadline) {
        this.req = req;
        this.res = res;
        this.operation = operation;
        this.endpoint = endpoint;
        this.deadline = deadline;
    }
    get requestHeader() {
        return (this.#requestHeader ??= new RequestHeader(this.req.headers));
    }
    get replyHeader() {
        return (this.#replyHeader ??= new ReplyHeader(this.res));
    }
    get metadata() {
        return (this.#metadata ??= new Metadata());
    }
    get signal() {
        this.#abort ??= new AbortController();
        if (this.abandoned !== undefined && !this.#abort.signal.aborted)
            this.#abort.abort(this.#reason());
        return this.#abort.signal;
    }
    /** Marks the request abandoned and aborts the signal if anyone holds it. */
    abandon(why) {
        if (this.abandoned !== undefined)
            return;
        this.abandoned = why;
        this.#abort?.abort(this.#reason());
    }
    expire() {
        this.abandon('timeout');
        this.onExpire?.(this);
    }
    #reason() {
        const e = new Error(this.abandoned === 'timeout' ? TIMEOUT_REASON : 'client closed request');
        e.name = this.abandoned === 'timeout' ? 'TimeoutError' : 'AbortError';
        return e;
    }
}
