/** A fixed in-memory tree (tests, defaults). */
export function memorySource(tree, name = 'memory') {
    return { name, load: () => [{ tree, origin: name }] };
}
