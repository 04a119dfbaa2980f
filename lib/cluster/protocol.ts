import cluster from 'node:cluster';

/** Set in the environment of the workers the primary forks (their slot number). */
export const WORKER_ENV = 'KRATOS_TS_WORKER';

/** What the primary and its workers tell each other over the IPC channel. */
export type WorkerMessage = { kratosTs: 'listening'; endpoints: string[] } | { kratosTs: 'stop' };

export function isWorkerMessage(m: unknown): m is WorkerMessage {
  return typeof m === 'object' && m !== null && typeof (m as { kratosTs?: unknown }).kratosTs === 'string';
}

/** True in a worker forked by a kratos-ts primary. */
export function isClusterWorker(): boolean {
  return cluster.isWorker && process.env[WORKER_ENV] !== undefined;
}
