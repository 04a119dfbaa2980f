import { Metadata } from '../call-metadata/index.js';
import { KratosError } from '../errors/index.js';
import { currentContext } from './context.js';
/**
 * The deadline of an outgoing call: `timeout` from now, but never later than the deadline of the
 * call being served, so time budgets shrink along a chain of services.
 */
export function outgoingDeadline(timeout) {
    const own = timeout > 0 ? Date.now() + timeout : undefined;
    const inherited = currentContext()?.deadline;
    if (inherited === undefined)
        return own;
    return own === undefined ? inherited : Math.min(own, inherited);
}
/** The context of one outgoing call, seen by client middleware. */
export class ClientContext {
    side = 'client';
    kind;
    operation;
    endpoint;
    requestHeader;
    replyHeader;
    deadline;
    metadata;
    #abort = new AbortController();
    #timer;
    constructor(kind, operation, endpoint, headers, deadline, options = {}) {
        const signal = options.signal;
        this.metadata = new Metadata(options.metadata);
        this.kind = kind;
        this.operation = operation;
        this.endpoint = endpoint;
        this.requestHeader = headers.request;
        this.replyHeader = headers.reply;
        this.deadline = deadline;
        if (signal !== undefined) {
            if (signal.aborted)
                this.#abort.abort(signal.reason);
            else
                signal.addEventListener('abort', () => this.#abort.abort(signal.reason), { once: true });
        }
        if (deadline !== undefined) {
            this.#timer = setTimeout(() => this.#abort.abort(new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded')), Math.max(0, deadline - Date.now()));
            this.#timer.unref();
        }
    }
    get signal() {
        return this.#abort.signal;
    }
    /** Stops the deadline timer once the call has settled. */
    done() {
        if (this.#timer !== undefined)
            clearTimeout(this.#timer);
    }
}
