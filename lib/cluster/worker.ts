import { isClusterWorker, isWorkerMessage, type WorkerMessage } from './protocol.js';

/** Tells the primary this worker listens, and on which endpoints (the primary registers them once). */
export function reportListening(endpoints: readonly string[]): void {
  if (!isClusterWorker()) return;
  const message: WorkerMessage = { kratosTs: 'listening', endpoints: [...endpoints] };
  process.send?.(message);
}

/**
 * Calls `stop` when the primary asks this worker to stop, or when the primary is gone (the IPC
 * channel closed). Returns a function that stops listening.
 */
export function onPrimaryStop(stop: () => void): () => void {
  if (!isClusterWorker()) return () => undefined;
  const onMessage = (m: unknown): void => {
    if (isWorkerMessage(m) && m.kratosTs === 'stop') stop();
  };
  process.on('message', onMessage);
  process.on('disconnect', stop);
  return () => {
    process.off('message', onMessage);
    process.off('disconnect', stop);
  };
}
