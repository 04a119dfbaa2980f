/** Keeps the nodes whose instance version is exactly `version` (§11 `filter.Version`). */
export function versionFilter(version) {
    return (nodes) => nodes.filter((node) => node.version === version);
}
/** Keeps the nodes whose metadata holds every entry of `match` (extra entries on the node are fine). */
export function metadataFilter(match) {
    // Snapshot the entries so a caller mutating `match` later does not change a filter already in use.
    const entries = Object.entries(match);
    return (nodes) => nodes.filter((node) => entries.every(([key, value]) => Object.hasOwn(node.metadata, key) && node.metadata[key] === value));
}
