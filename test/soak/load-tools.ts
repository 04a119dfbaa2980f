// Drivers for the overload runs: an instance child process with IPC counters, wrk and h2load at a
// chosen rate, and a probe client that times individual calls while they run.
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGrpcClient } from '../../lib/transport/grpc/index.js';
import { echoService } from '../helpers/echo-service.js';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// For the soak's figures (pinLoad(true)), with two cores or more, an instance runs on core 0 and wrk /
// h2load on core 1, as a server and its clients on two machines would: left to the scheduler they take
// turns on the server's core, and the capacity and latencies measured are the load generator's as much
// as the server's. The suite's short runs leave placement to the scheduler: on a host busy with other
// work a pinned instance cannot move off a crowded core.
let pinned = false;

/**
 * Pins instances and load generators from now on, where the host has two cores and taskset; and this
 * process (the runner, whose probe times the admitted calls) to the load generators' core. Left to
 * the scheduler, the runner shares the saturated instance's core now and then, and the probe's own
 * scheduling delay counts as the service's latency, loaded or not: the client side of a call belongs
 * with the other clients, as on a separate machine. `taskset -a`: every thread of the process (libuv's
 * pool, V8's helpers), not only the main one.
 */
export function pinLoad(on: boolean): void {
  pinned = on && availableParallelism() >= 2 && hasTaskset();
  if (pinned) execFileSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
}

function hasTaskset(): boolean {
  try {
    execFileSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** `cmd args` run on `core` (taskset) when pinning is on. */
export function onCore(core: 0 | 1, cmd: string, args: string[]): [string, string[]] {
  return pinned ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args];
}

/** What an instance counted at its outermost middleware. */
export interface Counters {
  ok: number;
  shed: number;
  /** Of the shed calls, those refused at the front door. */
  atFront: number;
  /** Of those, held calls refused when their turn came (stale), with a pacer. */
  staleShed?: number;
  failed: number;
  /** p99 of the admitted calls' times inside the instance since the previous read, ms (front door only). */
  servedP99?: number;
  /** p99 of the time admitted calls were held by the front door's pacer since the previous read, ms (NaN without one). */
  heldP99?: number;
  rssMiB: number;
  limiter?: Record<string, number | boolean>;
  /** The front door's Pacer.stat(), when it paces. */
  pacer?: Record<string, number>;
}

/** A fixture app (test/fixtures/apps/<name>.js, or a path relative to that folder) in a child process, answering `{}` IPC messages with its counters. */
export class Child {
  readonly http: string;
  readonly grpc: string;
  readonly proc: ChildProcess;
  #rssPeak = 0;

  private constructor(proc: ChildProcess, endpoints: string[]) {
    this.proc = proc;
    this.http = endpoints.find((e) => e.startsWith('http://')) ?? '';
    this.grpc = (endpoints.find((e) => e.startsWith('grpc://')) ?? '').replace('grpc://', '');
  }

  static async start(app: string, env: Record<string, string>): Promise<Child> {
    const script = fileURLToPath(new URL(`../fixtures/apps/${app}.js`, import.meta.url));
    const [cmd, args] = onCore(0, process.execPath, [script]);
    const proc = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let out = '';
    const endpoints = await new Promise<string[]>((resolve, reject) => {
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /READY (.+)\n/.exec(out);
        if (m !== null) resolve((m[1] as string).split(' '));
      });
      proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      proc.once('exit', (code) => reject(new Error(`${app} exited with ${code}: ${out}`)));
      setTimeout(() => reject(new Error(`${app} did not start: ${out}`)), 20_000).unref();
    });
    return new Child(proc, endpoints);
  }

  /** The counters now (the child answers between calls, so under overload this waits a turn or two). */
  counters(): Promise<Counters> {
    return new Promise((resolve) => {
      this.proc.once('message', (m) => {
        const c = m as Counters;
        this.#rssPeak = Math.max(this.#rssPeak, c.rssMiB);
        resolve(c);
      });
      this.proc.send({});
    });
  }

  get rssPeakMiB(): number {
    return this.#rssPeak;
  }

  /** Sends SIGSTOP/SIGCONT etc. */
  signal(sig: NodeJS.Signals): void {
    this.proc.kill(sig);
  }

  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const exited = new Promise((r) => this.proc.once('exit', r));
    this.proc.kill('SIGKILL');
    await exited;
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'kratos-overload-'));

/** A load generator, on the core the instances do not use. */
function run(tool: string, toolArgs: string[], timeoutMs: number): Promise<string> {
  const [cmd, args] = onCore(1, tool, toolArgs);
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1 << 24 }, (err, stdout, stderr) => (err === null ? resolve(stdout) : reject(new Error(`${cmd} failed: ${err.message} ${stderr}`))));
  });
}

/** What a load generator counted. */
export interface Generated {
  requests: number;
  /** Replies other than 2xx (HTTP) or transport errors. */
  errors: number;
  /** p99 latency of every call, ms (wrk only). */
  p99?: number;
}

/**
 * wrk against `url`: as fast as it can with `connections` (rate undefined), or at about `rate` calls/s:
 * each connection waits a random 0..2·(connections/rate) s between calls (wrk's delay() hook).
 */
export async function wrk(url: string, seconds: number, connections: number, rate?: number, randomIds?: number): Promise<Generated> {
  const script = join(tmp, `pace-${rate ?? 0}-${connections}-${randomIds ?? 0}.lua`);
  const meanDelay = rate === undefined ? 0 : (1000 * connections) / rate;
  const path = new URL(url).pathname;
  writeFileSync(
    script,
    [
      `local mean = ${meanDelay}`,
      'function delay() if mean == 0 then return 0 end return math.random(0, math.floor(2 * mean)) end',
      // With randomIds, each call asks for `<path><random id>`: distinct keys, so a cache mostly misses.
      randomIds === undefined ? '' : `function request() return wrk.format(nil, "${path}" .. math.random(1, ${randomIds})) end`,
      'function done(summary, latency) io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, latency:percentile(99))) end',
    ].join('\n'),
  );
  const out = await run('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--timeout', '5s', '-s', script, url], (seconds + 20) * 1000);
  const m = /RESULT (\d+) (\d+) (\d+) (\d+)/.exec(out);
  if (m === null) throw new Error(`wrk printed no result: ${out}`);
  return { requests: Number(m[1]), errors: Number(m[2]) + Number(m[3]), p99: Number(m[4]) / 1000 };
}

/** A gRPC request body for h2load: one uncompressed length-prefixed echo.v1.Msg { text }. */
function grpcBody(text: string): string {
  const file = join(tmp, `msg-${text}.bin`);
  const msg = Buffer.concat([Buffer.from([0x0a, text.length]), Buffer.from(text)]);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(msg.length, 1);
  writeFileSync(file, Buffer.concat([frame, msg]));
  return file;
}

/**
 * h2load driving echo.v1.Echo/Say over h2c: `clients` connections, each at `rate / clients` calls/s
 * (--rps), or as fast as `streams` concurrent streams per connection allow (rate undefined).
 */
export async function h2load(addr: string, text: string, seconds: number, clients: number, rate?: number, streams = 1): Promise<Generated> {
  const args = [`-c${clients}`, `-m${streams}`, `-D${seconds}`, '-d', grpcBody(text), '-H', 'content-type: application/grpc', '-H', 'te: trailers', `http://${addr}/echo.v1.Echo/Say`];
  if (rate !== undefined) args.unshift(`--rps=${Math.max(1, Math.round(rate / clients))}`);
  const out = await run('h2load', args, (seconds + 20) * 1000);
  const m = /requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/.exec(out);
  if (m === null) throw new Error(`h2load printed no result: ${out}`);
  return { requests: Number(m[1]), errors: Number(m[3]) + Number(m[4]) };
}

/** Latencies of the probe's calls that succeeded, and how many were rejected. */
export interface Probed {
  okMs: number[];
  rejected: number;
  failed: number;
}

/** What the probe calls: an HTTP path, or the echo service's Say with a text. */
export interface ProbeTarget {
  http?: string;
  path?: string;
  grpc?: string;
  text?: string;
}

/**
 * Calls the instance `perSecond` times a second (open loop: one call every 1/perSecond s whether or
 * not the previous answered) until `stop` resolves; a client's view of an admitted call's latency.
 */
export async function probe(target: ProbeTarget, perSecond: number, stop: Promise<void>): Promise<Probed> {
  const result: Probed = { okMs: [], rejected: 0, failed: 0 };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const grpc = target.grpc === undefined ? undefined : (createGrpcClient(echoService(), { endpoint: target.grpc, timeout: 5000 }) as unknown as { say(r: { text: string }): Promise<unknown>; close(): void });
  // With TRACE (the overload instance's trace file), each HTTP call by wall clock (a line `q <n> <sent> <answered> <status>`).
  const trace = process.env['TRACE'];
  const traced: string[] = [];
  // ... and the probe process' own GC pauses (a line `g <start> <pause ms> <kind>`): a pause here delays the probe, not the instance.
  const gcs = trace === undefined ? undefined : new PerformanceObserver((list) => {
    for (const e of list.getEntries()) traced.push(`g ${(performance.timeOrigin + e.startTime).toFixed(2)} ${e.duration.toFixed(2)} ${(e as { detail?: { kind?: number } }).detail?.kind ?? 0}`);
  });
  gcs?.observe({ entryTypes: ['gc'] });
  let calls = 0;
  const one = async (): Promise<void> => {
    const t0 = performance.now();
    const id = calls++;
    const query = trace === undefined ? '' : `?probe=${id}`;
    try {
      if (grpc !== undefined) await grpc.say({ text: target.text ?? 'probe' });
      else {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request(`${target.http}${target.path}${query}`, { agent }, (res) => {
            res.resume();
            res.once('end', () => {
              if (trace !== undefined) traced.push(`q ${id} ${(performance.timeOrigin + t0).toFixed(2)} ${(performance.timeOrigin + performance.now()).toFixed(2)} ${res.statusCode ?? 0}`);
              resolve(res.statusCode ?? 0);
            });
          });
          req.once('error', reject);
          req.end();
        });
        if (status === 429) throw Object.assign(new Error('429'), { code: 429 });
        if (status !== 200) throw new Error(String(status));
      }
      result.okMs.push(performance.now() - t0);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 429 || code === 8) result.rejected++;
      else result.failed++;
    }
  };
  let done = false;
  void stop.then(() => (done = true));
  const pending: Promise<void>[] = [];
  const start = performance.now();
  for (let i = 0; !done; i++) {
    pending.push(one());
    const next = start + ((i + 1) * 1000) / perSecond;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(pending);
  agent.destroy();
  grpc?.close();
  gcs?.disconnect();
  if (trace !== undefined && traced.length > 0) appendFileSync(trace, traced.map((x) => x + '\n').join(''));
  return result;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? NaN;
}

/** Resident memory of a process, MiB. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}
