import { FrameworkError } from '../errors/index.js';
import { HOOK_NAMES, type AppInfo, type Hook, type HookName } from './options.js';

/** Application hooks checked at creation: unknown names and non-functions fail with a coded error. */
export class Hooks {
  readonly #hooks = new Map<HookName, Hook[]>(HOOK_NAMES.map((n) => [n, []]));

  constructor(hooks: Partial<Record<string, Hook | Hook[]>> = {}) {
    for (const [name, value] of Object.entries(hooks)) {
      for (const fn of Array.isArray(value) ? value : [value]) this.add(name, fn);
    }
  }

  add(name: string, fn: unknown): void {
    const list = this.#hooks.get(name as HookName);
    if (list === undefined) {
      throw new FrameworkError('KRATOS_ERR_HOOK_INVALID', `unknown hook '${name}'; known: ${HOOK_NAMES.join(', ')}`);
    }
    if (typeof fn !== 'function') {
      throw new FrameworkError('KRATOS_ERR_HOOK_INVALID', `hook '${name}' is ${typeof fn}, not a function`);
    }
    list.push(fn as Hook);
  }

  /** Runs the hooks of `name` in order; the first failure stops the rest. */
  async run(name: HookName, app: AppInfo): Promise<void> {
    for (const fn of this.#hooks.get(name) ?? []) await fn(app);
  }
}
