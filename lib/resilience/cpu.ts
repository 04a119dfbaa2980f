import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** A CPU usage reader in per mille (0..1000) since its previous call. */
export type CpuReader = () => number;

function cgroupV2(): CpuReader | undefined {
  const stat = '/sys/fs/cgroup/cpu.stat';
  if (!existsSync(stat)) return undefined;
  const usage = (): number => Number(/usage_usec (\d+)/.exec(readFileSync(stat, 'utf8'))?.[1] ?? 0);
  let cores = availableParallelism();
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota !== undefined && quota !== 'max') cores = Number(quota) / Number(period);
  } catch {
    // No cpu.max: the machine's cores are the limit.
  }
  let lastUsage = usage();
  let lastAt = process.hrtime.bigint();
  return () => {
    const u = usage();
    const at = process.hrtime.bigint();
    const wallUs = Number(at - lastAt) / 1000;
    const used = wallUs <= 0 ? 0 : (u - lastUsage) / (wallUs * cores);
    lastUsage = u;
    lastAt = at;
    return Math.min(1000, Math.max(0, Math.round(used * 1000)));
  };
}

// Without a cgroup: this process's CPU time over wall time and the machine's cores.
function processCpu(): CpuReader {
  const cores = availableParallelism();
  let last = process.cpuUsage();
  let lastAt = process.hrtime.bigint();
  return () => {
    const now = process.cpuUsage();
    const at = process.hrtime.bigint();
    const wallUs = Number(at - lastAt) / 1000;
    const used = wallUs <= 0 ? 0 : (now.user - last.user + now.system - last.system) / (wallUs * cores);
    last = now;
    lastAt = at;
    return Math.min(1000, Math.max(0, Math.round(used * 1000)));
  };
}

/** Reads the container's CPU usage from cgroup v2 when present, else the process's. */
export function defaultCpuReader(): CpuReader {
  return cgroupV2() ?? processCpu();
}
