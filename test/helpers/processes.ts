import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Running, as opposed to gone or a zombie not yet reaped (a SIGKILLed orphan is not running). */
export function running(pid: number | string): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** True when `pid` is gone within 2 s: a SIGKILLed process may take a moment to disappear. */
export async function gone(pid: number): Promise<boolean> {
  const until = Date.now() + 2000;
  while (running(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return !running(pid);
}

/** A service process with its output collected; `listening(n)` waits for its n-th start and returns its endpoints. */
export interface Served {
  child: ChildProcess;
  out(): string;
  listening(n?: number): Promise<{ http: string; grpc: string }>;
}

/** Starts `cmd` with `env` (give it HTTP_ADDR/GRPC_ADDR of 127.0.0.1:0) and collects stdout and stderr. */
export function serve(cmd: string[], cwd: string, env: NodeJS.ProcessEnv): Served {
  const child = spawn(cmd[0] as string, cmd.slice(1), { cwd, env });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const listening = async (n = 1) => {
    const until = Date.now() + 60_000;
    const count = () => (out.match(/server listening on grpc:/g) ?? []).length;
    while (count() < n && Date.now() < until && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
    assert.ok(count() >= n, out);
    const http = [...out.matchAll(/server listening on (http:\/\/127\.0\.0\.1:\d+)/g)].at(-1)?.[1] as string;
    const grpc = [...out.matchAll(/server listening on grpc:\/\/(127\.0\.0\.1:\d+)/g)].at(-1)?.[1] as string;
    return { http, grpc };
  };
  return { child, out: () => out, listening };
}

/** SIGTERM, then wait for the exit. */
export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}
