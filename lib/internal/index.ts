export { parseAddress, advertisedHost, formatHostPort } from './address.js';
export type { HostPort } from './address.js';
export { DeadlineQueue } from './deadline-queue.js';
export type { Expirable } from './deadline-queue.js';
export { isStandardSchema } from './standard-schema.js';
export type { StandardSchemaV1, StandardIssue, StandardResult } from './standard-schema.js';
export { lazyRequire } from './lazy-require.js';
export { etcdClient } from './etcd-client.js';
export { parseYaml, stringifyYaml, YAMLParseError } from './yaml.js';
