export { selector, SelectorBuilder } from './selector.js';
