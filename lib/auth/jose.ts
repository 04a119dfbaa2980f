import { lazyRequire } from '../internal/index.js';

// jose (about 50 ES modules) loads with the first JWT middleware an app builds, not with the framework.
/** @internal */
export const jose = lazyRequire<typeof import('jose')>('jose');
