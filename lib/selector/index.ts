export { nodesFromInstances } from './node.js';
export type { Node, ServiceInstance, DoneInfo, DoneFunc } from './node.js';
export { versionFilter, metadataFilter } from './filter.js';
export type { NodeFilter } from './filter.js';
export { createSelector } from './selector.js';
export type { Selector, Balancer, SelectorOptions } from './selector.js';
export { subset } from './subset.js';
