import { toKratosError } from '../../errors/index.js';
import { DEFAULT_SECONDS_BUCKETS, type Meter } from '../../metrics/index.js';
import type { Context } from '../../transport/index.js';
import { onCallEnd, type CallOutcome } from '../call-end.js';
import type { Middleware } from '../types.js';

/** Options of {@link metricsServer} and {@link metricsClient}. */
export interface MetricsOptions {
  /** Where the request counter and latency histogram are created (once, with the middleware). */
  meter: Meter;
}

const CODE_LABELS = ['kind', 'operation', 'code', 'reason'];
const SECONDS_LABELS = ['kind', 'operation'];

function instrument(side: 'server' | 'client', meter: Meter): Middleware {
  const requests = meter.counter(`${side}_requests_code_total`, `The total number of processed ${side} requests`, CODE_LABELS);
  const seconds = meter.histogram(`${side}_requests_seconds`, `${side} requests duration (sec).`, SECONDS_LABELS, [...DEFAULT_SECONDS_BUCKETS]);
  return (next) => (req, ctx) => onCallEnd(next, req, ctx, (outcome) => record(ctx, outcome));

  function record(ctx: Context, { start, error: err }: CallOutcome): void {
    const elapsed = (performance.now() - start) / 1000;
    // Kratos counts the HTTP code (200 on success); anything that is not a Kratos error is what the
    // server would send for it, 500 UNKNOWN.
    const e = err === undefined ? undefined : toKratosError(err);
    const kind = ctx.kind;
    const operation = ctx.operation;
    requests.inc({ kind, operation, code: e === undefined ? '200' : String(e.code), reason: e?.reason ?? '' });
    seconds.observe({ kind, operation }, elapsed);
  }
}

/**
 * Server middleware (§6 metrics): `server_requests_code_total{kind,operation,code,reason}` +1 and
 * `server_requests_seconds{kind,operation}` per call; a streaming reply is counted when it ends.
 */
export function metricsServer(options: MetricsOptions): Middleware {
  return instrument('server', options.meter);
}

/** Client middleware: `client_requests_code_total` and `client_requests_seconds`, as {@link metricsServer}. */
export function metricsClient(options: MetricsOptions): Middleware {
  return instrument('client', options.meter);
}
