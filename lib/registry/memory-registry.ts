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
    let first = true;
    let stopped = false;
    let wake: (() => void) | undefined;
    let changed = false;
    const onChange = (): void => {
      changed = true;
      wake?.();
    };
    let set = this.#waiters.get(name);
    if (set === undefined) this.#waiters.set(name, (set = new Set()));
    set.add(onChange);
    return {
      next: async () => {
        if (first) {
          first = false;
          const now = await this.getService(name);
          if (now.length > 0) return now;
        }
        while (!changed && !stopped) await new Promise<void>((r) => (wake = r));
        changed = false;
        return this.getService(name);
      },
      stop: async () => {
        stopped = true;
        set.delete(onChange);
        wake?.();
      },
    };
  }

  #notify(name: string): void {
    for (const w of this.#waiters.get(name) ?? []) w();
  }
}
