import type { Node } from './node.js';
import { NOOP_DONE, randomIndex, type Pick, type Picker, type PickerState } from './picker.js';

/** Uniform choice (docs/registry.md#balancers-and-filters `random`); keeps no statistics, so apply() has nothing to carry over. */
export class RandomPicker implements Picker<PickerState> {
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  create(node: Node): PickerState {
    return { node };
  }

  refresh(state: PickerState, node: Node): void {
    state.node = node;
  }

  pick(states: readonly PickerState[]): Pick {
    const state = states[randomIndex(this.#random, states.length)] as PickerState;
    return { node: state.node, done: NOOP_DONE };
  }
}
