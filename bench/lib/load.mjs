// Starting a pinned server, checking it answers correctly, and loading it with wrk, h2load or the stream client.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { greeterClient, HERE } from './grpc-client.mjs';
import { freePort } from './ports.mjs';

const run = promisify(execFile);
const REQUEST_FILE = join(HERE, 'proto', 'say-hello.bin');
let port = 0;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU time a process has used so far, µs (/proc/<pid>/stat fields 14 and 15). */
export function cpuMicros(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS) * 1e6;
}

function canConnect(p) {
  return new Promise((resolve) => {
    const socket = connect(p, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

/** Starts `cmd` pinned to `cores`, stdout to /dev/null, and waits until it answers a correct reply. */
export async function startServer(cmd, cores, group) {
  port = await freePort();
  const proc = spawn('taskset', ['-c', cores, ...cmd], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr += d));
  const deadline = Date.now() + 20_000;
  while (!(await canConnect(port))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`${cmd.join(' ')} did not start: ${stderr}`);
    await sleep(20);
  }
  await check(group);
  // The load functions aim at the server started last unless given this port (bench/lib/paired.mjs keeps several up).
  proc.port = port;
  return proc;
}

async function check(group) {
  if (group === 'http') {
    const res = await fetch(`http://127.0.0.1:${port}/helloworld/bench`);
    const body = await res.json();
    if (res.status !== 200 || body.message !== 'Hello bench') throw new Error(`unexpected reply ${res.status} ${JSON.stringify(body)}`);
    return;
  }
  const client = greeterClient(port);
  try {
    const reply = await new Promise((resolve, reject) => client.SayHello({ name: 'bench' }, (err, r) => (err ? reject(err) : resolve(r))));
    if (reply.message !== 'Hello bench') throw new Error(`unexpected reply ${JSON.stringify(reply)}`);
  } finally {
    client.close();
  }
}

export async function stopServer(proc) {
  if (proc.exitCode !== null) return;
  const exited = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGTERM');
  const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const num = (text, re) => {
  const m = re.exec(text);
  return m === null ? 0 : Number(m[1]);
};

function toMs(value, unit) {
  return unit === 'us' ? value / 1000 : unit === 's' ? value * 1000 : value;
}

/** wrk, one thread, 50 connections, on core 0. */
export async function httpLoad(seconds, at = port) {
  const { stdout } = await run('taskset', ['-c', '0', 'wrk', '-t1', '-c50', `-d${seconds}s`, '--latency', `http://127.0.0.1:${at}/helloworld/kratos`]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const errors = num(stdout, /Non-2xx or 3xx responses: (\d+)/) + [...stdout.matchAll(/(?:connect|read|write|timeout) (\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { rate: num(stdout, /Requests\/sec:\s+([\d.]+)/), count: num(stdout, /(\d+) requests in/), p99ms: p99 === null ? undefined : toMs(Number(p99[1]), p99[2]), errors };
}

/** h2load, one connection with 100 concurrent streams (the client that costs least CPU), on core 0. */
export async function grpcUnary(seconds, at = port) {
  const args = ['-c', '0', 'h2load', '-c1', '-m100', '-t1', '-D', String(seconds), '-d', REQUEST_FILE, '-H', 'content-type: application/grpc', '-H', 'te: trailers'];
  const { stdout } = await run('taskset', [...args, `http://127.0.0.1:${at}/helloworld.v1.Greeter/SayHello`]);
  const mean = /time for request:\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)/.exec(stdout);
  return {
    rate: num(stdout, /finished in [\d.]+s, ([\d.]+) req\/s/),
    count: num(stdout, /requests: \d+ total, \d+ started, (\d+) done/),
    meanMs: mean === null ? undefined : toMs(Number(mean[1]), mean[2]),
    errors: num(stdout, /(\d+) failed/) + num(stdout, /(\d+) errored/),
  };
}

/** Messages per second over server streams of 1000 replies, four at a time, read by grpc-js on core 0. */
export async function grpcStream(seconds, at = port) {
  const { stdout } = await run('taskset', ['-c', '0', 'node', join(HERE, 'lib', 'stream-client.mjs'), String(at), String(seconds)]);
  return JSON.parse(stdout);
}
