/** Clocks a {@link LoopTurns} reads, all in ms. */
export interface LoopClocks {
  /** Wall time, monotonic. */
  clock: () => number;
  /** CPU time this process used. */
  workClock: () => number;
  /** Time the event loop spent waiting for I/O since it started (`performance.eventLoopUtilization().idle`). */
  idleClock: () => number;
}

/** Share of the time since the previous turn the loop must have waited for I/O to count as having drained. */
const IDLE_SHARE = 0.1;

/**
 * What the event loop shows about the calls it runs, read once per turn (the calls one I/O phase
 * delivers run in one turn, which ends at the next setImmediate):
 *
 * - how long a call queued in the loop: a call run late in a turn waited in the socket while the
 *   turn's earlier calls ran, even if the transport saw it only now (a synchronous handler never has
 *   two calls in flight, so this is the only place its backlog shows);
 * - how long the loop has gone without waiting for I/O: CoDel's standing queue at the level of the
 *   loop. A loop that never waits has a backlog it does not drain, whatever the CPU reading says
 *   (which lags, and misses a process starved by its neighbours), and this is known within one
 *   turn, not after a sampling interval.
 * @internal
 */
export class LoopTurns {
  readonly #clocks: LoopClocks;
  readonly #endTurn = (): void => {
    this.#open = false;
    this.#end = this.#clocks.clock();
    this.#work = this.#clocks.workClock() - this.#workStart;
  };
  #open = false;
  #calls = 0;
  #end = -Infinity;
  #workStart = 0;
  /** CPU time the last turn took. */
  #work = 0;
  /** How long the calls of this turn had already waited when it began (see #begin). */
  #carried = 0;
  #busySince = Infinity;
  /** The idle clock's reading at #busySince. */
  #idleSince = 0;

  constructor(clocks: LoopClocks) {
    this.#clocks = clocks;
  }

  /** Notes a call run at `now` (the wall clock's reading), opening a turn if none is open. */
  enter(now: number): void {
    if (!this.#open) this.#begin(now);
  }

  /**
   * How long the call entered last has queued in the loop, ms of work: the turn's work before it plus
   * what the turn carried in. The first call of a turn counts 0: some call runs in every turn, so a
   * loop slowed by other processes (every turn long) still makes progress instead of shedding whole turns.
   */
  queued(): number {
    if (!this.#open || this.#calls++ === 0) return 0;
    return this.#clocks.workClock() - this.#workStart + this.#carried;
  }

  /** How long the loop has run without waiting for I/O, ms. */
  busyFor(now: number): number {
    if (!this.#open) this.#sense(now);
    return now - this.#busySince;
  }

  // A stretch in which the loop waited for I/O more than a tenth of the time is no standing backlog:
  // a new one starts now. Counted over the whole stretch, so the moment each poll returns at once under
  // load does not break it, and a loop idle a fifth of the time in short gaps does not make one.
  #sense(now: number): void {
    const idle = this.#clocks.idleClock();
    if (this.#busySince > now || idle - this.#idleSince > IDLE_SHARE * (now - this.#busySince)) {
      this.#busySince = now;
      this.#idleSince = idle;
    }
  }

  // One setImmediate per turn, not per call: it runs right after the I/O phase that delivered the calls.
  #begin(now: number): void {
    // A turn that starts as the previous one ends found its calls waiting in the socket: they arrived
    // while that turn ran, on average half its length ago. After an idle loop they arrived just now.
    this.#carried = now - this.#end < 1 ? this.#work / 2 : 0;
    this.#sense(now);
    this.#open = true;
    this.#workStart = this.#clocks.workClock();
    this.#calls = 0;
    setImmediate(this.#endTurn);
  }
}
