import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
function read(path) {
    try {
        return readFileSync(path, 'utf8');
    }
    catch {
        return undefined;
    }
}
// A quota below the machine's cores is the real ceiling: 80 % of 2 cores is busy even on a 64-core host.
function capCores(quota) {
    const machine = availableParallelism();
    return Number.isFinite(quota) && quota > 0 ? Math.min(quota, machine) : machine;
}
function cgroupV2(root) {
    const stat = join(root, 'cpu.stat');
    const usage = () => {
        const m = /^usage_usec (\d+)$/m.exec(read(stat) ?? '');
        return m?.[1] === undefined ? undefined : Number(m[1]);
    };
    if (usage() === undefined)
        return undefined;
    // cpu.max is "<quota> <period>" in µs, or "max <period>" without a limit.
    const [quota, period] = (read(join(root, 'cpu.max')) ?? 'max').trim().split(/\s+/);
    return { usedMicros: () => usage() ?? 0, cores: capCores(quota === 'max' ? NaN : Number(quota) / Number(period)) };
}
function cgroupV1(root) {
    for (const dir of ['cpuacct', 'cpu,cpuacct', 'cpuacct,cpu']) {
        const usagePath = join(root, dir, 'cpuacct.usage');
        if (read(usagePath) === undefined)
            continue;
        const cpuDir = dir === 'cpuacct' ? 'cpu' : dir;
        // A quota of -1 means unlimited.
        const quota = Number(read(join(root, cpuDir, 'cpu.cfs_quota_us')) ?? -1);
        const period = Number(read(join(root, cpuDir, 'cpu.cfs_period_us')) ?? 100_000);
        return { usedMicros: () => Number(read(usagePath) ?? 0) / 1000, cores: capCores(quota > 0 ? quota / period : NaN) };
    }
    return undefined;
}
function processSource() {
    return {
        usedMicros: () => {
            const u = process.cpuUsage();
            return u.user + u.system;
        },
        cores: availableParallelism(),
    };
}
/**
 * The default CPU reader: the container's usage from cgroup v2 (`cpu.stat`, `cpu.max`) or v1
 * (`cpuacct.usage`, `cpu.cfs_quota_us`) when readable, else this process's CPU time; in both cases
 * over wall time and the cores available. `cgroupRoot` (default `/sys/fs/cgroup`) is for tests.
 * @public
 */
export function defaultCpuReader(cgroupRoot = '/sys/fs/cgroup') {
    const source = cgroupV2(cgroupRoot) ?? cgroupV1(cgroupRoot) ?? processSource();
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
