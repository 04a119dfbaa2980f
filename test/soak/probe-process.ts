// The probe times admitted calls from the client's side. Run inside the soak's runner it also timed
// the runner's own garbage collection: the runner keeps wrk's and h2load's output, the instances'
// counters and its test modules, and its full GCs (23 to 46 ms on 29 Nov 2026) stalled whatever probe
// call was in flight, which the 4x rows then reported as their slowest admitted call (the instance
// had ended the call 40 to 58 ms before the probe saw it: docs/resilience-and-security.md, "Thirteenth
// round"). A process that only probes allocates little, but V8's memory reducer still ran two full GCs
// (16 to 45 ms) some ten seconds into its life, when it looked idle: so it runs without the reducer and
// collects its garbage between phases, never during one.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProbeTarget, Probed } from './load-tools.js';

/** A probe client in a child process, on the runner's core (a forked child inherits its affinity). */
export class ProbeProcess {
  readonly #proc: ChildProcess;

  private constructor(proc: ChildProcess) {
    this.#proc = proc;
  }

  /** Starts the child and waits until it can probe at once. */
  static async start(): Promise<ProbeProcess> {
    const script = fileURLToPath(new URL('./probe-child.js', import.meta.url));
    const proc = fork(script, { execArgv: [...process.execArgv, '--expose-gc', '--no-memory-reducer'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      proc.once('message', () => resolve());
      proc.once('exit', (code) => reject(new Error(`the probe process exited with ${code}`)));
    });
    return new ProbeProcess(proc);
  }

  /** Calls `target` `perSecond` times a second for `seconds` (see `probe` in load-tools.ts). */
  run(target: ProbeTarget, perSecond: number, seconds: number): Promise<Probed> {
    return new Promise((resolve, reject) => {
      // A probe process that dies mid-phase fails the run instead of leaving it waiting.
      const died = (code: number | null): void => reject(new Error(`the probe process exited with ${code} during a phase`));
      this.#proc.once('exit', died);
      this.#proc.once('message', (m) => {
        this.#proc.off('exit', died);
        resolve(m as Probed);
      });
      this.#proc.send({ target, perSecond, seconds });
    });
  }

  async close(): Promise<void> {
    if (this.#proc.exitCode !== null) return;
    const exited = new Promise((r) => this.#proc.once('exit', r));
    this.#proc.disconnect();
    await exited;
  }
}
