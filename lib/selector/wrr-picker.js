import { NOOP_DONE } from './picker.js';
/** Weight of a node whose instance gives none (§11: Kratos' wrr default). */
export const DEFAULT_WRR_WEIGHT = 100;
/**
 * Smooth weighted round robin as nginx does it (§11 `wrr`). Every pick raises each candidate's
 * `current` by its weight, takes the highest and lowers it by the candidates' total. Heavy nodes
 * therefore win often but never in long runs, and after one full cycle every `current` is back to
 * where it started, which is what makes the order exact rather than statistical.
 */
export class WrrPicker {
    create(node) {
        return { node, weight: weightOf(node), current: 0 };
    }
    refresh(state, node) {
        // `current` stays: resetting it would restart the cycle and briefly favour the heaviest node.
        state.node = node;
        state.weight = weightOf(node);
    }
    pick(states) {
        let total = 0;
        let best;
        // Index loop, not for-of: this runs on every call and must not allocate an iterator.
        for (let i = 0; i < states.length; i++) {
            const s = states[i];
            s.current += s.weight;
            total += s.weight;
            if (best === undefined || s.current > best.current)
                best = s;
        }
        const chosen = best;
        chosen.current -= total;
        return { node: chosen.node, done: NOOP_DONE };
    }
}
function weightOf(node) {
    return node.initialWeight ?? DEFAULT_WRR_WEIGHT;
}
