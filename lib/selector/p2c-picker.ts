import { EwmaNode } from './ewma-node.js';
import type { Node } from './node.js';
import { randomIndex, type Pick, type Picker } from './picker.js';

/** A node that lost every comparison for this long gets one pick anyway, so its statistics refresh. */
export const P2C_FORCE_PICK_MS = 3000;

/**
 * Power of two choices over EWMA nodes (docs/registry.md#balancers-and-filters `p2c`): compare two distinct random nodes and take the
 * heavier. Looking at two instead of all keeps the cost constant and avoids the herd effect of
 * everybody piling onto the single best node.
 */
export class P2cPicker implements Picker<EwmaNode> {
  readonly #clock: () => number;
  readonly #random: () => number;

  constructor(clock: () => number, random: () => number) {
    this.#clock = clock;
    this.#random = random;
  }

  create(node: Node): EwmaNode {
    return new EwmaNode(node, this.#clock);
  }

  refresh(state: EwmaNode, node: Node): void {
    state.node = node;
  }

  pick(states: readonly EwmaNode[]): Pick {
    if (states.length === 1) return this.#take(states[0] as EwmaNode);
    const i = randomIndex(this.#random, states.length);
    let j = randomIndex(this.#random, states.length - 1);
    // Draw from n-1 and skip i: two distinct nodes with one draw each, no retry loop.
    if (j >= i) j++;
    const a = states[i] as EwmaNode;
    const b = states[j] as EwmaNode;
    const now = this.#clock();
    // Ties go to `a`, which is itself random, so ties do not bias towards low indexes.
    const bWins = b.weight(now) > a.weight(now);
    const winner = bWins ? b : a;
    const loser = bWins ? a : b;
    // Kratos guards this with a CAS so only one goroutine forces at a time; JS runs one pick at a time,
    // and the forced pick stamps lastPick, so the next force on that node is again 3 s away.
    return this.#take(loser.pickElapsed(now) > P2C_FORCE_PICK_MS ? loser : winner);
  }

  #take(state: EwmaNode): Pick {
    return { node: state.node, done: state.pick() };
  }
}
