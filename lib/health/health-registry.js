import { FrameworkError } from '../errors/index.js';
/** Default {@link HealthRegistryOptions.timeoutMs}. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 1000;
function down(message) {
    return { status: 'down', details: { error: message } };
}
function isResult(value) {
    const status = value?.status;
    return status === 'up' || status === 'down';
}
/**
 * Liveness and readiness of an app (§13; Kratos v2 has no HTTP health, so the shape is ours). The app
 * calls {@link HealthRegistry.setReady} around start and stop; indicators add dependency checks.
 */
export class HealthRegistry {
    #indicators = new Map();
    #timeoutMs;
    #ready;
    constructor(options = {}) {
        this.#timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
        this.#ready = options.ready ?? false;
        if (!(this.#timeoutMs > 0)) {
            throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `health timeoutMs must be a positive number, got ${this.#timeoutMs}`);
        }
    }
    /** Adds a check; names must be unique. */
    add(indicator) {
        if (this.#indicators.has(indicator.name)) {
            throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `health indicator '${indicator.name}' is already registered`);
        }
        this.#indicators.set(indicator.name, indicator);
        return this;
    }
    /** Marks the app ready (started) or not (starting, draining). */
    setReady(ready) {
        this.#ready = ready;
    }
    /** Liveness: the process answers, so it is up; restarts are for hung processes, not failing dependencies. */
    live() {
        return { status: 'up' };
    }
    /** Runs every check concurrently, each bounded by the timeout; a throw or a timeout counts as down. */
    async ready() {
        const entries = await Promise.all([...this.#indicators.values()].map(async (i) => [i.name, await this.#check(i)]));
        const checks = {};
        let up = this.#ready;
        for (const [name, result] of entries) {
            checks[name] = result;
            if (result.status !== 'up')
                up = false;
        }
        return { status: up ? 'up' : 'down', checks };
    }
    async #check(indicator) {
        let timer;
        const timeout = new Promise((resolve) => {
            // Not unref'd: a caller awaiting the report must get it even if nothing else keeps the loop alive.
            timer = setTimeout(() => resolve(down(`timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs);
        });
        try {
            const result = await Promise.race([Promise.resolve().then(() => indicator.check()), timeout]);
            return isResult(result) ? result : down('check returned no status');
        }
        catch (err) {
            return down(err instanceof Error ? err.message : String(err));
        }
        finally {
            clearTimeout(timer);
        }
    }
}
