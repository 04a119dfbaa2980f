import type { Node } from './node.js';
import { NOOP_DONE, randomIndex, type Pick, type Picker, type PickerState } from './picker.js';

/** Weight of a node whose instance gives none (docs/registry.md#balancers-and-filters: Kratos' wrr default). */
export const DEFAULT_WRR_WEIGHT = 100;

interface WrrState extends PickerState {
  weight: number;
  current: number;
}

/**
 * Smooth weighted round robin as nginx does it (docs/registry.md#balancers-and-filters `wrr`). Every pick raises each candidate's
 * `current` by its weight, takes the highest and lowers it by the candidates' total. Heavy nodes
 * therefore win often but never in long runs, and after one full cycle every `current` is back to
 * where it started, which is what makes the order exact rather than statistical. Ties go to a random
 * candidate, not the first in list order: instances started together sit next to each other in the
 * registry, and a fixed tie order would send a retry straight to the next one of a block that died together.
 */
export class WrrPicker implements Picker<WrrState> {
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  create(node: Node): WrrState {
    return { node, weight: weightOf(node), current: 0 };
  }

  refresh(state: WrrState, node: Node): void {
    // `current` stays: resetting it would restart the cycle and briefly favour the heaviest node.
    state.node = node;
    state.weight = weightOf(node);
  }

  pick(states: readonly WrrState[]): Pick {
    let total = 0;
    let best: WrrState | undefined;
    const n = states.length;
    // The scan starts at a random place, so the strict `>` below breaks ties at random.
    const offset = n > 1 ? randomIndex(this.#random, n) : 0;
    // Index loop, not for-of: this runs on every call and must not allocate an iterator.
    for (let k = 0; k < n; k++) {
      const i = k + offset < n ? k + offset : k + offset - n;
      const s = states[i] as WrrState;
      s.current += s.weight;
      total += s.weight;
      if (best === undefined || s.current > best.current) best = s;
    }
    const chosen = best as WrrState;
    chosen.current -= total;
    return { node: chosen.node, done: NOOP_DONE };
  }
}

function weightOf(node: Node): number {
  return node.initialWeight ?? DEFAULT_WRR_WEIGHT;
}
