import type { DoneFunc, Node } from './node.js';

/** Per-address balancer state; `node` is the latest Node applied for that address. */
export interface PickerState {
  node: Node;
}

/** What select() hands back. */
export interface Pick {
  node: Node;
  done: DoneFunc;
}

/**
 * One balancing algorithm over states the selector keeps per address. Splitting state from the
 * selector lets every algorithm share the apply()/filter bookkeeping and keep statistics across
 * updates by address.
 * @internal
 */
export interface Picker<TState extends PickerState> {
  /** State for an address that was not in the previous node set. */
  create(node: Node): TState;
  /** The address stayed; the node may carry a new weight or metadata. */
  refresh(state: TState, node: Node): void;
  /** Chooses among `states` (never empty); must not keep or modify the array. */
  pick(states: readonly TState[]): Pick;
}

/** Shared done() for algorithms that learn nothing from call outcomes: no closure per pick. */
export const NOOP_DONE: DoneFunc = () => {};

/** An index in [0, length) from a [0,1) source that tolerates a sloppy source returning 1. */
export function randomIndex(random: () => number, length: number): number {
  const i = Math.floor(random() * length);
  return i >= length ? length - 1 : i < 0 ? 0 : i;
}
