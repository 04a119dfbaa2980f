import { NOOP_DONE, randomIndex } from './picker.js';
/** Uniform choice (§11 `random`); keeps no statistics, so apply() has nothing to carry over. */
export class RandomPicker {
    #random;
    constructor(random) {
        this.#random = random;
    }
    create(node) {
        return { node };
    }
    refresh(state, node) {
        state.node = node;
    }
    pick(states) {
        const state = states[randomIndex(this.#random, states.length)];
        return { node: state.node, done: NOOP_DONE };
    }
}
