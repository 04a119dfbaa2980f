import { createHook } from 'node:async_hooks';

/** Counts the promises the process makes from its construction until {@link stop} (an async_hooks init hook). */
export class PromiseCounter {
  made = 0;
  readonly #hook = createHook({
    init: (_id, type) => {
      if (type === 'PROMISE') this.made++;
    },
  }).enable();

  /** Stops counting; returns how many were made. */
  stop(): number {
    this.#hook.disable();
    return this.made;
  }
}
