export type { Handler, Middleware } from './types.js';
export { chain } from './chain.js';
export {
  selector,
  selective,
  isSelective,
  compileMatchers,
  chainFor,
  SelectorBuilder,
  APPLIES_TO,
} from './selector.js';
export type { OperationMatcher, SelectiveMiddleware } from './selector.js';
