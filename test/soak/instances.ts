// Soak instances as child processes, and the load that runs against them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../fixtures/apps/soak-instance.js', import.meta.url));

/** A running soak instance (test/fixtures/apps/soak-instance.ts). */
export class Instance {
  readonly id: string;
  readonly proc: ChildProcess;
  readonly http: string;
  readonly grpc: string;
  readonly #exited: Promise<void>;

  private constructor(id: string, proc: ChildProcess, endpoints: string[]) {
    this.id = id;
    this.proc = proc;
    this.http = endpoints.find((e) => e.startsWith('http://')) ?? '';
    this.grpc = (endpoints.find((e) => e.startsWith('grpc://')) ?? '').replace('grpc://', '');
    this.#exited = new Promise((resolve) => (proc.exitCode !== null ? resolve() : proc.once('exit', () => resolve())));
  }

  static async start(id: string, env: Record<string, string> = {}): Promise<Instance> {
    const proc = spawn(process.execPath, [script], { env: { ...process.env, ID: id, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let out = '';
    const endpoints = await new Promise<string[]>((resolve, reject) => {
      const onData = (d: Buffer): void => {
        out += d.toString();
        const m = /READY (.+)\n/.exec(out);
        if (m !== null) resolve((m[1] as string).split(' '));
      };
      proc.stdout?.on('data', onData);
      proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      proc.once('exit', (code) => reject(new Error(`instance ${id} exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`instance ${id} did not start: ${out}`)), 20_000).unref();
    });
    return new Instance(id, proc, endpoints);
  }

  /** Resident memory, MiB. */
  rss(): number {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
    return m === null ? NaN : Number(m[1]) / 1024;
  }

  /** Graceful stop (SIGTERM: deregister, drain, exit). */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill('SIGTERM');
    await this.#exited;
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null) this.proc.kill('SIGKILL');
    await this.#exited;
  }
}

/** What a load run counted. */
export interface LoadResult {
  calls: number;
  failed: number;
  /** Up to five distinct failure messages. */
  errors: string[];
  p99ms: number;
}

/**
 * Runs `call` from `concurrency` loops until `stop()` resolves, each call as soon as the last one ended:
 * the instance is kept saturated.
 */
export async function load(call: () => Promise<unknown>, concurrency: number, stop: Promise<void>): Promise<LoadResult> {
  let done = false;
  void stop.then(() => (done = true));
  const latencies: number[] = [];
  const errors = new Set<string>();
  let failed = 0;
  const loop = async (): Promise<void> => {
    while (!done) {
      const t0 = performance.now();
      try {
        await call();
      } catch (err) {
        failed++;
        if (errors.size < 5) errors.add(err instanceof Error ? err.message : String(err));
      }
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  latencies.sort((a, b) => a - b);
  return { calls: latencies.length, failed, errors: [...errors], p99ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
