import { toKratosError } from '../../errors/index.js';
import { bindCounter, bindHistogram, DEFAULT_SECONDS_BUCKETS, type BoundCounter, type BoundHistogram, type Counter, type Histogram, type Meter } from '../../metrics/index.js';
import type { Context } from '../../transport/index.js';
import type { Middleware } from '../types.js';
import { onCallEnd, type CallOutcome } from '../call-end.js';
import { staged } from '../stage.js';

/** Options of {@link metricsServer} and {@link metricsClient}. */
export interface MetricsOptions {
  /** Where the request counter and latency histogram are created (once, with the middleware). */
  meter: Meter;
}

const CODE_LABELS = ['kind', 'operation', 'code', 'reason'];
const SECONDS_LABELS = ['kind', 'operation'];

const MAX_BOUND_OPERATIONS = 10_000;

/** An operation's series, bound once: its latency, its successes, and each code and reason as first seen. */
class OperationSeries {
  /** Records a call's end in these series: made once per operation, not a closure per call. */
  readonly record = (outcome: CallOutcome): void => record(this, outcome);
  #seconds: BoundHistogram | undefined;
  #ok: BoundCounter | undefined;
  readonly #failed = new Map<string, BoundCounter>();

  constructor(
    readonly requests: Counter,
    readonly histogram: Histogram,
    readonly kind: string,
    readonly operation: string,
  ) {}

  // Bound when the first call ends (the series are looked up as a call starts): a scrape that is
  // itself the operation's first call does not see its own series yet.
  get seconds(): BoundHistogram {
    return (this.#seconds ??= bindHistogram(this.histogram, { kind: this.kind, operation: this.operation }));
  }

  // Bound on first use: a series exists (and is exposed) once it has counted something.
  get ok(): BoundCounter {
    return (this.#ok ??= bindCounter(this.requests, { kind: this.kind, operation: this.operation, code: '200', reason: '' }));
  }

  failed(code: number, reason: string): BoundCounter {
    const key = `${code} ${reason}`;
    let series = this.#failed.get(key);
    if (series === undefined) {
      series = bindCounter(this.requests, { kind: this.kind, operation: this.operation, code: String(code), reason });
      // Reasons come from handlers; past the bound they are counted without being kept.
      if (this.#failed.size < MAX_BOUND_OPERATIONS) this.#failed.set(key, series);
    }
    return series;
  }
}

function instrument(side: 'server' | 'client', meter: Meter): Middleware {
  const requests = meter.counter(`${side}_requests_code_total`, `The total number of processed ${side} requests`, CODE_LABELS);
  const seconds = meter.histogram(`${side}_requests_seconds`, `${side} requests duration (sec).`, SECONDS_LABELS, [...DEFAULT_SECONDS_BUCKETS]);
  const byOperation = { http: new Map<string, OperationSeries>(), grpc: new Map<string, OperationSeries>() };
  let size = 0;
  const seriesOf = (ctx: Context): OperationSeries => {
    const map = byOperation[ctx.kind];
    let series = map.get(ctx.operation);
    if (series === undefined) {
      series = new OperationSeries(requests, seconds, ctx.kind, ctx.operation);
      if (size < MAX_BOUND_OPERATIONS) {
        map.set(ctx.operation, series);
        size++;
      }
    }
    return series;
  };
  const middleware: Middleware = (next) => (req, ctx) => onCallEnd(next, req, ctx, seriesOf(ctx).record);
  // Fused with its neighbours: the series are looked up as the call starts, the end recorded in them.
  return staged(middleware, { begin: (_req: unknown, ctx: Context) => seriesOf(ctx), end: record });
}

function record(series: OperationSeries, { start, error: err }: CallOutcome): void {
  const elapsed = (performance.now() - start) / 1000;
  // Kratos counts the HTTP code (200 on success); anything that is not a Kratos error is what the
  // server would send for it, 500 UNKNOWN.
  if (err === undefined) series.ok.inc();
  else {
    const e = toKratosError(err);
    series.failed(e.code, e.reason).inc();
  }
  series.seconds.observe(elapsed);
}

/**
 * Server middleware (docs/observability.md#metrics): `server_requests_code_total{kind,operation,code,reason}` +1 and
 * `server_requests_seconds{kind,operation}` per call; a streaming reply is counted when it ends.
 */
export function metricsServer(options: MetricsOptions): Middleware {
  return instrument('server', options.meter);
}

/** Client middleware: `client_requests_code_total` and `client_requests_seconds`, as {@link metricsServer}. */
export function metricsClient(options: MetricsOptions): Middleware {
  return instrument('client', options.meter);
}
