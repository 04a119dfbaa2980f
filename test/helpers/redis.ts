import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDaemon, type Daemon } from './daemon.js';
import { restartablePort } from './ports.js';

/** A real Redis (Debian's redis-server) on a free loopback port, no persistence, stopped by PID. */
export interface TestRedis extends Daemon {
  addr: string;
}

// PING over a raw socket until +PONG: no client library involved in the harness.
async function waitPong(port: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => s.write('PING\r\n'));
      s.on('data', (d: Buffer) => {
        s.destroy();
        resolve(d.toString().startsWith('+PONG'));
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error(`redis on ${port} did not answer PING`);
}

export async function startRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-redis-'));
  // Restartable: restart() listens on it again.
  const port = await restartablePort();
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
  const daemon = await startDaemon('redis-server', args, dir, () => waitPong(port, Date.now() + 10_000));
  return { addr: `127.0.0.1:${port}`, ...daemon };
}
