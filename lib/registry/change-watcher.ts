import type { ServiceInstance, Watcher } from './registry.js';

/**
 * A {@link Watcher} over any change signal: the first next() gives the current list when it is not
 * empty; later ones wait for `changed()` and list again. After stop(), next() gives an empty list.
 */
export function changeWatcher(list: () => Promise<ServiceInstance[]>, onStop: () => void | Promise<void>): { watcher: Watcher; changed: () => void } {
  let first = true;
  let pending = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  const changed = (): void => {
    pending = true;
    wake?.();
  };
  const watcher: Watcher = {
    next: async () => {
      if (first) {
        first = false;
        const now = await list();
        if (now.length > 0) return now;
      }
      while (!pending && !stopped) await new Promise<void>((r) => (wake = r));
      pending = false;
      return stopped ? [] : list();
    },
    stop: async () => {
      stopped = true;
      wake?.();
      await onStop();
    },
  };
  return { watcher, changed };
}
