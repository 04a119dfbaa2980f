export { fileSource } from './file.js';
export type { FileSourceOptions } from './file.js';
export { envSource } from './env.js';
export type { EnvSourceOptions } from './env.js';
export { memorySource } from './memory.js';
export { etcdSource } from './etcd.js';
export type { EtcdSourceOptions } from './etcd.js';
