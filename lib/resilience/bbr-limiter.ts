import { performance } from 'node:perf_hooks';
import { LoadSignals, type LoadSample } from './load-signals.js';
import { NOT_RUN, rateLimited, type CallArrival, type Limiter, type LimiterDone } from './limiter.js';
import { LoopTurns } from './loop-turns.js';
import { DEFAULT_BBR_OPTIONS, type BbrOptions, type BbrStat } from './bbr-options.js';
import { functionOption, numberOption } from './options.js';
import { RollingWindow } from './rolling-window.js';

function cpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const loopIdleMillis = (): number => performance.eventLoopUtilization().idle;

/** How many times its queue limit a held call may have waited before it is refused at its turn (stale)... */
const STALE_FACTOR = 2;
/** ...unless that many calls' CPU fill the queue target: then past that many calls' CPU (or twice the target), as a fixed cap of four calls in flight holds at most three. */
const STALE_CALLS = 3;
/**
 * ...and past this many calls' CPU plus the slack, once an arriving call was refused in a later loop
 * turn than the one that held it (the overload goes on): at most one call ahead of it, as a fixed cap
 * of two calls in flight. Not counting refusals of the held call's own turn: its burst's excess is
 * refused with it, and a bursty client's next calls come only with the next burst.
 */
const STALE_CALLS_REFUSING = 1.5;

/** How long shedding continues once started, even if the signals drop below their thresholds, ms. */
const DROP_HOLD_MS = 1000;

/**
 * Adaptive load shedding after BBR congestion control (aegis' bbr, docs/resilience-and-security.md#rate-limiting-server), measuring saturation the
 * way a Node process saturates. The capacity is estimated as the best throughput times the best
 * latency (maxPass · minRT); while the sampled signals say the process is saturated (its CPU against
 * one core, event-loop utilisation or event-loop delay above their thresholds), a call is rejected
 * with 429 when more than that many are in flight already (not counting the calls a pacer holds:
 * CallArrival.held); while they or the limiter's own reading of the loop (at every call, so within
 * ~80 ms of an overload) say so, when it has queued longer than `queueTarget` (CoDel's sojourn
 * time), queueing counted from the transport's arrival time or the start
 * of the event-loop turn that runs it, whichever is earlier. The second rule is what sheds a CPU-bound
 * synchronous handler, which never has two calls in flight: its backlog waits in the socket and the
 * loop, not in the middleware.
 * @public
 */
export class BbrLimiter implements Limiter {
  readonly #pass: RollingWindow;
  readonly #rt: RollingWindow;
  readonly #thresholds: { cpu: number; elu: number; delay: number };
  readonly #queueTarget: number;
  readonly #tolerance: number;
  readonly #clock: () => number;
  readonly #bucketsPerSecond: number;
  readonly #signals: () => LoadSample;
  readonly #sampler: LoadSignals | undefined;
  readonly #turns: LoopTurns | undefined;
  #inFlight = 0;
  #shedInFlight = 0;
  #shedQueued = 0;
  #dropStartedAt: number | undefined;
  /** When the loop turn that last refused an arriving call began (without loop turns, when it refused). */
  #refusedTurn = -Infinity;
  /** A pacer's cost per call (CallArrival.cost), and since when every call found work held ahead of it. */
  #cost = 0;
  #aheadSince: number | undefined;
  readonly #standing: number;
  #cache: { at: number; maxPass: number; minRt: number } | undefined;

  constructor(options: BbrOptions = {}) {
    const d = DEFAULT_BBR_OPTIONS;
    const window = numberOption('BbrLimiter', 'window', options.window, d.window, { min: 0, exclusiveMin: true });
    const bucket = numberOption('BbrLimiter', 'bucket', options.bucket, d.bucket, { min: 2, integer: true });
    this.#thresholds = {
      cpu: numberOption('BbrLimiter', 'cpuThreshold', options.cpuThreshold, d.cpuThreshold, { min: 0, max: 1000 }),
      elu: numberOption('BbrLimiter', 'eluThreshold', options.eluThreshold, d.eluThreshold, { min: 0, max: 1 }),
      delay: numberOption('BbrLimiter', 'delayThreshold', options.delayThreshold, d.delayThreshold, { min: 0, exclusiveMin: true }),
    };
    const eluWindow = numberOption('BbrLimiter', 'eluWindow', options.eluWindow, d.eluWindow, { min: 0, exclusiveMin: true });
    this.#standing = eluWindow;
    this.#queueTarget = numberOption('BbrLimiter', 'queueTarget', options.queueTarget, d.queueTarget, { min: 0, exclusiveMin: true });
    this.#tolerance = numberOption('BbrLimiter', 'tolerance', options.tolerance, d.tolerance, { min: 1 });
    this.#clock = functionOption('BbrLimiter', 'clock', options.clock, () => performance.now());
    this.#pass = new RollingWindow({ window, size: bucket, clock: this.#clock });
    this.#rt = new RollingWindow({ window, size: bucket, clock: this.#clock });
    this.#bucketsPerSecond = 1000 / (window / bucket);
    const workClock = functionOption('BbrLimiter', 'workClock', options.workClock, cpuMillis);
    const idleClock = functionOption('BbrLimiter', 'idleClock', options.idleClock, loopIdleMillis);
    this.#turns = options.loopTurns === false ? undefined : new LoopTurns({ clock: this.#clock, workClock, idleClock }, eluWindow);
    if (options.signals !== undefined) {
      this.#signals = functionOption('BbrLimiter', 'signals', options.signals, options.signals);
    } else if (options.cpu !== undefined) {
      const cpu = functionOption('BbrLimiter', 'cpu', options.cpu, options.cpu);
      const sample = { cpu: 0, elu: 0, delay: 0 };
      this.#signals = () => ((sample.cpu = cpu()), sample);
    } else {
      const sampler = new LoadSignals();
      this.#sampler = sampler;
      this.#signals = () => sampler.value();
    }
  }

  /**
   * Admits the call, or throws the 429 when the process is saturated and the call would exceed the
   * estimated capacity or has queued too long. `call.arrivedAt` (performance.now() when the transport
   * received it) lets the limiter see the queueing before the middleware.
   */
  allow(call?: CallArrival): LimiterDone {
    const done = this.tryAllow(call);
    if (done === undefined) throw rateLimited();
    return done;
  }

  /** As {@link BbrLimiter.allow}, returning undefined to reject. */
  tryAllow(call?: CallArrival): LimiterDone | undefined {
    const start = this.#clock();
    this.#turns?.enter(start);
    if (call?.cost !== undefined && call.cost > 0) this.#cost = call.cost;
    if (this.#shouldDrop(start, call?.arrivedAt, call?.ahead ?? 0, call?.held ?? 0)) {
      this.#refusedTurn = this.#turns?.startedAt ?? start;
      return undefined;
    }
    this.#turns?.admitted();
    this.#inFlight++;
    let finished = false;
    return (err?: unknown) => {
      if (finished) return;
      finished = true;
      this.#inFlight--;
      // Never ran (held, then dropped or found stale): neither a pass nor a response time.
      if (err === NOT_RUN) return;
      const rt = Math.ceil(this.#clock() - start);
      // Sub-millisecond calls say nothing about latency; recording 0 would make minRT meaningless.
      if (rt > 0) this.#rt.add(rt);
      this.#pass.add(1);
    };
  }

  /**
   * Whether a call admitted `heldMs` ago and held since (a pacer) is to be refused instead of run: held,
   * while saturated, more than twice the queue limit; CoDel's drop at the head of the queue, for the
   * calls let in before the limiter saw the loop saturated, or by the slack after an idle gap. Twice
   * leaves room for the estimate of the work ahead (at the limit itself it would refuse the calls the
   * estimate put just under it, goodput lost). Where three calls' CPU (`perCall`) fill the target (a
   * handler of 3.4 ms of CPU or more with the default 10), not past three calls' CPU or twice the
   * target, whichever is longer: minRT and the slack raise such a handler's limit to four calls' CPU,
   * and twice that let its calls wait up to eight (about 45 ms for 5 ms calls) where a fixed cap of four
   * calls in flight bounds the wait at three. While a later turn than the one that held it refused an
   * arriving call, past 1.5 calls' CPU plus the slack if that is less (STALE_CALLS_REFUSING). Counted in
   * shedQueued.
   */
  stale(heldMs: number): boolean {
    const now = this.#clock();
    if (heldMs <= this.#staleAfter(now, heldMs) || !(this.#sampledBusy() || this.#loopBusy(now) || now - (this.#aheadSince ?? now) >= this.#standing)) return false;
    this.#shedQueued++;
    return true;
  }

  // Cheap calls (three do not fill the target) keep twice the limit: their wait is the target's, not a
  // few calls'. A dear call held while the overload goes on waits for the next burst's calls as well
  // as the held ones ahead, so it is refused once more than one call is ahead (plus the slack, which
  // measures how bursty the clients are: a bound without it idled the loop between h2load's bursts,
  // goodput lost); after the overload no arrival is refused, and the looser bound lets a bunch through.
  #staleAfter(now: number, heldMs: number): number {
    const doubled = STALE_FACTOR * this.#queueLimit(now);
    const perCall = this.#perCall();
    if (STALE_CALLS * perCall < this.#queueTarget) return doubled;
    const bound = Math.min(doubled, Math.max(STALE_FACTOR * this.#queueTarget, STALE_CALLS * perCall));
    if (this.#refusedTurn <= now - heldMs) return bound;
    return Math.min(bound, STALE_CALLS_REFUSING * perCall + (this.#turns?.slack ?? 0));
  }

  /** A snapshot for dashboards and tests. */
  stat(): BbrStat {
    const now = this.#clock();
    const { maxPass, minRt } = this.#stats(now);
    const s = this.#signals();
    // Reading the queue limit caps the slack: shown as the queue rule would use it, not as it last grew.
    this.#queueLimit(now);
    const slack = this.#turns?.slack ?? 0;
    return { cpu: s.cpu, elu: s.elu, delay: s.delay, saturated: this.#saturated(now), loopElu: this.#turns?.utilisation(now) ?? 0, perCall: this.#perCall(), slack, inFlight: this.#inFlight, maxInFlight: this.#maxInFlight(now), minRt, maxPass, shedInFlight: this.#shedInFlight, shedQueued: this.#shedQueued };
  }

  /** Stops the default signal sampler (a no-op with injected signals). */
  close(): void {
    this.#sampler?.close();
  }

  /** What the sampled signals say: they lag by 0.2 to 0.4 s, and include the CPU reading, as aegis' gate. */
  #sampledBusy(): boolean {
    const s = this.#signals();
    const t = this.#thresholds;
    return s.cpu >= t.cpu || s.elu >= t.elu || s.delay >= t.delay;
  }

  /** What the limiter's own reading of the loop says (see LoopTurns): seen within a window. */
  #loopBusy(now: number): boolean {
    return this.#turns !== undefined && this.#turns.utilisation(now) >= this.#thresholds.elu;
  }

  // Shedding in flight goes on for a second after it started, since the sampled signals lag and would
  // let a burst straight back in (as aegis).
  #holding(now: number): boolean {
    if (this.#dropStartedAt === undefined) return false;
    if (now - this.#dropStartedAt <= DROP_HOLD_MS) return true;
    this.#dropStartedAt = undefined;
    return false;
  }

  #saturated(now: number): boolean {
    return this.#sampledBusy() || this.#loopBusy(now) || this.#holding(now);
  }

  #shouldDrop(now: number, arrivedAt: number | undefined, ahead: number, held: number): boolean {
    const sampled = this.#sampledBusy();
    // The in-flight rule follows the sampled signals and the hold; the queue rule follows either reading
    // but never the hold, so a burst met by an idle loop is served, not cut down to the target. The
    // fast loop reading is kept from the in-flight rule: a call is shed on it only if it did queue.
    // Work held ahead of every call for `eluWindow` ms (a pacer's standing queue, CoDel's) is saturation
    // whatever the signals say, and seen sooner; a burst the pacer drains in less is not.
    this.#aheadSince = ahead > 0 ? (this.#aheadSince ?? now) : undefined;
    const byFlight = sampled || this.#holding(now);
    const byQueue = sampled || now - (this.#aheadSince ?? now) >= this.#standing || this.#loopBusy(now);
    if (!byFlight && !byQueue) return false;
    // Held calls are queueing, which the queue rule bounds: counted in flight, they had rule 1 (and its
    // 1 s hold) refuse arrivals of a CPU-bound handler behind a burst the pacer was still handing over.
    const inFlight = this.#inFlight - held;
    if (byFlight && inFlight > 1 && inFlight > this.#tolerance * this.#maxInFlight(now)) {
      this.#shedInFlight++;
      // Only the start of a shedding episode is recorded, so the hold runs from when it began (as aegis).
      this.#dropStartedAt ??= now;
      return true;
    }
    if (!byQueue) return false;
    const queued = Math.max(this.#turns?.queued() ?? 0, now - (arrivedAt ?? now) + ahead);
    if (queued <= this.#queueLimit(now)) return false;
    this.#shedQueued++;
    return true;
  }

  // How long a call may have queued: queueTarget, or the best response time if that is more (a call
  // waits at most about as long as it runs), but not for more than two calls' CPU in the loop: an
  // async handler's response time is mostly waiting, which delays no other call, and a limit set by
  // it lets a busy turn run long, every timer and reply late, and in flight pile up (rule 1's hold).
  // Without loop turns, the best response time.
  #queueLimit(now: number): number {
    const { minRt } = this.#stats(now);
    const perCall = this.#perCall();
    const limit = Math.max(this.#queueTarget, perCall === 0 ? minRt : Math.min(minRt, 2 * perCall));
    // More while the loop waits for I/O between bursts it refused part of (LoopTurns.slack): up to the
    // limit again, and two calls' CPU, so an async handler's calls (mostly waiting) are not let in by
    // the dozen to pile up in flight.
    return limit + (this.#turns?.capSlack(Math.min(limit, 2 * perCall)) ?? 0);
  }

  // A pacer measures what a call costs the loop; without one, the loop's turns tell it.
  #perCall(): number {
    return this.#cost > 0 ? this.#cost : (this.#turns?.perCall ?? 0);
  }

  #maxInFlight(now: number): number {
    const { maxPass, minRt } = this.#stats(now);
    return Math.floor((maxPass * minRt * this.#bucketsPerSecond) / 1000 + 0.5);
  }

  // Recomputed at most once per bucket: the inputs only change when a bucket completes.
  #stats(now: number): { maxPass: number; minRt: number } {
    if (this.#cache !== undefined && now - this.#cache.at < this.#pass.bucketMs && now >= this.#cache.at) return this.#cache;
    const skipCurrent = { skipCurrent: true };
    const maxPass = this.#pass.reduce((max, b) => Math.max(max, b.sum), 1, skipCurrent);
    const minAvg = this.#rt.reduce((min, b) => (b.count > 0 ? Math.min(min, b.sum / b.count) : min), Infinity, skipCurrent);
    const minRt = Number.isFinite(minAvg) ? Math.max(1, Math.ceil(minAvg)) : 1;
    this.#cache = { at: now, maxPass, minRt };
    return this.#cache;
  }
}
