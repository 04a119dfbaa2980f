import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';

/** A server the tests run as a child process: killed by PID, started again on the same ports and data. */
export interface Daemon {
  /** Stops the process (SIGKILL) but keeps its data dir and ports. */
  kill(): Promise<void>;
  /** Starts it again and waits until it is ready. */
  restart(): Promise<void>;
  /** Kills it and removes its data dir. */
  stop(): Promise<void>;
  /** Sends it a signal: SIGSTOP hangs it (connections open, nothing answered), SIGCONT resumes it. */
  signal(sig: NodeJS.Signals): void;
}

/** Spawns `command args` (stdio ignored), waits for `ready`, and gives the handle to control it. */
export async function startDaemon(command: string, args: string[], dataDir: string, ready: () => Promise<void>): Promise<Daemon> {
  let child: ChildProcess | undefined;
  const launch = async (): Promise<void> => {
    child = spawn(command, args, { stdio: 'ignore' });
    await ready();
  };
  const kill = async (): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill('SIGKILL');
    await exited;
  };
  await launch();
  return {
    kill,
    restart: launch,
    signal: (sig) => void child?.kill(sig),
    async stop() {
      await kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
