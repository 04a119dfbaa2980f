/** Weight of the latest turn in the smoothed cost per admitted call. */
const PER_CALL_WEIGHT = 0.2;
/** Share of the slack given back at every turn that starts with calls already waiting. */
const SLACK_DECAY = 0.05;

/** Clocks a {@link LoopTurns} reads, all in ms. */
export interface LoopClocks {
  /** Wall time, monotonic. */
  clock: () => number;
  /** CPU time this process used. */
  workClock: () => number;
  /** Time the event loop spent waiting for I/O since it started (`performance.eventLoopUtilization().idle`). */
  idleClock: () => number;
}

/**
 * What the event loop shows about the calls it runs (the calls one I/O phase delivers run in one
 * turn, which ends at the next setImmediate):
 *
 * - how long a call queued in the loop: a call run late in a turn waited in the socket while the
 *   turn's earlier calls ran, even if the transport saw it only now (a synchronous handler never has
 *   two calls in flight, so this is the only place its backlog shows);
 * - its utilisation, read at every call rather than sampled: a loop that hardly ever waits for I/O
 *   has a backlog it does not drain (CoDel's standing queue, at the level of the loop), whatever
 *   the CPU reading says (which lags, and misses a process starved by its neighbours). Smoothed
 *   over `window` ms in continuous time, so a burst shorter than that does not count, and a loop
 *   that went from idle to saturated reads 0.9 after 1.6 windows, not after a sampling interval.
 * @internal
 */
export class LoopTurns {
  readonly #clocks: LoopClocks;
  readonly #window: number;
  readonly #endTurn = (): void => {
    this.#open = false;
    this.#end = this.#clocks.clock();
    this.#work = this.#clocks.workClock() - this.#workStart;
    this.#refused = this.#calls > this.#admitted;
    this.#idleAtEnd = this.#clocks.idleClock();
    // What the turn cost per admitted call, refusals' share included: smoothed over turns, as a burst
    // of cheap or dear calls says little about the next turn.
    if (this.#admitted > 0) {
      const perCall = this.#work / this.#admitted;
      this.#perCall = this.#perCall === 0 ? perCall : this.#perCall * (1 - PER_CALL_WEIGHT) + perCall * PER_CALL_WEIGHT;
    }
  };
  #open = false;
  #calls = 0;
  /** Calls of this turn that were admitted. */
  #admitted = 0;
  /** CPU time a turn takes per admitted call, ms, smoothed. */
  #perCall = 0;
  /** Admitted calls of this turn whose work has not started yet (see queued). */
  #pending = 0;
  /** Whether the previous call of this turn, and the current one, were admitted. */
  #previousAdmitted = false;
  #currentAdmitted = false;
  /** The work clock when the last admitted call was decided on, and at the latest reading. */
  #admittedAt = 0;
  #readAt = 0;
  #end = -Infinity;
  #startedAt = -Infinity;
  #workStart = 0;
  /** CPU time the last turn took. */
  #work = 0;
  /** How long the calls of this turn had already waited when it began (see #begin). */
  #carried = 0;
  /** Whether the last turn refused a call, the loop's idle clock when it ended, and the slack (see #begin). */
  #refused = false;
  #idleAtEnd = 0;
  #slack = 0;
  #utilisation = 0;
  #sensedAt = NaN;
  #idle = 0;

  constructor(clocks: LoopClocks, window: number) {
    this.#clocks = clocks;
    this.#window = window;
  }

  /** Notes a call run at `now` (the wall clock's reading), opening a turn if none is open. */
  enter(now: number): void {
    if (!this.#open) this.#begin(now);
    this.#previousAdmitted = this.#currentAdmitted;
    this.#currentAdmitted = false;
    this.#calls++;
  }

  /** Notes that the call entered last was admitted. */
  admitted(): void {
    this.#admitted++;
    this.#currentAdmitted = true;
    this.#admittedAt = this.#readAt;
  }

  /**
   * How long the call entered last has queued in the loop, ms of work: the work ahead of it in this
   * turn plus what the turn carried in. The work ahead is what the turn did so far, plus what the
   * admitted calls whose handlers have not run yet will cost (a turn's cost per admitted call,
   * smoothed): a front door decides on all the calls one socket read delivered before any of their
   * handlers runs (grpc-js runs them a tick later). An admitted call followed by less than half that
   * cost of work before the next call is taken as not run yet; once half their cost is seen, they have.
   * The first call of a turn counts 0: some call runs in every turn, so a loop slowed by other
   * processes (every turn long) still makes progress instead of shedding whole turns.
   */
  queued(): number {
    // The first call of a turn reads nothing: #begin read the work clock for it.
    if (!this.#open || this.#calls <= 1) return 0;
    const work = this.#clocks.workClock();
    this.#readAt = work;
    const since = work - this.#admittedAt;
    if (since >= (Math.max(1, this.#pending) * this.#perCall) / 2) this.#pending = 0;
    else if (this.#previousAdmitted) this.#pending++;
    return work - this.#workStart + this.#pending * this.#perCall + this.#carried;
  }

  /** When the current turn (or the last, between turns) began, wall ms: which turn a call was decided in. */
  get startedAt(): number {
    return this.#startedAt;
  }

  /** CPU time a turn takes per call it admitted (refusals' share included), ms, smoothed over turns: 0 before the first. */
  get perCall(): number {
    return this.#perCall;
  }

  /**
   * How much longer than its target a call may queue, ms: the time the loop waited for I/O right after
   * turns that refused calls, added up, less a twentieth at every turn that starts with calls waiting.
   * Calls that arrive in bursts (clients whose timers tick together, a batch from a proxy) meet a loop
   * that served a few of the last burst, refused the rest and then waited for the next one: the core
   * idled while the work it refused would have fitted. The slack lets more of each burst in until
   * the loop stops waiting between bursts (CoDel, likewise, does not drop while its queue empties
   * now and then).
   */
  get slack(): number {
    return this.#slack;
  }

  /** Keeps the slack within `max` ms (the limiter's target: the slack at most doubles it). */
  capSlack(max: number): number {
    if (this.#slack > max) this.#slack = max;
    return this.#slack;
  }

  /** The loop's utilisation up to `now`, 0..1 (1: it never waited for I/O). */
  utilisation(now: number): number {
    const idle = this.#clocks.idleClock();
    const dt = now - this.#sensedAt;
    if (Number.isNaN(dt)) {
      this.#sensedAt = now;
      this.#idle = idle;
    } else if (dt > 0) {
      // prev·e^(−dt/window) + reading·(1 − e^(−dt/window)): the same value however often it is read.
      const keep = Math.exp(-dt / this.#window);
      const busy = Math.min(1, Math.max(0, 1 - (idle - this.#idle) / dt));
      this.#utilisation = this.#utilisation * keep + busy * (1 - keep);
      this.#sensedAt = now;
      this.#idle = idle;
    }
    return this.#utilisation;
  }

  // One setImmediate per turn, not per call: it runs right after the I/O phase that delivered the calls.
  #begin(now: number): void {
    // A turn that starts as the previous one ends found its calls waiting in the socket: they arrived
    // while that turn ran, on average half its length ago. After an idle loop they arrived just now.
    const gap = now - this.#end;
    this.#carried = gap < 1 ? this.#work / 2 : 0;
    if (gap < 1) this.#slack *= 1 - SLACK_DECAY;
    // Only time the loop did wait (not other work between the turns) counts, and only after refusals.
    else if (this.#refused) this.#slack += Math.min(gap, Math.max(0, this.#clocks.idleClock() - this.#idleAtEnd));
    this.#open = true;
    this.#startedAt = now;
    this.#workStart = this.#clocks.workClock();
    this.#calls = 0;
    this.#admitted = 0;
    this.#pending = 0;
    this.#currentAdmitted = false;
    this.#readAt = this.#workStart;
    setImmediate(this.#endTurn);
  }
}
