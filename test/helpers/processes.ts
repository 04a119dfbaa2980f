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
