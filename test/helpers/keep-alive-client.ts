import { connect } from 'node:net';
import { PromiseCounter } from './promise-counter.js';

/**
 * Sends `paths` one after the other on one keep-alive connection with a callback-only client (no
 * promise of its own), counting the promises the process makes meanwhile; resolves the raw responses.
 */
export function served(port: number, paths: readonly string[]): Promise<{ responses: string[]; promises: number }> {
  return new Promise((resolve, reject) => {
    const responses: string[] = [];
    let counter: PromiseCounter | undefined;
    const socket = connect(port, '127.0.0.1');
    let pending = Buffer.alloc(0);
    const next = (): void => {
      const path = paths[responses.length];
      if (path === undefined) {
        const promises = counter?.stop() ?? 0;
        socket.destroy();
        resolve({ responses, promises });
        return;
      }
      socket.write(`GET ${path} HTTP/1.1\r\nHost: t\r\n\r\n`);
    };
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      const end = pending.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(/content-length: (\d+)/i.exec(pending.subarray(0, end).toString('latin1'))?.[1] ?? 0);
      if (pending.length < end + 4 + length) return;
      // The Date header is the one part of a reply that depends on when it was sent.
      responses.push(pending.subarray(0, end + 4 + length).toString('utf8').replace(/\r\nDate: [^\r]+/, ''));
      pending = pending.subarray(end + 4 + length);
      next();
    });
    socket.on('error', reject);
    socket.on('close', () => {
      counter?.stop();
      if (responses.length < paths.length) reject(new Error(`connection closed after ${responses.length} of ${paths.length} responses`));
    });
    socket.on('connect', () => {
      counter = new PromiseCounter();
      next();
    });
  });
}
