/** Shared done() for algorithms that learn nothing from call outcomes: no closure per pick. */
export const NOOP_DONE = () => { };
/** An index in [0, length) from a [0,1) source that tolerates a sloppy source returning 1. */
export function randomIndex(random, length) {
    const i = Math.floor(random() * length);
    return i >= length ? length - 1 : i < 0 ? 0 : i;
}
