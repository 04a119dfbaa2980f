import cluster from 'node:cluster';
import { isWorkerMessage, WORKER_ENV } from './protocol.js';
/**
 * The primary of a cluster: forks `workers` copies of the entry script, which share the listening
 * ports (node's cluster module accepts and hands out connections), restarts a worker that dies with a
 * growing delay, and on a signal stops them all gracefully. Resolves once every worker has exited.
 */
export function runPrimary(options) {
    const backoff = { initial: 100, max: 10_000, resetAfter: 30_000, ...options.backoff };
    const { logger } = options;
    const slots = Array.from({ length: options.workers }, () => ({ worker: undefined, startedAt: 0, crashes: 0, timer: undefined }));
    let stopping = false;
    let listening = false;
    let finished = false;
    return new Promise((resolve) => {
        const fork = (index) => {
            const slot = slots[index];
            slot.timer = undefined;
            const worker = cluster.fork({ [WORKER_ENV]: String(index) });
            slot.worker = worker;
            slot.startedAt = Date.now();
            worker.on('message', (m) => {
                if (isWorkerMessage(m) && m.kratosTs === 'listening')
                    onListening(m);
            });
            worker.once('exit', (code, signal) => onExit(index, worker, code, signal));
        };
        const onListening = (m) => {
            if (listening)
                return;
            listening = true;
            for (const e of m.endpoints)
                logger.info(`cluster of ${options.workers} workers listening on ${e}`);
            options.onListening(m.endpoints).catch((err) => logger.error('cluster registration failed', 'error', err));
        };
        const onExit = (index, worker, code, signal) => {
            const slot = slots[index];
            if (slot.worker === worker)
                slot.worker = undefined;
            if (stopping) {
                if (slots.every((s) => s.worker === undefined))
                    finish();
                return;
            }
            slot.crashes = Date.now() - slot.startedAt >= backoff.resetAfter ? 1 : slot.crashes + 1;
            const delay = Math.min(backoff.max, backoff.initial * 2 ** (slot.crashes - 1));
            logger.warn('worker exited; restarting', 'worker', index, 'pid', worker.process.pid, 'code', code, 'signal', signal, 'restartInMs', delay);
            slot.timer = setTimeout(() => fork(index), delay);
        };
        const finish = () => {
            if (finished)
                return;
            finished = true;
            for (const s of options.signals)
                process.off(s, onSignal);
            logger.info('cluster stopped');
            resolve();
        };
        const onSignal = (signal) => {
            if (stopping) {
                logger.warn('second signal: killing workers', 'signal', signal);
                for (const s of slots)
                    s.worker?.process.kill('SIGKILL');
                return;
            }
            stopping = true;
            logger.info('stopping cluster', 'signal', signal);
            for (const s of slots)
                if (s.timer !== undefined)
                    clearTimeout(s.timer);
            void options
                .onStopping()
                .catch((err) => logger.error('cluster deregistration failed', 'error', err))
                .then(() => stopWorkers(slots, options.stopTimeout, logger))
                .then(() => (slots.every((s) => s.worker === undefined) ? finish() : undefined));
        };
        for (const s of options.signals)
            process.on(s, onSignal);
        for (let i = 0; i < slots.length; i++)
            fork(i);
    });
}
// Asks each worker to stop (its app drains and exits), and kills what is still running past the timeout.
function stopWorkers(slots, stopTimeout, logger) {
    const running = slots.map((s) => s.worker).filter((w) => w !== undefined && !w.isDead());
    return Promise.all(running.map((w) => new Promise((resolve) => {
        const timer = setTimeout(() => {
            logger.warn('worker did not stop in time; killing it', 'pid', w.process.pid);
            w.process.kill('SIGKILL');
        }, stopTimeout + 1000);
        w.once('exit', () => {
            clearTimeout(timer);
            resolve();
        });
        const message = { kratosTs: 'stop' };
        if (w.isConnected())
            w.send(message);
        else
            w.process.kill('SIGTERM');
    }))).then(() => undefined);
}
