export { nodesFromInstances } from './node.js';
export { versionFilter, metadataFilter } from './filter.js';
export { createSelector } from './selector.js';
export { subset } from './subset.js';
