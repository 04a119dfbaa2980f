import { isClusterWorker, isWorkerMessage } from './protocol.js';
/** Tells the primary this worker listens, and on which endpoints (the primary registers them once). */
export function reportListening(endpoints) {
    if (!isClusterWorker())
        return;
    const message = { kratosTs: 'listening', endpoints: [...endpoints] };
    process.send?.(message);
}
/**
 * Calls `stop` when the primary asks this worker to stop, or when the primary is gone (the IPC
 * channel closed). Returns a function that stops listening.
 */
export function onPrimaryStop(stop) {
    if (!isClusterWorker())
        return () => undefined;
    const onMessage = (m) => {
        if (isWorkerMessage(m) && m.kratosTs === 'stop')
            stop();
    };
    process.on('message', onMessage);
    process.on('disconnect', stop);
    return () => {
        process.off('message', onMessage);
        process.off('disconnect', stop);
    };
}
