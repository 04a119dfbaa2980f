import { directCallOf, isThenable, withDirectCall, type Context, type DirectCall } from '../transport/index.js';
import { CallStream, isAsyncIterable, outcomeOf, type CallOutcome, type CallScope } from './call-end.js';
import { isSyncIterator, SyncReplies } from './reply-stream.js';
import type { Handler, Middleware } from './types.js';

/** Set on middleware that can share one frame per call with its neighbours in a chain (see {@link Stage}). */
export const STAGE = Symbol.for('kratos-ts/middleware/stage');

/** What a stage's `begin` returns for a call it does not watch: its `end` is not called for that call. */
export const UNWATCHED: unique symbol = Symbol.for('kratos-ts/middleware/unwatched');

/**
 * What an observing middleware does around a call, in parts: {@link chain} runs a run of adjacent
 * staged middleware as one frame per call, with one watch on the reply (one `.then`, one shared
 * CallStream) instead of one each, and calls the parts in exactly the order nesting would: `begin`
 * outer first (each inside the scopes of those outside it), then the handler, then on the way out,
 * inner first, `recover` and `end`, each seeing the error as it would nested (an outer stage sees
 * what an inner `recover` made of the failure, an inner one the raw error). Used alone, or with
 * other middleware between, a staged middleware runs as its own function.
 */
export interface Stage<S = unknown> {
  /** Runs as the call starts; its result is this call's state for `scope` and `end` ({@link UNWATCHED}: no `end`). */
  readonly begin?: (req: unknown, ctx: Context) => S | typeof UNWATCHED;
  /** The scope the rest of the call runs in: inner stages, the handler, and each pull of a reply stream (none for an UNWATCHED call). */
  readonly scope?: (state: S) => CallScope | undefined;
  /** Told once how the call ended, as {@link onCallEnd} would tell it; a stream when it ends. */
  readonly end?: (state: S, outcome: CallOutcome, ctx: Context) => void;
  /** Replaces the error the handler threw or rejected with (not a failing stream's) before outer stages see it. */
  readonly recover?: (err: unknown, req: unknown, ctx: Context) => unknown;
  /**
   * `fn(arg)` in the scope `scope` gives, without a closure per call. A scoped stage that has it may head
   * a run, which then costs one watch on the reply, not two: the stages after it, the handler and the
   * watch run in its scope, so the ends it watches (its own included) are told there.
   */
  readonly enter?: <A, T>(state: S, fn: (arg: A) => T, arg: A) => T;
}

/** A middleware that also describes itself as a {@link Stage}. */
export type StagedMiddleware = Middleware & { readonly [STAGE]: Stage };

/** Marks `middleware` (which must do what `stage` describes) as fusable with its staged neighbours. */
export function staged<S>(middleware: Middleware, stage: Stage<S>): StagedMiddleware {
  return Object.assign(middleware, { [STAGE]: stage as Stage });
}

/** The stage of a staged middleware, else undefined. */
export function stageOf(m: Middleware): Stage | undefined {
  return (m as Partial<StagedMiddleware>)[STAGE];
}

/**
 * `m` with each run of two or more adjacent staged middleware replaced by one fused middleware;
 * others, and a staged one between unstaged ones, are kept as they are. A stage with a scope ends its
 * run: the stages inside it (and their ends) run in its scope, as nested, and those outside it do
 * not, so its ends and theirs are told outside the scope as nested ones would be. A scoped stage with
 * `enter` may also head a run (see {@link Stage.enter}).
 */
export function fuseRuns(m: readonly Middleware[]): Middleware[] {
  const out: Middleware[] = [];
  for (let i = 0; i < m.length; ) {
    let j = i;
    while (j < m.length && stageOf(m[j]!) !== undefined) {
      const s = stageOf(m[j]!)!;
      j++;
      // A stage that can enter its scope heads a run; any other scoped stage ends one.
      if (s.scope !== undefined && !(j - 1 === i && s.enter !== undefined)) break;
    }
    if (j - i >= 2) {
      out.push(fused(m.slice(i, j).map((x) => stageOf(x)!)));
      i = j;
    } else {
      out.push(m[i]!);
      i++;
    }
  }
  return out;
}

function fused(given: readonly Stage[]): Middleware {
  // One object shape for every stage (each middleware's literal has its own), so the frame's reads of
  // begin/end/scope/recover/enter stay monomorphic however many kinds of stage a run holds.
  const stages: Stage[] = given.map((s) => ({ begin: s.begin, scope: s.scope, end: s.end, recover: s.recover, enter: s.enter }) as Stage);
  return (next: Handler): Handler => {
    const direct = directCallOf(next);
    if (direct === undefined) return (req, ctx) => new Frame(stages, next, false, req, ctx).run() as Promise<unknown>;
    // The method is called as it is (see DirectCall) whoever calls the run: a synchronous reply is
    // settled at once, without the method's promise and a `.then` of the frame's on it. The run has a
    // direct form too, so a transport calling it gets that reply with no promise at all.
    const handler: Handler = (req, ctx) => {
      const out = new Frame(stages, direct, true, req, ctx).run();
      return out instanceof Promise ? out : Promise.resolve(out);
    };
    return withDirectCall(handler, (req, ctx) => new Frame(stages, direct, true, req, ctx).run());
  };
}

/**
 * One call through a run of stages. Direct (see DirectCall): `next` may return a value, and a value
 * is settled at once and returned as it is; a failure is still a rejected promise, a pending reply
 * still watched by one `.then`.
 */
class Frame {
  readonly #stages: readonly Stage[];
  readonly #next: DirectCall;
  readonly #direct: boolean;
  readonly #req: unknown;
  readonly #ctx: Context;
  readonly #states: unknown[];
  readonly #start = performance.now();
  /** How many stages have begun: only those are told the end. */
  #begun = 0;

  constructor(stages: readonly Stage[], next: DirectCall, direct: boolean, req: unknown, ctx: Context) {
    this.#stages = stages;
    this.#next = next;
    this.#direct = direct;
    this.#req = req;
    this.#ctx = ctx;
    this.#states = new Array<unknown>(stages.length);
  }

  run(): unknown {
    const head = this.#stages[0]!;
    if (head.enter === undefined) return this.#run();
    let state: unknown;
    try {
      state = head.begin === undefined ? undefined : head.begin(this.#req, this.#ctx);
    } catch (err) {
      // Nothing began, so no stage is told: the call fails as the head's own middleware would make it fail.
      return Promise.reject(err);
    }
    this.#states[0] = state;
    this.#begun = 1;
    return state === UNWATCHED ? this.#run() : head.enter(state, Frame.#runOf, this);
  }

  static #runOf(frame: Frame): unknown {
    return frame.#run();
  }

  #run(): unknown {
    let reply: unknown;
    try {
      reply = this.#enter();
    } catch (err) {
      // As nested: each stage that began sees a synchronous failure of the rest as the call's failure.
      try {
        return Promise.resolve(this.#settle(false, err));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    if (this.#direct && !isThenable(reply)) {
      try {
        return this.#ok(reply);
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return Promise.resolve(reply).then(
      (value) => this.#ok(value),
      (err: unknown) => this.#settle(false, err),
    );
  }

  /** Begins the stages not begun yet (a head that entered its scope has), then runs the handler. */
  #enter(): unknown {
    const stages = this.#stages;
    for (let i = this.#begun; i < stages.length; i++) {
      const s = stages[i]!;
      const state = s.begin === undefined ? undefined : s.begin(this.#req, this.#ctx);
      this.#states[i] = state;
      this.#begun = i + 1;
      // Only the last stage of a run has a scope to enter here (a head's is entered by run()).
      const scope = state === UNWATCHED ? undefined : s.scope?.(state);
      if (scope !== undefined) return scope(() => this.#next(this.#req, this.#ctx));
    }
    return this.#next(this.#req, this.#ctx);
  }

  #ok(value: unknown): unknown {
    if (isAsyncIterable(value)) return this.#watch(value);
    if (isSyncIterator(value)) return this.#watch(new SyncReplies(value));
    return this.#settle(true, value);
  }

  /** Tells the stages that began, inner first, how the call ended; returns the value or throws the error the outermost saw. */
  #settle(ok: boolean, result: unknown): unknown {
    const stages = this.#stages;
    const ctx = this.#ctx;
    let failed = !ok;
    let err = ok ? undefined : result;
    let outcome: CallOutcome | undefined;
    let outcomeOfErr: unknown;
    for (let i = this.#begun - 1; i >= 0; i--) {
      const s = stages[i]!;
      if (failed && s.recover !== undefined) {
        try {
          err = s.recover(err, this.#req, ctx);
        } catch (e) {
          err = e;
        }
      }
      const state = this.#states[i];
      if (s.end === undefined || state === UNWATCHED) continue;
      const seen = failed ? err : undefined;
      if (outcome === undefined || outcomeOfErr !== seen) {
        outcome = outcomeOf(ctx, seen, this.#start);
        outcomeOfErr = seen;
      }
      try {
        s.end(state, outcome, ctx);
      } catch (e) {
        // Nested, an observer that throws fails the call for the stages outside it.
        failed = true;
        err = e;
        outcome = undefined;
      }
    }
    if (failed) throw err;
    return result;
  }

  /**
   * A reply stream: one watch for every stage that watches, told inner first; pulled in the last
   * stage's scope if it watches, inside the scope of a head that entered its own.
   */
  #watch(source: AsyncIterable<unknown>): CallStream {
    const last = this.#begun - 1;
    const inner = this.#scopeOf(last);
    const head = last > 0 && this.#stages[0]!.enter !== undefined ? this.#scopeOf(0) : undefined;
    const scope = head === undefined || inner === undefined ? (head ?? inner) : <T>(fn: () => T): T => head(() => inner(fn));
    return CallStream.watch(source, this.#ctx, (outcome) => this.#streamEnded(outcome), this.#start, scope);
  }

  #scopeOf(i: number): CallScope | undefined {
    const state = this.#states[i];
    return state === UNWATCHED ? undefined : this.#stages[i]!.scope?.(state);
  }

  #streamEnded(outcome: CallOutcome): void {
    let failed: { err: unknown } | undefined;
    for (let i = this.#begun - 1; i >= 0; i--) {
      const s = this.#stages[i]!;
      const state = this.#states[i];
      if (s.end === undefined || state === UNWATCHED) continue;
      try {
        s.end(state, outcome, this.#ctx);
      } catch (e) {
        failed ??= { err: e };
      }
    }
    if (failed !== undefined) throw failed.err;
  }
}
