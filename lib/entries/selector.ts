// `kratos-ts/selector`: client-side load balancing (Kratos' selector package), apart from the middleware
// selector (`selector` in `kratos-ts/middleware`), as in Kratos.
export { createSelector, versionFilter, metadataFilter } from '../selector/index.js';
export type { Selector, SelectorOptions, Balancer, NodeFilter, Node, DoneInfo } from '../selector/index.js';
