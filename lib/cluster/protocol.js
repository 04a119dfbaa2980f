import cluster from 'node:cluster';
/** Set in the environment of the workers the primary forks (their slot number). */
export const WORKER_ENV = 'KRATOS_TS_WORKER';
export function isWorkerMessage(m) {
    return typeof m === 'object' && m !== null && typeof m.kratosTs === 'string';
}
/** True in a worker forked by a kratos-ts primary. */
export function isClusterWorker() {
    return cluster.isWorker && process.env[WORKER_ENV] !== undefined;
}
