// Socket writes and event-loop turns per streamed message, counted rather than timed: each server
// under the stream bench's client (1000-message StreamHello streams, four at a time) with `strace -c`
// attached for STREAM_SYSCALL_SECONDS (write, writev, sendmsg and epoll waits of every thread), the
// counts divided by the messages the client read. Cases as in stream-anatomy.mjs:
//   STREAM_SYSCALL_CASES='raw;/work/wt/base:grpc-sync;.:grpc-sync' node bench/per-call/stream-syscalls.mjs
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grpcStream, startServer, stopServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.STREAM_SYSCALL_SECONDS ?? 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cases = (process.env.STREAM_SYSCALL_CASES ?? 'raw;.:grpc-sync').split(';').filter(Boolean).map((spec) => {
  if (spec === 'raw') return { id: spec, cmd: ['node', join(HERE, '..', 'servers', 'grpc-raw.mjs')] };
  const [root, variant] = spec.split(':');
  return { id: spec, cmd: ['node', join(resolve(root), 'bench', 'servers', 'kratos.mjs'), variant] };
});

for (const c of cases) {
  const proc = await startServer(c.cmd, '1', 'stream');
  try {
    await grpcStream(1);
    const strace = spawn('strace', ['-c', '-f', '-e', 'trace=write,writev,sendmsg,epoll_wait,epoll_pwait', '-p', String(proc.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let summary = '';
    strace.stderr.on('data', (d) => (summary += d));
    await sleep(500);
    const r = await grpcStream(SECONDS);
    strace.kill('SIGINT');
    await new Promise((done) => strace.on('exit', done));
    // strace -c's table: % time, seconds, usecs/call, calls, [errors,] syscall.
    const per = {};
    for (const m of summary.matchAll(/^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)$/gm)) per[m[2]] = Number((Number(m[1]) / r.count).toFixed(4));
    console.log(`${c.id}: ${r.count} messages, per message ${JSON.stringify(per)}`);
  } finally {
    await stopServer(proc);
  }
}
