export { workerCount } from './workers.js';
export { runPrimary } from './primary.js';
export { isClusterWorker, WORKER_ENV } from './protocol.js';
export { reportListening, onPrimaryStop } from './worker.js';
