import { Metadata } from '../../call-metadata/index.js';
import { MetadataHeader } from './metadata-header.js';
/**
 * The context of one gRPC call on the server. Headers, metadata and the AbortController are made only
 * when something asks for them: most calls never do.
 */
export class GrpcContext {
    kind = 'grpc';
    side = 'server';
    operation;
    endpoint;
    deadline;
    #incoming;
    #abort;
    #reason;
    #requestHeader;
    #replyHeader;
    #metadata;
    /** Set once reply headers went out, so later changes are not sent twice. */
    headersSent = false;
    /** Called when the deadline passes (after the signal is aborted). */
    onExpire;
    /** Listens for the client's cancellation while the call runs. */
    onCancelled;
    /** A timer of its own, for a client deadline earlier than the server's timeout. */
    timer;
    prev;
    next;
    queued = false;
    constructor(operation, endpoint, incoming, deadline) {
        this.operation = operation;
        this.endpoint = endpoint;
        this.#incoming = incoming;
        this.deadline = deadline;
    }
    get requestHeader() {
        return (this.#requestHeader ??= new MetadataHeader(this.#incoming));
    }
    get replyHeader() {
        return (this.#replyHeader ??= new MetadataHeader());
    }
    /** The reply headers if any were set, without making them. */
    get replyHeaderIfSet() {
        return this.#replyHeader === undefined || this.#replyHeader.empty ? undefined : this.#replyHeader;
    }
    get metadata() {
        return (this.#metadata ??= new Metadata());
    }
    get signal() {
        this.#abort ??= new AbortController();
        if (this.#reason !== undefined && !this.#abort.signal.aborted)
            this.#abort.abort(this.#reason);
        return this.#abort.signal;
    }
    /** Whether the call was cancelled or passed its deadline. */
    get aborted() {
        return this.#reason !== undefined;
    }
    /** Aborts the call's signal (cancelled by the client, or past its deadline). */
    abort(reason) {
        if (this.#reason !== undefined)
            return;
        this.#reason = reason;
        this.#abort?.abort(reason);
    }
    expire() {
        this.onExpire?.();
    }
}
