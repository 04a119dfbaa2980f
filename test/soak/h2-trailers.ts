// Where a gRPC reply waits in a busy loop (issue 18): a bare node:http2 server answers as grpc-js
// does (respond with waitForTrailers, write the message, end, send the status on 'wantTrailers') after
// a 5 ms handler on connection A; a 10 ms handler on connection B starts in the next loop iteration.
// Prints when A's client got its headers and its trailers against the end of both handlers (one
// clock: performance.timeOrigin + now, the same machine). Run: `node dist/test/soak/h2-trailers.js`.
import { spawn } from 'node:child_process';
import { connect, createServer, type ClientHttp2Session } from 'node:http2';
import { fileURLToPath } from 'node:url';
import { spin } from '../fixtures/apps/overload-work.js';
import { exitWithParent } from '../fixtures/apps/parent-link.js';

const now = (): number => performance.timeOrigin + performance.now();

function serve(): void {
  exitWithParent();
  const marks: Record<string, number> = {};
  const server = createServer();
  server.on('stream', (stream, headers) => {
    const name = String(headers[':path']);
    stream.on('data', () => undefined);
    stream.on('end', () => {
      spin(Number(headers['x-spin']));
      marks[`${name} handler end`] = now();
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.write(Buffer.alloc(10), () => stream.end());
      stream.once('wantTrailers', () => {
        marks[`${name} trailers asked`] = now();
        stream.sendTrailers({ 'grpc-status': '0' });
      });
    });
  });
  server.listen(0, '127.0.0.1', () => process.send?.({ port: (server.address() as { port: number }).port }));
  process.on('message', () => process.send?.({ marks }));
}

function call(session: ClientHttp2Session, path: string, spinMs: number, marks: Record<string, number>): Promise<void> {
  return new Promise((resolve) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', 'x-spin': String(spinMs) });
    req.on('response', () => (marks[`${path} client headers`] = now()));
    req.on('trailers', () => (marks[`${path} client trailers`] = now()));
    req.on('data', () => undefined);
    req.on('close', resolve);
    req.end(Buffer.alloc(5));
  });
}

async function main(): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  // The server on core 0, this client on core 1, where the host has them (as the soak's instance and load).
  const server = spawn('taskset', ['-c', '0', process.execPath, script, 'server'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = <T>(): Promise<T> => new Promise((r) => server.once('message', (m) => r(m as T)));
  const { port } = await ask<{ port: number }>();
  const a = connect(`http://127.0.0.1:${port}`);
  const b = connect(`http://127.0.0.1:${port}`);
  await new Promise((r) => setTimeout(r, 200));
  for (const delay of [2, 2, 2, 7, 7, 7]) {
    const marks: Record<string, number> = {};
    const t0 = now();
    const pa = call(a, '/A', 5, marks);
    await new Promise((r) => setTimeout(r, delay));
    await Promise.all([pa, call(b, '/B', 10, marks)]);
    server.send({});
    Object.assign(marks, (await ask<{ marks: Record<string, number> }>()).marks);
    const at = (k: string): string => ((marks[k] ?? NaN) - t0).toFixed(1);
    console.log(`B ${delay} ms after A: A's handler ended ${at('/A handler end')}, A's headers at the client ${at('/A client headers')}, A's trailers asked ${at('/A trailers asked')}, B's handler ended ${at('/B handler end')}, A's trailers at the client ${at('/A client trailers')} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
  a.close();
  b.close();
  server.kill();
}

if (process.argv[2] === 'server') serve();
else await main();
