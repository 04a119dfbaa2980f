import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '../log/index.js';
import { isWorkerMessage, WORKER_ENV, type WorkerMessage } from './protocol.js';

/** How the primary restarts workers that exit without being asked. */
export interface RestartBackoff {
  /** First delay, ms. Default 100. */
  initial: number;
  /** Longest delay, ms. Default 10 000. */
  max: number;
  /** A worker that lived this long, ms, starts its slot's backoff over. Default 30 000. */
  resetAfter: number;
}

/** Options of {@link runPrimary}. */
export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  signals: NodeJS.Signals[];
  /** How long workers may take to stop gracefully before they are killed, ms. */
  stopTimeout: number;
  backoff?: Partial<RestartBackoff>;
  /** Told the endpoints once the first worker listens (workers share them). */
  onListening(endpoints: string[]): Promise<void>;
  /** Runs before the workers are told to stop (deregistration). */
  onStopping(): Promise<void>;
}

interface Slot {
  worker: Worker | undefined;
  startedAt: number;
  crashes: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * The primary of a cluster: forks `workers` copies of the entry script, which share the listening
 * ports (node's cluster module accepts and hands out connections), restarts a worker that dies with a
 * growing delay, and on a signal stops them all gracefully. Resolves once every worker has exited.
 */
export function runPrimary(options: PrimaryOptions): Promise<void> {
  const backoff: RestartBackoff = { initial: 100, max: 10_000, resetAfter: 30_000, ...options.backoff };
  const { logger } = options;
  const slots: Slot[] = Array.from({ length: options.workers }, () => ({ worker: undefined, startedAt: 0, crashes: 0, timer: undefined }));
  let stopping = false;
  let listening = false;
  let finished = false;
  // Workers that have started: one still starting has no stop listener yet, so it is asked once it listens.
  const listened = new WeakSet<Worker>();

  return new Promise<void>((resolve) => {
    const fork = (index: number): void => {
      const slot = slots[index] as Slot;
      slot.timer = undefined;
      const worker = cluster.fork({ [WORKER_ENV]: String(index) });
      slot.worker = worker;
      slot.startedAt = Date.now();
      worker.on('message', (m: unknown) => {
        if (isWorkerMessage(m) && m.kratosTs === 'listening') {
          listened.add(worker);
          onListening(m);
        }
      });
      worker.once('exit', (code, signal) => onExit(index, worker, code, signal));
    };

    const onListening = (m: WorkerMessage & { kratosTs: 'listening' }): void => {
      if (listening) return;
      listening = true;
      for (const e of m.endpoints) logger.info(`cluster of ${options.workers} workers listening on ${e}`);
      options.onListening(m.endpoints).catch((err: unknown) => logger.error('cluster registration failed', 'error', err));
    };

    const onExit = (index: number, worker: Worker, code: number | null, signal: string | null): void => {
      const slot = slots[index] as Slot;
      if (slot.worker === worker) slot.worker = undefined;
      if (stopping) {
        if (slots.every((s) => s.worker === undefined)) finish();
        return;
      }
      slot.crashes = Date.now() - slot.startedAt >= backoff.resetAfter ? 1 : slot.crashes + 1;
      const delay = Math.min(backoff.max, backoff.initial * 2 ** (slot.crashes - 1));
      logger.warn('worker exited; restarting', 'worker', index, 'pid', worker.process.pid, 'code', code, 'signal', signal, 'restartInMs', delay);
      slot.timer = setTimeout(() => fork(index), delay);
    };

    const finish = (): void => {
      if (finished) return;
      finished = true;
      for (const s of options.signals) process.off(s, onSignal);
      logger.info('cluster stopped');
      resolve();
    };

    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        logger.warn('second signal: killing workers', 'signal', signal);
        for (const s of slots) s.worker?.process.kill('SIGKILL');
        return;
      }
      stopping = true;
      logger.info('stopping cluster', 'signal', signal);
      for (const s of slots) if (s.timer !== undefined) clearTimeout(s.timer);
      void options
        .onStopping()
        .catch((err: unknown) => logger.error('cluster deregistration failed', 'error', err))
        .then(() => stopWorkers(slots, listened, options.stopTimeout, logger))
        .then(() => (slots.every((s) => s.worker === undefined) ? finish() : undefined));
    };

    for (const s of options.signals) process.on(s, onSignal);
    for (let i = 0; i < slots.length; i++) fork(i);
  });
}

// Asks each worker to stop (its app drains and exits), and kills what is still running past the timeout.
function stopWorkers(slots: Slot[], listened: WeakSet<Worker>, stopTimeout: number, logger: Logger): Promise<void> {
  const running = slots.map((s) => s.worker).filter((w): w is Worker => w !== undefined && !w.isDead());
  return Promise.all(
    running.map(
      (w) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            logger.warn('worker did not stop in time; killing it', 'pid', w.process.pid);
            w.process.kill('SIGKILL');
          }, stopTimeout + 1000);
          w.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          const ask = (): void => {
            const message: WorkerMessage = { kratosTs: 'stop' };
            if (w.isConnected()) w.send(message);
            else w.process.kill('SIGTERM');
          };
          if (listened.has(w)) return ask();
          const onListening = (m: unknown): void => {
            if (!isWorkerMessage(m) || m.kratosTs !== 'listening') return;
            w.off('message', onListening);
            ask();
          };
          w.on('message', onListening);
        }),
    ),
  ).then(() => undefined);
}
