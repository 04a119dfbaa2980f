import { findKratosError } from '../errors/index.js';
import type { DoneFunc, DoneInfo, Node } from './node.js';
import type { PickerState } from './picker.js';

// Times are milliseconds (the injected clock's unit) except inside load(), see there.

/** Decay constant of the moving averages: a sample 600 ms old weighs 1/e of a fresh one. */
export const EWMA_TAU_MS = 600;
/** Load of a node with no latency sample yet, per in-flight call, in nanoseconds (100 µs). */
export const EWMA_PENALTY_NS = 100_000;
/** Success score of a fully healthy node; failures pull it towards 0. */
export const EWMA_SUCCESS_MAX = 1000;
/** Scale of weight(): success × 10 µs (in ns) / load. */
const WEIGHT_SCALE_NS = 10_000;
/** Added to the latency before the square root so very fast nodes do not get unbounded weight. */
const LATENCY_FLOOR_MS = 5;
/** Most in-flight start times tracked for the latency prediction. */
const MAX_TRACKED_INFLIGHT = 200;
/** The in-flight scan for predict runs at most this often (or every lag/5 when that is longer). */
const PREDICT_INTERVAL_MS = 5;
const NS_PER_MS = 1_000_000;

/**
 * Exponentially weighted latency and success statistics of one address (docs/registry.md#balancers-and-filters `selector/node/ewma`),
 * used by p2c. The node's weight grows with its success score and shrinks with the square root of its
 * latency times its in-flight count, so slow, failing or busy nodes lose traffic without being cut off.
 */
export class EwmaNode implements PickerState {
  node: Node;
  readonly #clock: () => number;
  #lag = 0;
  // "No sample yet" is its own flag, not lag === 0: a call the clock cannot time (rtt 0) is still a
  // sample, and must not leave a healthy node penalised as unknown forever.
  #measured = false;
  #success = EWMA_SUCCESS_MAX;
  // Starts at 1, not 0, so the load of an idle node is not zero (which would make its weight infinite).
  #inflight = 1;
  #lastDone: number;
  // Never picked counts as "long ago": a new node is force-picked once so it gets a latency sample.
  #lastPick = Number.NEGATIVE_INFINITY;
  #predict = 0;
  #predictAt = Number.NEGATIVE_INFINITY;
  #seq = 0;
  // A fixed ring instead of a list: pick/done stay allocation-free; 0 in #owners marks a free slot.
  readonly #starts = new Float64Array(MAX_TRACKED_INFLIGHT);
  readonly #owners = new Float64Array(MAX_TRACKED_INFLIGHT);

  constructor(node: Node, clock: () => number) {
    this.node = node;
    this.#clock = clock;
    this.#lastDone = clock();
  }

  /** Milliseconds since this node was last picked (Infinity when never). */
  pickElapsed(now: number): number {
    return now - this.#lastPick;
  }

  /** Higher is better; comparable only between EwmaNodes. */
  weight(now: number): number {
    return (this.#success * WEIGHT_SCALE_NS) / this.#load(now);
  }

  /** Records the start of a call; the returned function ends it (a second call is ignored). */
  pick(): DoneFunc {
    const start = this.#clock();
    this.#lastPick = start;
    this.#inflight++;
    const seq = ++this.#seq;
    const slot = seq % MAX_TRACKED_INFLIGHT;
    this.#starts[slot] = start;
    this.#owners[slot] = seq;
    let finished = false;
    return (info: DoneInfo) => {
      if (finished) return;
      finished = true;
      // A newer call may have reused the slot when more than 200 were in flight; leave it alone then.
      if (this.#owners[slot] === seq) this.#owners[slot] = 0;
      this.#inflight--;
      this.#observe(start, info);
    };
  }

  #observe(start: number, info: DoneInfo): void {
    const now = this.#clock();
    const sinceLast = Math.max(0, now - this.#lastDone);
    this.#lastDone = now;
    // With no latency yet the first sample must replace the zero, not be averaged with it.
    const w = this.#measured ? Math.exp(-sinceLast / EWMA_TAU_MS) : 0;
    this.#measured = true;
    const rtt = Math.max(0, now - start);
    this.#lag = this.#lag * w + rtt * (1 - w);
    const sample = isFailure(info.err) ? 0 : EWMA_SUCCESS_MAX;
    this.#success = this.#success * w + sample * (1 - w);
  }

  #load(now: number): number {
    this.#refreshPredict(now);
    if (!this.#measured) return EWMA_PENALTY_NS * this.#inflight;
    // The square root is not unit-free, so it is taken in nanoseconds as Kratos does: in ms the
    // penalty (0.1) would undercut every measured node and unmeasured nodes would win instead of lose.
    const latencyNs = (Math.max(this.#lag, this.#predict) + LATENCY_FLOOR_MS) * NS_PER_MS;
    return Math.sqrt(latencyNs) * this.#inflight;
  }

  // When most in-flight calls are already older than the average latency, the node has slowed down
  // and the average has not caught up yet; their mean age is a better guess until done() reports.
  #refreshPredict(now: number): void {
    if (now - this.#predictAt <= Math.max(PREDICT_INTERVAL_MS, this.#lag / 5)) return;
    this.#predictAt = now;
    let tracked = 0;
    let late = 0;
    let total = 0;
    for (let i = 0; i < MAX_TRACKED_INFLIGHT; i++) {
      if (this.#owners[i] === 0) continue;
      tracked++;
      const age = now - (this.#starts[i] as number);
      if (age > this.#lag) {
        late++;
        total += age;
      }
    }
    this.#predict = late > 0 && late * 2 > tracked ? total / late : 0;
  }
}

/**
 * Whether a call outcome says the node is unhealthy: any non-Kratos error (transport, timeout, abort)
 * and Kratos errors with 499 or 5xx except 501. Other 4xx are the caller's fault, not the node's.
 */
export function isFailure(err: unknown): boolean {
  if (err === undefined || err === null) return false;
  const code = findKratosError(err)?.code;
  if (code === undefined) return true;
  return code === 499 || (code >= 500 && code !== 501);
}
