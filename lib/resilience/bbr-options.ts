import type { LoadSample } from './load-signals.js';

/**
 * Options of {@link BbrLimiter}. The window is Kratos' (docs/resilience-and-security.md#rate-limiting-server); the saturation signals are Node's.
 * @public
 */
export interface BbrOptions {
  /** Length of the statistics window, ms. Default 10 000. */
  window?: number;
  /** Buckets in the window. Default 100 (100 ms buckets). */
  bucket?: number;
  /** CPU of this process against one core from which it counts as saturated, per mille. Default 800. */
  cpuThreshold?: number;
  /** Event-loop utilisation (0..1) from which it counts as saturated. Default 0.9. */
  eluThreshold?: number;
  /** Mean event-loop delay, ms, from which it counts as saturated. Default 100. */
  delayThreshold?: number;
  /**
   * Time constant, ms, of the event-loop utilisation the limiter reads itself at every call (not
   * sampled), compared with `eluThreshold`: a burst shorter than it does not count, a standing backlog
   * is seen within about 1.6 times it, well before the sampled signals. Needs `loopTurns`. Default 50.
   */
  eluWindow?: number;
  /**
   * Longest a call may have queued (since the transport received it, or since the event-loop turn
   * that runs it began) before a saturated limiter rejects it, ms, or the best average response time
   * (minRT) if that is longer, up to two calls' CPU in the event loop (with `loopTurns`: an async
   * handler's response time is mostly waiting); up to twice that while the loop waits for I/O
   * between bursts it refused part of (see `BbrStat.slack`). Default 10.
   */
  queueTarget?: number;
  /**
   * The signals to compare with the thresholds. Default: a {@link LoadSignals} sampling every 100 ms.
   */
  signals?: () => LoadSample;
  /**
   * How many times the estimate (maxPass · minRT) may be in flight before calls are rejected, as
   * Netflix Gradient2's RTT tolerance: latency above the best one seen is not all queueing (GC, a
   * busy host). 1 is aegis' rule. Default 2.
   */
  tolerance?: number;
  /** Only a CPU reading, per mille (event-loop signals then read as idle). For tests and custom meters. */
  cpu?: () => number;
  /**
   * Count the time since the current event-loop turn began as queueing: a call run late in a turn
   * waited in the socket while the turn's earlier calls ran, even if the transport saw it only now
   * (a synchronous handler never has two calls in flight). Default true.
   */
  loopTurns?: boolean;
  /** Current time in ms, monotonic. Default `performance.now`. */
  clock?: () => number;
  /** Time the event loop spent waiting for I/O, ms, cumulative. Default `performance.eventLoopUtilization().idle`. */
  idleClock?: () => number;
  /**
   * CPU time this process used, ms: what a turn's earlier calls cost is measured with it, so time the
   * host gave to other processes is not taken for queueing this process could shed. Default
   * `process.cpuUsage()`, read once per turn and, while saturated, once per call.
   */
  workClock?: () => number;
}

/**
 * Defaults of {@link BbrLimiter}.
 * @public
 */
export const DEFAULT_BBR_OPTIONS = { window: 10_000, bucket: 100, cpuThreshold: 800, eluThreshold: 0.9, delayThreshold: 100, eluWindow: 50, queueTarget: 10, tolerance: 2 } as const;

/**
 * A snapshot of a {@link BbrLimiter}.
 * @public
 */
export interface BbrStat {
  /** CPU usage of this process against one core, per mille. */
  cpu: number;
  /** Event-loop utilisation, 0..1. */
  elu: number;
  /** Mean event-loop delay, ms. */
  delay: number;
  /** Whether the sampled signals or the loop reading say the process is saturated (or it shed in flight less than a second ago). */
  saturated: boolean;
  /** Event-loop utilisation over the last `eluWindow` ms, read at the last call, 0..1 (0 without `loopTurns`). */
  loopElu: number;
  /** CPU a call costs the event loop, ms, smoothed: a pacer's measure (CallArrival.cost) or, without one, a turn's CPU per call it admitted (0 without `loopTurns`); twice it caps how far minRT raises the queue rule's target. */
  perCall: number;
  /** How much the queue rule's target is raised now, ms (up to the target again): the time the loop waited for I/O right after turns that refused calls, a twentieth given back at each turn that finds calls waiting (0 without `loopTurns`). */
  slack: number;
  inFlight: number;
  maxInFlight: number;
  /** Smallest per-bucket average response time, ms. */
  minRt: number;
  /** Most calls completed in one bucket. */
  maxPass: number;
  /** Calls rejected so far because more than maxInFlight were in flight. */
  shedInFlight: number;
  /** Calls rejected so far because they had queued longer than queueTarget. */
  shedQueued: number;
}
