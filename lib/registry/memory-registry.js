import { changeWatcher } from './change-watcher.js';
/** A registry in this process, for tests and single-process setups; share one instance between apps. */
export class MemoryRegistry {
    #services = new Map();
    #waiters = new Map();
    async register(instance) {
        let m = this.#services.get(instance.name);
        if (m === undefined)
            this.#services.set(instance.name, (m = new Map()));
        m.set(instance.id, structuredClone(instance));
        this.#notify(instance.name);
    }
    async deregister(instance) {
        this.#services.get(instance.name)?.delete(instance.id);
        this.#notify(instance.name);
    }
    async getService(name) {
        return [...(this.#services.get(name)?.values() ?? [])].map((i) => structuredClone(i));
    }
    async watch(name) {
        let set = this.#waiters.get(name);
        if (set === undefined)
            this.#waiters.set(name, (set = new Set()));
        const waiters = set;
        const { watcher, changed } = changeWatcher(() => this.getService(name), () => void waiters.delete(changed));
        waiters.add(changed);
        return watcher;
    }
    #notify(name) {
        for (const w of this.#waiters.get(name) ?? [])
            w();
    }
}
