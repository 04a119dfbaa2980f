import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';
import { restartablePorts } from './ports.js';

/** A real etcd (Debian's etcd-server) on free loopback ports with a temporary data dir. */
export interface TestEtcd extends Daemon {
  endpoint: string;
  /** Kills etcd, deletes its data and starts it again on the same ports: a cluster that lost everything. */
  restartEmpty(): Promise<void>;
}

async function waitHealthy(endpoint: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const r = await fetch(`${endpoint}/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`etcd at ${endpoint} did not become healthy`);
}

/** Starts etcd; resolves once it answers /health. Stopped by PID in stop(). */
export async function startEtcd(): Promise<TestEtcd> {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-etcd-'));
  // Restartable: restartEmpty() listens on them again.
  const [client, peer] = (await restartablePorts(2)) as [number, number];
  const endpoint = `http://127.0.0.1:${client}`;
  const args = [
    '--data-dir', join(dir, 'data'),
    '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `default=http://127.0.0.1:${peer}`,
  ];
  const daemon = await startDaemon('etcd', args, dir, () => waitHealthy(endpoint, Date.now() + 15_000));
  const restartEmpty = async (): Promise<void> => {
    await daemon.kill();
    rmSync(join(dir, 'data'), { recursive: true, force: true });
    await daemon.restart();
  };
  return { endpoint, ...daemon, restartEmpty };
}

/** True when Debian's etcd-server is installed (the suite's .ci/run installs it). */
export function hasEtcd(): boolean {
  try {
    return spawn('etcd', ['--version']).pid !== undefined;
  } catch {
    return false;
  }
}
