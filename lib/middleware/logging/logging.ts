import { findKratosError, toKratosError } from '../../errors/index.js';
import type { Logger } from '../../log/index.js';
import type { Context } from '../../transport/index.js';
import { isAsyncIterable, onCallEnd } from '../call-end.js';
import type { Handler, Middleware } from '../types.js';

/** Options of the logging middleware. */
export interface LoggingOptions {
  /** Longest `args` value written, in characters. Default 512. */
  maxArgs?: number;
}

// Bytes as their length and bigints as digits; a replacer slows stringify down, so it is used only when needed.
const readable = (_k: string, x: unknown): unknown => (x instanceof Uint8Array ? `<${x.length} bytes>` : typeof x === 'bigint' ? String(x) : x);

/** True for an object without nested objects or bigints (most requests), which stringify needs no help with. */
function isFlat(v: unknown): boolean {
  if (typeof v !== 'object' || v === null) return typeof v !== 'bigint';
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (typeof x === 'object' ? x !== null : typeof x === 'bigint') return false;
  }
  return true;
}

/** The request as logged: its redact() if it has one, else JSON, truncated. */
function argsOf(req: unknown, max: number): string {
  if (isAsyncIterable(req)) return '<stream>';
  const r = req as { redact?: () => unknown } | null;
  let text: string;
  try {
    const v = typeof r?.redact === 'function' ? r.redact() : req;
    text = typeof v === 'string' ? v : ((isFlat(v) ? JSON.stringify(v) : JSON.stringify(v, readable)) ?? '');
  } catch {
    text = String(req);
  }
  return text.length > max ? `${text.slice(0, max)}...` : text;
}

function record(logger: Logger, kind: 'server' | 'client', ctx: Context, args: string, start: number, err: unknown): void {
  const latency = (performance.now() - start) / 1000;
  if (err === undefined) {
    logger.log('info', 'kind', kind, 'component', ctx.kind, 'operation', ctx.operation, 'args', args, 'code', 200, 'reason', '', 'stack', '', 'latency', latency);
    return;
  }
  const e = toKratosError(err);
  // For an error recovery replaced, the stack worth reading is the original's.
  const origin = findKratosError(err) === e && e.cause instanceof Error ? e.cause : err;
  const stack = origin instanceof Error ? (origin.stack ?? String(origin)) : String(origin);
  logger.log('error', 'kind', kind, 'component', ctx.kind, 'operation', ctx.operation, 'args', args, 'code', e.code, 'reason', e.reason, 'stack', stack, 'latency', latency);
}

function logging(kind: 'server' | 'client', logger: Logger, options: LoggingOptions): Middleware {
  const max = options.maxArgs ?? 512;
  return (next: Handler): Handler => (req, ctx) => {
    // Off the hot path when nothing would be written.
    if (!logger.enabled('error')) return next(req, ctx);
    const start = performance.now();
    const args = logger.enabled('info') ? argsOf(req, max) : '';
    // One line per call, a streamed one included, written when it ends (a cancelled one as its cancellation).
    return onCallEnd(next, req, ctx, ({ error }) => (error !== undefined || logger.enabled('info') ? record(logger, kind, ctx, args, start, error) : undefined), start);
  };
}

/** Server middleware (§6): one line per call with kind, component, operation, args, code, reason, stack, latency. */
export function loggingServer(logger: Logger, options: LoggingOptions = {}): Middleware {
  return logging('server', logger, options);
}

/** Client middleware (§6): the same line for outgoing calls. */
export function loggingClient(logger: Logger, options: LoggingOptions = {}): Middleware {
  return logging('client', logger, options);
}
