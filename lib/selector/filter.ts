import type { Node } from './node.js';

/**
 * Narrows the candidates of one select() call. Filters run in order, each over the previous result;
 * they receive a fresh array, so they may return it, a subset of it, or a new array of its nodes.
 */
export type NodeFilter = (nodes: Node[]) => Node[];

/** Keeps the nodes whose instance version is exactly `version` (docs/registry.md#balancers-and-filters `filter.Version`). */
export function versionFilter(version: string): NodeFilter {
  return (nodes) => nodes.filter((node) => node.version === version);
}

/** Keeps the nodes whose metadata holds every entry of `match` (extra entries on the node are fine). */
export function metadataFilter(match: Record<string, string>): NodeFilter {
  // Snapshot the entries so a caller mutating `match` later does not change a filter already in use.
  const entries = Object.entries(match);
  return (nodes) =>
    nodes.filter((node) => entries.every(([key, value]) => Object.hasOwn(node.metadata, key) && node.metadata[key] === value));
}
