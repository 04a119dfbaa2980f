import { functionOption, numberOption } from './options.js';

function cpuMillis(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Weight of the latest hand-over in the smoothed cost per call. */
const COST_WEIGHT = 0.2;

/**
 * Options of {@link Pacer}.
 * @public
 */
export interface PacerOptions {
  /**
   * CPU a hand-over may start, ms: as many held calls as their smoothed cost fits in (at least one) are
   * handed over per loop iteration. Cheap calls go several at a time (an iteration of the loop costs a
   * few µs); dear ones one at a time. Default 3: two or three calls of a 1 ms handler per hand-over
   * kept 4-8 points more goodput than one in the soak's async runs, for the same p99.
   */
  slice?: number;
  /** CPU time this process used, ms: what a hand-over cost is measured with it. Default `process.cpuUsage()`. */
  clock?: () => number;
  /** Runs a function in the loop's next check phase, after its I/O. Default `setImmediate`. */
  schedule?: (fn: () => void) => void;
}

/**
 * A snapshot of a {@link Pacer}.
 * @public
 */
export interface PacerStat {
  /** Calls held now. */
  held: number;
  /** Most calls held at once so far. */
  maxHeld: number;
  /** Calls run so far: at once (nothing held, no hand-over under way) or handed over. */
  run: number;
  /** Of those, calls that were held first. */
  handedOver: number;
  /** Held calls not run: their client went away, their deadline passed, or the limiter refused them when their turn came. */
  dropped: number;
  /** Loop CPU one call costs, ms, smoothed: from its hand-over to the next (I/O, refusals and replies of that span included). */
  perCall: number;
  /** Longest a call was held so far, ms of wall time. */
  maxHeldMs: number;
}

/**
 * What a transport hands a {@link Pacer}: starts the call, given how long it was held (wall ms, 0 when
 * it runs at once), and says whether it ran (false: dropped, its client gone or its deadline past, or
 * refused).
 * @public
 */
export type HeldCall = (heldMs: number) => boolean;

interface Held {
  start: HeldCall;
  hops: number;
  at: number;
}

/**
 * Paced admission (docs/resilience-and-security.md#paced-admission): admitted calls run one hand-over per
 * event-loop iteration instead of all in the turn that read them, so the loop polls its sockets
 * between handlers. Arrivals are then seen (and timed, and refused if the work held ahead of them is
 * more than the limiter's target) within a handler's time, instead of waiting in the socket while a
 * turn runs several handlers back to back; and a gRPC reply's status, which node writes an iteration
 * or two after the handler, leaves before the next handler runs. A call that finds nothing held and
 * no hand-over under way runs at once, as without a pacer. One pacer per process: every transport's
 * calls share its loop.
 * @public
 */
export class Pacer {
  readonly #slice: number;
  readonly #clock: () => number;
  readonly #schedule: (fn: () => void) => void;
  readonly #wall = (): number => performance.now();
  #queue: (Held | undefined)[] = [];
  #head = 0;
  /** Whether a hand-over is scheduled (the loop is paced), and the check phases it still waits. */
  #active = false;
  #wait = 0;
  /** The CPU clock when the last hand-over began, and how many calls it ran. */
  #ranAt = 0;
  #ranCount = 0;
  #perCall = 0;
  #stat = { maxHeld: 0, run: 0, handedOver: 0, dropped: 0, maxHeldMs: 0 };

  constructor(options: PacerOptions = {}) {
    this.#slice = numberOption('Pacer', 'slice', options.slice, 3, { min: 0 });
    this.#clock = functionOption('Pacer', 'clock', options.clock, cpuMillis);
    this.#schedule = functionOption('Pacer', 'schedule', options.schedule, (fn: () => void) => void setImmediate(fn));
  }

  /** Calls held now. */
  get held(): number {
    return this.#queue.length - this.#head;
  }

  /** Loop CPU one call costs, ms, smoothed (0 before the first hand-over). */
  get perCall(): number {
    return this.#perCall;
  }

  /** How long a call held now would wait for the calls ahead of it, ms of CPU: what the limiter counts as its queueing. */
  ahead(): number {
    return this.held * this.#perCall;
  }

  /**
   * Runs `start` now if nothing is held and no hand-over is under way, else holds it for a later
   * iteration. `hops`: check phases to let pass after it ran before the next hand-over (what its reply
   * needs to leave: 1 for HTTP, 2 for a gRPC status), at least 1.
   */
  hold(start: HeldCall, hops = 1): void {
    if (!this.#active && this.held === 0) {
      this.#ranAt = this.#clock();
      if (!start(0)) return;
      this.#stat.run++;
      this.#ranCount = 1;
      // Run in the I/O phase: this iteration's check phase comes before any new poll, so one more.
      this.#pace(hops + 1);
      return;
    }
    this.#queue.push({ start, hops, at: this.#wall() });
    if (this.held > this.#stat.maxHeld) this.#stat.maxHeld = this.held;
  }

  /** A snapshot for dashboards and tests. */
  stat(): PacerStat {
    return { held: this.held, perCall: this.#perCall, ...this.#stat };
  }

  #pace(hops: number): void {
    this.#active = true;
    this.#wait = Math.max(1, hops);
    this.#schedule(this.#tick);
  }

  readonly #tick = (): void => {
    if (--this.#wait > 0) return this.#schedule(this.#tick);
    const now = this.#clock();
    if (this.#ranCount > 0) {
      const cost = (now - this.#ranAt) / this.#ranCount;
      this.#perCall = this.#perCall === 0 ? cost : this.#perCall * (1 - COST_WEIGHT) + cost * COST_WEIGHT;
    }
    this.#ranAt = now;
    // As many as the slice holds at their smoothed cost, at least one that runs.
    const budget = this.#perCall > 0 ? Math.max(1, Math.floor(this.#slice / this.#perCall)) : 1;
    let ran = 0;
    let hops = 1;
    try {
      while (ran < budget && this.held > 0) {
        const call = this.#shift();
        const heldMs = this.#wall() - call.at;
        if (heldMs > this.#stat.maxHeldMs) this.#stat.maxHeldMs = heldMs;
        if (call.hops > hops) hops = call.hops;
        if (!call.start(heldMs)) {
          this.#stat.dropped++;
          continue;
        }
        ran++;
        this.#stat.run++;
        this.#stat.handedOver++;
      }
    } finally {
      // Also when a call threw (it goes on to the process as it would have unpaced): the rest stay paced.
      this.#ranCount = ran;
      if (ran === 0 && this.held === 0) this.#active = false;
      else this.#pace(hops);
    }
  };

  #shift(): Held {
    const call = this.#queue[this.#head]!;
    this.#queue[this.#head] = undefined;
    this.#head++;
    // Emptied, or compacted once the consumed head is as long as what is left: amortised O(1) per call.
    if (this.#head === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    return call;
  }
}
