const ACTIVE = Symbol('kratos-ts/http/active');
/** Knows which connections are busy, so a graceful stop can close idle ones and wait for the rest. */
export class ConnectionTracker {
    #sockets = new Set();
    #server;
    #closing = false;
    constructor(server) {
        this.#server = server;
        server.on('connection', (s) => {
            s[ACTIVE] = 0;
            this.#sockets.add(s);
            s.once('close', () => this.#sockets.delete(s));
        });
        server.on('request', (req, res) => {
            const s = req.socket;
            s[ACTIVE] = (s[ACTIVE] ?? 0) + 1;
            // 'close' fires once per response, finished or not; counting 'finish' too would end a
            // socket early while a pipelined request on it is still being served.
            res.once('close', () => this.#done(s));
        });
    }
    /** Closes every connection with no request in flight, now and as each one goes idle. */
    closeIdle() {
        this.#closing = true;
        this.#server.closeIdleConnections();
        for (const s of this.#sockets)
            if (s[ACTIVE] === 0)
                s.end();
    }
    /** Destroys every connection left (the drain deadline passed). */
    destroyAll() {
        for (const s of this.#sockets)
            s.destroy();
    }
    #done(s) {
        s[ACTIVE] = Math.max(0, (s[ACTIVE] ?? 1) - 1);
        if (this.#closing && s[ACTIVE] === 0)
            setImmediate(() => s[ACTIVE] === 0 && s.end());
    }
}
