import { FrameworkError } from '../errors/index.js';
import { HOOK_NAMES } from './options.js';
/** Application hooks checked at creation: unknown names and non-functions fail with a coded error. */
export class Hooks {
    #hooks = new Map(HOOK_NAMES.map((n) => [n, []]));
    constructor(hooks = {}) {
        for (const [name, value] of Object.entries(hooks)) {
            for (const fn of Array.isArray(value) ? value : [value])
                this.add(name, fn);
        }
    }
    add(name, fn) {
        const list = this.#hooks.get(name);
        if (list === undefined) {
            throw new FrameworkError('KRATOS_ERR_HOOK_INVALID', `unknown hook '${name}'; known: ${HOOK_NAMES.join(', ')}`);
        }
        if (typeof fn !== 'function') {
            throw new FrameworkError('KRATOS_ERR_HOOK_INVALID', `hook '${name}' is ${typeof fn}, not a function`);
        }
        list.push(fn);
    }
    /** Runs the hooks of `name` in order; the first failure stops the rest. */
    async run(name, app) {
        for (const fn of this.#hooks.get(name) ?? [])
            await fn(app);
    }
}
