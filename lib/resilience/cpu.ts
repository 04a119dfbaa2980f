import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

/**
 * Reads CPU usage in per mille since its previous call (0..1000; what 1000 means depends on the reader).
 * @public
 */
export type CpuReader = () => number;

/** Cumulative CPU time used, µs, and how many cores' worth of time we may use. */
interface CpuSource {
  usedMicros(): number;
  cores: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

// A quota below the machine's cores is the real ceiling: 80 % of 2 cores is busy even on a 64-core host.
function capCores(quota: number): number {
  const machine = availableParallelism();
  return Number.isFinite(quota) && quota > 0 ? Math.min(quota, machine) : machine;
}

function cgroupV2(root: string): CpuSource | undefined {
  const stat = join(root, 'cpu.stat');
  const usage = (): number | undefined => {
    const m = /^usage_usec (\d+)$/m.exec(read(stat) ?? '');
    return m?.[1] === undefined ? undefined : Number(m[1]);
  };
  if (usage() === undefined) return undefined;
  // cpu.max is "<quota> <period>" in µs, or "max <period>" without a limit.
  const [quota, period] = (read(join(root, 'cpu.max')) ?? 'max').trim().split(/\s+/);
  return { usedMicros: () => usage() ?? 0, cores: capCores(quota === 'max' ? NaN : Number(quota) / Number(period)) };
}

function cgroupV1(root: string): CpuSource | undefined {
  for (const dir of ['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu']) {
    const usagePath = join(root, dir, 'cpuacct.usage');
    if (read(usagePath) === undefined) continue;
    const cpuDir = dir === 'cpuacct' ? 'cpu' : dir;
    // A quota of -1 means unlimited.
    const quota = Number(read(join(root, cpuDir, 'cpu.cfs_quota_us')) ?? -1);
    const period = Number(read(join(root, cpuDir, 'cpu.cfs_period_us')) ?? 100_000);
    return { usedMicros: () => Number(read(usagePath) ?? 0) / 1000, cores: capCores(quota > 0 ? quota / period : NaN) };
  }
  return undefined;
}

function processSource(): CpuSource {
  return {
    usedMicros: () => {
      const u = process.cpuUsage();
      return u.user + u.system;
    },
    cores: 1,
  };
}

function over(source: CpuSource): CpuReader {
  let lastUsed = source.usedMicros();
  let lastAt = process.hrtime.bigint();
  return () => {
    const used = source.usedMicros();
    const at = process.hrtime.bigint();
    const wallMicros = Number(at - lastAt) / 1000;
    const share = wallMicros <= 0 ? 0 : (used - lastUsed) / (wallMicros * source.cores);
    lastUsed = used;
    lastAt = at;
    return Math.min(1000, Math.max(0, Math.round(share * 1000)));
  };
}

/**
 * The default CPU reader: this process's CPU time over wall time against ONE core, since a Node
 * process runs its JavaScript on one thread: 1000 means the event loop's core is full, however many
 * cores the host has. A cgroup quota below one core (v2 `cpu.max`, v1 `cpu.cfs_quota_us`) is the
 * ceiling instead. Worker and GC threads may push the reading past 1000; it is capped there.
 * `cgroupRoot` (default `/sys/fs/cgroup`) is for tests.
 * @public
 */
export function defaultCpuReader(cgroupRoot = '/sys/fs/cgroup'): CpuReader {
  const quota = (cgroupV2(cgroupRoot) ?? cgroupV1(cgroupRoot))?.cores ?? 1;
  return over({ ...processSource(), cores: Math.min(1, quota) });
}

/**
 * The whole container's CPU usage from cgroup v2 (`cpu.stat`, `cpu.max`) or v1 (`cpuacct.usage`,
 * `cpu.cfs_quota_us`) against its quota or the host's cores; this process's against one core when no
 * cgroup is readable. Use it when several processes share a container and its quota is the limit.
 * @public
 */
export function cgroupCpuReader(cgroupRoot = '/sys/fs/cgroup'): CpuReader {
  return over(cgroupV2(cgroupRoot) ?? cgroupV1(cgroupRoot) ?? processSource());
}
