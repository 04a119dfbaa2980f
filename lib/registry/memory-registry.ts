import { changeWatcher } from './change-watcher.js';
import type { Discovery, Registrar, ServiceInstance, Watcher } from './registry.js';

/** A registry in this process, for tests and single-process setups; share one instance between apps. */
export class MemoryRegistry implements Registrar, Discovery {
  readonly #services = new Map<string, Map<string, ServiceInstance>>();
  readonly #waiters = new Map<string, Set<() => void>>();

  async register(instance: ServiceInstance): Promise<void> {
    let m = this.#services.get(instance.name);
    if (m === undefined) this.#services.set(instance.name, (m = new Map()));
    m.set(instance.id, structuredClone(instance));
    this.#notify(instance.name);
  }

  async deregister(instance: ServiceInstance): Promise<void> {
    this.#services.get(instance.name)?.delete(instance.id);
    this.#notify(instance.name);
  }

  async getService(name: string): Promise<ServiceInstance[]> {
    return [...(this.#services.get(name)?.values() ?? [])].map((i) => structuredClone(i));
  }

  async watch(name: string): Promise<Watcher> {
    let set = this.#waiters.get(name);
    if (set === undefined) this.#waiters.set(name, (set = new Set()));
    const waiters = set;
    const { watcher, changed } = changeWatcher(() => this.getService(name), () => void waiters.delete(changed));
    waiters.add(changed);
    return watcher;
  }

  #notify(name: string): void {
    for (const w of this.#waiters.get(name) ?? []) w();
  }
}
