/**
 * Expires entries whose deadlines arrive in insertion order (one fixed timeout per server), with one
 * timer for the whole queue instead of one per entry. Add and remove are O(1).
 */
export class DeadlineQueue {
    #head;
    #tail;
    #timer;
    #fire = () => this.#expireDue();
    add(e) {
        e.prev = this.#tail;
        e.next = undefined;
        e.queued = true;
        if (this.#tail === undefined)
            this.#head = e;
        else
            this.#tail.next = e;
        this.#tail = e;
        if (this.#timer === undefined)
            this.#arm(e.deadline ?? Infinity);
    }
    remove(e) {
        if (!e.queued)
            return;
        e.queued = false;
        if (e.prev === undefined)
            this.#head = e.next;
        else
            e.prev.next = e.next;
        if (e.next === undefined)
            this.#tail = e.prev;
        else
            e.next.prev = e.prev;
        e.prev = e.next = undefined;
        // The timer is left armed even when the queue empties: when it fires it finds nothing due and
        // stops, which is cheaper than clearing and re-arming it around every request.
    }
    /** Stops the timer; queued entries never expire. */
    close() {
        if (this.#timer !== undefined)
            clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#head = this.#tail = undefined;
    }
    #arm(deadline) {
        this.#timer = setTimeout(this.#fire, Math.min(2 ** 31 - 1, Math.max(0, deadline - Date.now())));
        this.#timer.unref();
    }
    #expireDue() {
        this.#timer = undefined;
        const now = Date.now();
        while (this.#head !== undefined && (this.#head.deadline ?? Infinity) <= now) {
            const e = this.#head;
            this.remove(e);
            e.expire();
        }
        if (this.#head !== undefined)
            this.#arm(this.#head.deadline ?? Infinity);
    }
}
