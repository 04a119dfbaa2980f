/** A {@link Header} over a plain lower-cased record, used where no transport object backs the headers. */
export class MapHeader {
    #entries = new Map();
    constructor(init) {
        if (init === undefined)
            return;
        for (const [key, value] of Object.entries(init)) {
            if (value === undefined)
                continue;
            for (const v of Array.isArray(value) ? value : [value])
                this.add(key, v);
        }
    }
    get(key) {
        return this.#entries.get(key.toLowerCase())?.[0];
    }
    set(key, value) {
        this.#entries.set(key.toLowerCase(), [value]);
    }
    add(key, value) {
        const k = key.toLowerCase();
        const list = this.#entries.get(k);
        if (list === undefined)
            this.#entries.set(k, [value]);
        else
            list.push(value);
    }
    keys() {
        return [...this.#entries.keys()];
    }
    values(key) {
        return [...(this.#entries.get(key.toLowerCase()) ?? [])];
    }
}
