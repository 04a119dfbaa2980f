// What one refused call costs the serving process: CPU time (/proc/<pid>/stat, user + system) per
// refusal, on an instance whose limiter refuses everything, driven by wrk or h2load at a fixed rate.
// The rateLimit middleware and the front door are measured alternately in the same run.
import { readFileSync } from 'node:fs';
import { Child, h2load, wrk } from './load-tools.js';
import type { Limit, Transport } from './overload.js';

/** CPU time a process has used, ms (utime + stime). */
export function cpuMsOf(pid: number): number {
  // Fields after the command name, which is in parentheses and may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}

// USER_HZ is 100 on every Linux architecture node runs on.
const CLOCK_TICKS = 100;

/** µs of CPU per refused call, and how many were refused. */
export interface RefusalCost {
  transport: Transport;
  limit: Limit;
  rate: number;
  refused: number;
  usPerRefusal: number;
}

export async function refusalCost(transport: Transport, limit: Limit, seconds: number, rate: number): Promise<RefusalCost> {
  const child = await Child.start('overload-instance', { LIMIT: limit, REFUSE_ALL: '1' });
  try {
    const pid = child.proc.pid as number;
    const drive = (s: number): Promise<unknown> => (transport === 'http' ? wrk(`${child.http}/async`, s, Math.max(8, Math.ceil(rate / 10)), rate) : h2load(child.grpc, 'async', s, 8, rate, 64));
    await drive(1);
    const c0 = await child.counters();
    const t0 = cpuMsOf(pid);
    await drive(seconds);
    const t1 = cpuMsOf(pid);
    const c1 = await child.counters();
    const refused = c1.shed - c0.shed;
    return { transport, limit, rate, refused, usPerRefusal: (1000 * (t1 - t0)) / Math.max(1, refused) };
  } finally {
    await child.stop();
  }
}
