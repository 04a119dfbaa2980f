import { FrameworkError } from '../errors/index.js';

/** What one check found; `details` is free-form and shown on /readyz. */
export interface HealthResult {
  status: 'up' | 'down';
  details?: Record<string, unknown>;
}

/** A dependency whose state decides readiness (database, cache, downstream service). */
export interface HealthIndicator {
  /** Unique within a registry; the key of its result in the readiness report. */
  name: string;
  check(): Promise<HealthResult> | HealthResult;
}

/** The readiness answer: down when the app is not ready or any check is down. */
export interface ReadinessReport {
  status: 'up' | 'down';
  checks: Record<string, HealthResult>;
}

/** Options of {@link HealthRegistry}. */
export interface HealthRegistryOptions {
  /** Milliseconds a check may take before it counts as down; default 1000. */
  timeoutMs?: number;
  /** Initial readiness; default false, as Kratos' gRPC health serves NOT_SERVING until the app starts. */
  ready?: boolean;
}

/** Default {@link HealthRegistryOptions.timeoutMs}. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 1000;

function down(message: string): HealthResult {
  return { status: 'down', details: { error: message } };
}

function isResult(value: unknown): value is HealthResult {
  const status = (value as HealthResult | undefined)?.status;
  return status === 'up' || status === 'down';
}

/**
 * Liveness and readiness of an app (docs/observability.md#health-and-readiness; Kratos v2 has no HTTP health, so the shape is ours). The app
 * calls {@link HealthRegistry.setReady} around start and stop; indicators add dependency checks.
 */
export class HealthRegistry {
  readonly #indicators = new Map<string, HealthIndicator>();
  readonly #timeoutMs: number;
  #ready: boolean;

  constructor(options: HealthRegistryOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    this.#ready = options.ready ?? false;
    if (!(this.#timeoutMs > 0)) {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `health timeoutMs must be a positive number, got ${this.#timeoutMs}`);
    }
  }

  /** Adds a check; names must be unique. */
  add(indicator: HealthIndicator): this {
    if (this.#indicators.has(indicator.name)) {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `health indicator '${indicator.name}' is already registered`);
    }
    this.#indicators.set(indicator.name, indicator);
    return this;
  }

  /** Marks the app ready (started) or not (starting, draining). */
  setReady(ready: boolean): void {
    this.#ready = ready;
  }

  /** Liveness: the process answers, so it is up; restarts are for hung processes, not failing dependencies. */
  live(): { status: 'up' } {
    return { status: 'up' };
  }

  /** Runs every check concurrently, each bounded by the timeout; a throw or a timeout counts as down. */
  async ready(): Promise<ReadinessReport> {
    const entries = await Promise.all([...this.#indicators.values()].map(async (i) => [i.name, await this.#check(i)] as const));
    const checks: Record<string, HealthResult> = {};
    let up = this.#ready;
    for (const [name, result] of entries) {
      checks[name] = result;
      if (result.status !== 'up') up = false;
    }
    return { status: up ? 'up' : 'down', checks };
  }

  async #check(indicator: HealthIndicator): Promise<HealthResult> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<HealthResult>((resolve) => {
      // Not unref'd: a caller awaiting the report must get it even if nothing else keeps the loop alive.
      timer = setTimeout(() => resolve(down(`timed out after ${this.#timeoutMs} ms`)), this.#timeoutMs);
    });
    try {
      const result = await Promise.race([Promise.resolve().then(() => indicator.check()), timeout]);
      return isResult(result) ? result : down('check returned no status');
    } catch (err) {
      return down(err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
  }
}
