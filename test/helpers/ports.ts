import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';

/**
 * A free loopback port below the kernel's ephemeral range, for an address that must stay dead or be
 * listened on again later (a node that dies and comes back, a daemon restarted on its ports). A port
 * from the ephemeral range can meanwhile become the local port of any outgoing connection on the host
 * (other suites, wrk's hundreds of connections), then nothing can listen on it; or of the test's own
 * connect to it (TCP self-connect), which then reaches itself instead of being refused; or the next
 * server started on port 0, since Linux hands out a port it freed a moment ago again (2 in 20,000
 * listen(0) calls on the test machine). The kernel never hands out ports below that range by itself.
 */
export async function restartablePort(): Promise<number> {
  return (await restartablePorts(1))[0] as number;
}

/** `n` distinct ports as {@link restartablePort} gives them. */
export async function restartablePorts(n: number): Promise<number[]> {
  const low = ephemeralLow();
  const held: Server[] = [];
  try {
    for (let tries = 0; held.length < n && tries < 50 * n; tries++) {
      const port = 10_000 + Math.floor(Math.random() * Math.max(1, low - 10_000));
      const s = await listenOn(port).catch(() => undefined);
      if (s !== undefined) held.push(s);
    }
    if (held.length < n) throw new Error(`no ${n} free ports below the ephemeral range (${low})`);
    return held.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(held.map(close));
  }
}

function ephemeralLow(): number {
  try {
    return Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
  } catch {
    // Not Linux: Linux's default range's start.
    return 32768;
  }
}

function listenOn(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

function close(s: Server): Promise<void> {
  return new Promise((resolve) => s.close(() => resolve()));
}
