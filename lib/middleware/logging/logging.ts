import { findKratosError, toKratosError } from '../../errors/index.js';
import { SLOT, type Logger, type RecordWriter } from '../../log/index.js';
import type { Context } from '../../transport/index.js';
import { isAsyncIterable, onCallEnd, type CallOutcome } from '../call-end.js';
import { staged, UNWATCHED } from '../stage.js';
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

/** The two writers of one operation: its successes (code, reason and stack constant) and its failures. */
interface OperationLines {
  readonly ok: RecordWriter;
  readonly failed: RecordWriter;
}

/**
 * The access line's writers, one pair per component and operation: kind, component and operation are
 * fixed per operation, so the logger renders them (with its own fields) once, and a call supplies
 * only args, code, reason, stack and latency. Past a bound on distinct operations, one pair of
 * writers with component and operation variable serves the rest, prepared once too, so a call there
 * allocates nothing more than its values.
 */
class AccessLines {
  readonly #logger: Logger;
  readonly #kind: 'server' | 'client';
  readonly #byOperation = { http: new Map<string, OperationLines>(), grpc: new Map<string, OperationLines>() };
  #size = 0;
  #any: OperationLines | undefined;

  constructor(logger: Logger, kind: 'server' | 'client') {
    this.#logger = logger;
    this.#kind = kind;
  }

  write(ctx: Context, args: string, start: number, err: unknown): void {
    const latency = (performance.now() - start) / 1000;
    const lines = this.#byOperation[ctx.kind].get(ctx.operation) ?? this.#prepare(ctx);
    if (err === undefined) {
      if (lines !== undefined) lines.ok('info', [args, latency]);
      else this.#anyLines().ok('info', [ctx.kind, ctx.operation, args, latency]);
      return;
    }
    const e = toKratosError(err);
    // For an error recovery replaced, the stack worth reading is the original's.
    const origin = findKratosError(err) === e && e.cause instanceof Error ? e.cause : err;
    const stack = origin instanceof Error ? (origin.stack ?? String(origin)) : String(origin);
    if (lines !== undefined) lines.failed('error', [args, e.code, e.reason, stack, latency]);
    else this.#anyLines().failed('error', [ctx.kind, ctx.operation, args, e.code, e.reason, stack, latency]);
  }

  /** The writers of a new operation, or undefined once the bound is reached. */
  #prepare(ctx: Context): OperationLines | undefined {
    if (this.#size >= MAX_PREPARED_OPERATIONS) return undefined;
    const fixed = ['kind', this.#kind, 'component', ctx.kind, 'operation', ctx.operation];
    const lines = { ok: this.#logger.prepare([...fixed, ...SUCCEEDED]), failed: this.#logger.prepare([...fixed, ...VARIABLE]) };
    this.#byOperation[ctx.kind].set(ctx.operation, lines);
    this.#size++;
    return lines;
  }

  #anyLines(): OperationLines {
    const fixed = ['kind', this.#kind, 'component', SLOT, 'operation', SLOT];
    return (this.#any ??= { ok: this.#logger.prepare([...fixed, ...SUCCEEDED]), failed: this.#logger.prepare([...fixed, ...VARIABLE]) });
  }
}

function logging(kind: 'server' | 'client', logger: Logger, options: LoggingOptions): Middleware {
  const max = options.maxArgs ?? 512;
  const lines = new AccessLines(logger, kind);
  // What a call logs: its args, taken as it starts; UNWATCHED (no line) when nothing would be written.
  const begin = (req: unknown): string | typeof UNWATCHED => (!logger.enabled('error') ? UNWATCHED : logger.enabled('info') ? argsOf(req, max) : '');
  // One line per call, a streamed one included, written when it ends (a cancelled one as its cancellation).
  const end = (args: string, { error, start }: CallOutcome, ctx: Context): void => {
    if (error !== undefined || logger.enabled('info')) lines.write(ctx, args, start, error);
  };
  const middleware = (next: Handler): Handler => (req, ctx) => {
    const start = performance.now();
    const args = begin(req);
    // Off the hot path when nothing would be written.
    if (args === UNWATCHED) return next(req, ctx);
    return onCallEnd(next, req, ctx, (outcome) => end(args, outcome, ctx), start);
  };
  return staged(middleware, { begin, end });
}

/** Server middleware (docs/config-and-logging.md#the-access-log): one line per call with kind, component, operation, args, code, reason, stack, latency. */
export function loggingServer(logger: Logger, options: LoggingOptions = {}): Middleware {
  return logging('server', logger, options);
}

/** Client middleware (docs/config-and-logging.md#the-access-log): the same line for outgoing calls. */
export function loggingClient(logger: Logger, options: LoggingOptions = {}): Middleware {
  return logging('client', logger, options);
}
