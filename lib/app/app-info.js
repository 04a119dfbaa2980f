import { token } from '../container/index.js';
/** Injection token of the running app's identity. */
export const APP_INFO = token('AppInfo');
