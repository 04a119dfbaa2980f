import { FrameworkError, KratosError } from '../errors/index.js';
import type { NodeFilter } from './filter.js';
import type { DoneFunc, Node } from './node.js';
import { P2cPicker } from './p2c-picker.js';
import type { Picker, PickerState } from './picker.js';
import { RandomPicker } from './random-picker.js';
import { WrrPicker } from './wrr-picker.js';

/** Picks one node per call among the nodes discovery last applied (docs/registry.md#balancers-and-filters `selector.Selector`). */
export interface Selector {
  /**
   * Replaces the node set. Nodes whose address stays keep their statistics (unlike Kratos, which
   * resets all, docs/registry.md#balancers-and-filters); the first node wins when an address appears twice.
   */
  apply(nodes: Node[]): void;
  /**
   * Picks a node after `filters`, preferring nodes that are neither down nor in `exclude` (the
   * addresses a call already tried); when none is left it falls back to the untried ones, then to
   * any healthy one, then to any. Throws the 503 `NO_AVAILABLE_NODE` KratosError when none is left.
   * The returned done() must be called when the call ends (it feeds latency/errors back). Calls in
   * flight keep working after apply() replaced their node.
   */
  select(filters?: NodeFilter[], exclude?: ReadonlySet<string>): { node: Node; done: DoneFunc };
  /**
   * Takes an address out of the pick set until markUp() (its connection is known dead: refused,
   * reset, channel in TRANSIENT_FAILURE). Balancer state such as wrr weights is kept. When every
   * candidate is down, select() still picks among them (fail open): a wrong "down" must not turn
   * into an outage, and the call itself is the best probe left.
   */
  markDown(address: string): void;
  /** Puts an address back into the pick set (a reconnect probe succeeded). */
  markUp(address: string): void;
  /** Whether markDown() holds for `address`. */
  isDown(address: string): boolean;
  /** The current node set, in apply() order. */
  readonly nodes: readonly Node[];
}

/** The balancing algorithms of docs/registry.md#balancers-and-filters. */
export type Balancer = 'wrr' | 'random' | 'p2c';

/** Hooks for deterministic tests; production code leaves both unset. */
export interface SelectorOptions {
  /** Monotonic time in milliseconds. Default `performance.now`. */
  clock?: () => number;
  /** A number in [0, 1). Default `Math.random`. */
  random?: () => number;
}

const BALANCERS: readonly Balancer[] = ['wrr', 'random', 'p2c'];

/**
 * A selector with the given balancer (default `wrr`, as Kratos' global selector). Throws
 * `KRATOS_ERR_OPTIONS_INVALID` for an unknown balancer or a non-function clock/random.
 */
export function createSelector(balancer: Balancer = 'wrr', options: SelectorOptions = {}): Selector {
  if (!BALANCERS.includes(balancer)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `selector balancer is ${JSON.stringify(balancer)}; expected one of ${BALANCERS.join(', ')}`);
  }
  for (const key of ['clock', 'random'] as const) {
    const value: unknown = options[key];
    if (value !== undefined && typeof value !== 'function') {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `selector option ${key} must be a function returning a number, got ${typeof value}`);
    }
  }
  const clock = options.clock ?? (() => performance.now());
  const random = options.random ?? Math.random;
  switch (balancer) {
    case 'random':
      return new DefaultSelector(new RandomPicker(random));
    case 'p2c':
      return new DefaultSelector(new P2cPicker(clock, random));
    default:
      return new DefaultSelector(new WrrPicker(random));
  }
}

/** The error select() throws when no node is left: Kratos' `ErrNoAvailable`. */
function noAvailableNode(): KratosError {
  return new KratosError(503, 'NO_AVAILABLE_NODE', 'no available node');
}

/** Node-set bookkeeping shared by every algorithm: states by address, filters, the 503. */
class DefaultSelector<TState extends PickerState> implements Selector {
  readonly #picker: Picker<TState>;
  #nodes: readonly Node[] = Object.freeze([]);
  // Parallel to #nodes, so the unfiltered path hands the picker this array as is, with no copy.
  #states: TState[] = [];
  #byAddress = new Map<string, TState>();
  // Addresses marked down; only those present in the node set (apply() prunes the rest).
  readonly #down = new Set<string>();

  constructor(picker: Picker<TState>) {
    this.#picker = picker;
  }

  get nodes(): readonly Node[] {
    return this.#nodes;
  }

  apply(nodes: Node[]): void {
    const byAddress = new Map<string, TState>();
    const kept: Node[] = [];
    const states: TState[] = [];
    for (const node of nodes) {
      if (byAddress.has(node.address)) continue;
      let state = this.#byAddress.get(node.address);
      if (state === undefined) state = this.#picker.create(node);
      else this.#picker.refresh(state, node);
      byAddress.set(node.address, state);
      kept.push(node);
      states.push(state);
    }
    // Dropped addresses simply fall out of the map; their in-flight done() still updates the
    // detached state, which is harmless and keeps done() safe to call.
    this.#byAddress = byAddress;
    this.#states = states;
    this.#nodes = Object.freeze(kept);
    for (const address of this.#down) if (!byAddress.has(address)) this.#down.delete(address);
  }

  markDown(address: string): void {
    if (this.#byAddress.has(address)) this.#down.add(address);
  }

  markUp(address: string): void {
    this.#down.delete(address);
  }

  isDown(address: string): boolean {
    return this.#down.has(address);
  }

  select(filters?: NodeFilter[], exclude?: ReadonlySet<string>): { node: Node; done: DoneFunc } {
    let states = this.#states;
    if (filters !== undefined && filters.length > 0) {
      let candidates: Node[] = [...this.#nodes];
      for (const filter of filters) candidates = filter(candidates);
      states = this.#statesOf(candidates);
    }
    if (states.length === 0) throw noAvailableNode();
    // The common case (all healthy, first attempt) hands the array over as is: no copy per call.
    if (this.#down.size === 0 && (exclude === undefined || exclude.size === 0)) return this.#picker.pick(states);
    return this.#picker.pick(this.#preferred(states, exclude));
  }

  // Healthy and untried first; then untried (fail open on health); then healthy; then all.
  #preferred(states: readonly TState[], exclude: ReadonlySet<string> | undefined): readonly TState[] {
    const down = this.#down;
    const tried = (s: TState): boolean => exclude !== undefined && exclude.has(s.node.address);
    const best = states.filter((s) => !down.has(s.node.address) && !tried(s));
    if (best.length > 0) return best;
    const untried = states.filter((s) => !tried(s));
    if (untried.length > 0) return untried;
    const healthy = states.filter((s) => !down.has(s.node.address));
    return healthy.length > 0 ? healthy : states;
  }

  // Filters return Node objects; map them back to the states of this selector. Nodes it does not
  // know (a filter inventing one) are dropped rather than picked without statistics, and a node a
  // filter repeats counts once, so it cannot double its share.
  #statesOf(candidates: readonly Node[]): TState[] {
    const states: TState[] = [];
    const seen = new Set<TState>();
    for (const node of candidates) {
      const state = this.#byAddress.get(node.address);
      if (state === undefined || seen.has(state)) continue;
      seen.add(state);
      states.push(state);
    }
    return states;
  }
}
