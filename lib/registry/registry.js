/** The same instance, whatever the order of its endpoints. */
export function sameInstance(a, b) {
    const sorted = (i) => JSON.stringify({ ...i, endpoints: [...i.endpoints].sort() });
    return sorted(a) === sorted(b);
}
