export { parseAddress, advertisedHost, formatHostPort } from './address.js';
export { DeadlineQueue } from './deadline-queue.js';
export { isStandardSchema } from './standard-schema.js';
export { lazyRequire } from './lazy-require.js';
export { etcdClient } from './etcd-client.js';
