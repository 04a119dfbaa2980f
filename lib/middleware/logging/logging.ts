import { findKratosError, toKratosError } from '../../errors/index.js';
import { SLOT, type Logger, type RecordWriter } from '../../log/index.js';
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

const VARIABLE = ['args', SLOT, 'code', SLOT, 'reason', SLOT, 'stack', SLOT, 'latency', SLOT];
// A success has code 200 and no reason or stack: constants the logger renders once per operation.
const SUCCEEDED = ['args', SLOT, 'code', 200, 'reason', '', 'stack', '', 'latency', SLOT];
const MAX_PREPARED_OPERATIONS = 10_000;

/**
 * The access line's writers, one per component and operation: kind, component and operation are
 * fixed per operation, so the logger renders them (with its own fields) once, and a call supplies
 * only args, code, reason, stack and latency. Past a bound on distinct operations, one writer with
 * every field variable serves the rest.
 */
class AccessLines {
  readonly #logger: Logger;
  readonly #kind: 'server' | 'client';
  readonly #byOperation = { http: new Map<string, RecordWriter>(), grpc: new Map<string, RecordWriter>() };
  readonly #okByOperation = { http: new Map<string, RecordWriter>(), grpc: new Map<string, RecordWriter>() };
  #size = 0;
  #any: RecordWriter | undefined;

  constructor(logger: Logger, kind: 'server' | 'client') {
    this.#logger = logger;
    this.#kind = kind;
  }

  write(ctx: Context, args: string, start: number, err: unknown): void {
    const latency = (performance.now() - start) / 1000;
    if (err === undefined) return this.#okWriter(ctx)('info', [args, latency]);
    const e = toKratosError(err);
    // For an error recovery replaced, the stack worth reading is the original's.
    const origin = findKratosError(err) === e && e.cause instanceof Error ? e.cause : err;
    const stack = origin instanceof Error ? (origin.stack ?? String(origin)) : String(origin);
    this.#writer(ctx)('error', [args, e.code, e.reason, stack, latency]);
  }

  #okWriter(ctx: Context): RecordWriter {
    const writer = this.#okByOperation[ctx.kind].get(ctx.operation);
    if (writer !== undefined) return writer;
    const any = this.#writer(ctx);
    if (this.#size >= MAX_PREPARED_OPERATIONS) return (level, [args, latency]) => any(level, [args, 200, '', '', latency]);
    const ok = this.#logger.prepare(['kind', this.#kind, 'component', ctx.kind, 'operation', ctx.operation, ...SUCCEEDED]);
    this.#okByOperation[ctx.kind].set(ctx.operation, ok);
    return ok;
  }

  #writer(ctx: Context): RecordWriter {
    const map = this.#byOperation[ctx.kind];
    let writer = map.get(ctx.operation);
    if (writer !== undefined) return writer;
    if (this.#size >= MAX_PREPARED_OPERATIONS) {
      const any = (this.#any ??= this.#logger.prepare(['kind', this.#kind, 'component', SLOT, 'operation', SLOT, ...VARIABLE]));
      return (level, values) => any(level, [ctx.kind, ctx.operation, ...values]);
    }
    writer = this.#logger.prepare(['kind', this.#kind, 'component', ctx.kind, 'operation', ctx.operation, ...VARIABLE]);
    map.set(ctx.operation, writer);
    this.#size++;
    return writer;
  }
}

function logging(kind: 'server' | 'client', logger: Logger, options: LoggingOptions): Middleware {
  const max = options.maxArgs ?? 512;
  const lines = new AccessLines(logger, kind);
  return (next: Handler): Handler => (req, ctx) => {
    // Off the hot path when nothing would be written.
    if (!logger.enabled('error')) return next(req, ctx);
    const start = performance.now();
    const args = logger.enabled('info') ? argsOf(req, max) : '';
    // One line per call, a streamed one included, written when it ends (a cancelled one as its cancellation).
    return onCallEnd(next, req, ctx, ({ error }) => (error !== undefined || logger.enabled('info') ? lines.write(ctx, args, start, error) : undefined), start);
  };
}

/** Server middleware (docs/config-and-logging.md#the-access-log): one line per call with kind, component, operation, args, code, reason, stack, latency. */
export function loggingServer(logger: Logger, options: LoggingOptions = {}): Middleware {
  return logging('server', logger, options);
}

/** Client middleware (docs/config-and-logging.md#the-access-log): the same line for outgoing calls. */
export function loggingClient(logger: Logger, options: LoggingOptions = {}): Middleware {
  return logging('client', logger, options);
}
