// Free loopback ports for the servers a bench starts. Linux hands out a port it freed a moment ago
// again (2 in 20,000 listen(0) calls on the bench machine), so ports needed together are held
// together while they are chosen.
import { createServer } from 'node:net';

/** `n` distinct loopback ports the kernel gave and freed. */
export async function freePorts(n) {
  const held = await Promise.all(
    Array.from({ length: n }, () => new Promise((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = held.map((s) => s.address().port);
  await Promise.all(held.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export async function freePort() {
  return (await freePorts(1))[0];
}
