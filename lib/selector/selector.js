import { FrameworkError, KratosError } from '../errors/index.js';
import { P2cPicker } from './p2c-picker.js';
import { RandomPicker } from './random-picker.js';
import { WrrPicker } from './wrr-picker.js';
const BALANCERS = ['wrr', 'random', 'p2c'];
/**
 * A selector with the given balancer (default `wrr`, as Kratos' global selector). Throws
 * `KRATOS_ERR_OPTIONS_INVALID` for an unknown balancer or a non-function clock/random.
 */
export function createSelector(balancer = 'wrr', options = {}) {
    if (!BALANCERS.includes(balancer)) {
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `selector balancer is ${JSON.stringify(balancer)}; expected one of ${BALANCERS.join(', ')}`);
    }
    for (const key of ['clock', 'random']) {
        const value = options[key];
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
            return new DefaultSelector(new WrrPicker());
    }
}
/** The error select() throws when no node is left: Kratos' `ErrNoAvailable`. */
function noAvailableNode() {
    return new KratosError(503, 'NO_AVAILABLE_NODE', 'no available node');
}
/** Node-set bookkeeping shared by every algorithm: states by address, filters, the 503. */
class DefaultSelector {
    #picker;
    #nodes = Object.freeze([]);
    // Parallel to #nodes, so the unfiltered path hands the picker this array as is, with no copy.
    #states = [];
    #byAddress = new Map();
    constructor(picker) {
        this.#picker = picker;
    }
    get nodes() {
        return this.#nodes;
    }
    apply(nodes) {
        const byAddress = new Map();
        const kept = [];
        const states = [];
        for (const node of nodes) {
            if (byAddress.has(node.address))
                continue;
            let state = this.#byAddress.get(node.address);
            if (state === undefined)
                state = this.#picker.create(node);
            else
                this.#picker.refresh(state, node);
            byAddress.set(node.address, state);
            kept.push(node);
            states.push(state);
        }
        // Dropped addresses simply fall out of the map; their in-flight done() still updates the
        // detached state, which is harmless and keeps done() safe to call.
        this.#byAddress = byAddress;
        this.#states = states;
        this.#nodes = Object.freeze(kept);
    }
    select(filters) {
        if (filters === undefined || filters.length === 0) {
            if (this.#states.length === 0)
                throw noAvailableNode();
            return this.#picker.pick(this.#states);
        }
        let candidates = [...this.#nodes];
        for (const filter of filters)
            candidates = filter(candidates);
        const states = this.#statesOf(candidates);
        if (states.length === 0)
            throw noAvailableNode();
        return this.#picker.pick(states);
    }
    // Filters return Node objects; map them back to the states of this selector. Nodes it does not
    // know (a filter inventing one) are dropped rather than picked without statistics, and a node a
    // filter repeats counts once, so it cannot double its share.
    #statesOf(candidates) {
        const states = [];
        const seen = new Set();
        for (const node of candidates) {
            const state = this.#byAddress.get(node.address);
            if (state === undefined || seen.has(state))
                continue;
            seen.add(state);
            states.push(state);
        }
        return states;
    }
}
