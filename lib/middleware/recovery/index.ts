export { recovery } from './recovery.js';
export type { RecoveryOptions } from './recovery.js';
