export { fileSource } from './file.js';
export { envSource } from './env.js';
export { memorySource } from './memory.js';
export { etcdSource } from './etcd.js';
