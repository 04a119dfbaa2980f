export { recovery } from './recovery.js';
