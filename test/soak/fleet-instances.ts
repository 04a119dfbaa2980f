// The processes and the load of the fleet soak (fleet.ts): instances that report every delivery, and
// discovery clients that send uniquely numbered calls at a steady pace.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Logger, type Level } from '../../lib/log/index.js';
import { neverSent } from '../../lib/resilience/index.js';
import type { EtcdRegistry } from '../../lib/registry/index.js';
import { createGrpcClient } from '../../lib/transport/grpc/index.js';
import { createHttpClient } from '../../lib/transport/http/index.js';
import type { Balancer } from '../../lib/selector/index.js';
import { echoService } from '../helpers/echo-service.js';

const script = fileURLToPath(new URL('../fixtures/apps/fleet-instance.js', import.meta.url));

/** Deliveries seen by the whole fleet: how often each request id reached a handler, and which are open. */
export class Deliveries {
  readonly count = new Map<string, number>();
  /** The instance that last received each request id. */
  readonly where = new Map<string, string>();
  /** Request ids in a handler right now, by instance id. */
  readonly open = new Map<string, Set<string>>();

  begin(instance: string, id: string): void {
    this.count.set(id, (this.count.get(id) ?? 0) + 1);
    this.where.set(id, instance);
    let set = this.open.get(instance);
    if (set === undefined) this.open.set(instance, (set = new Set()));
    set.add(id);
  }

  end(instance: string, id: string): void {
    this.open.get(instance)?.delete(id);
  }

  duplicates(): string[] {
    return [...this.count].filter(([, n]) => n > 1).map(([id]) => id);
  }
}

/** One fleet instance (test/fixtures/apps/fleet-instance.ts). */
export class FleetInstance {
  readonly id: string;
  readonly proc: ChildProcess;
  readonly grpc: string;
  readonly http: string;
  /** When SIGKILL or SIGTERM was sent, and when the process was seen to exit (ms since epoch). */
  signalledAt: number | undefined;
  exitedAt: number | undefined;
  readonly #exited: Promise<void>;

  private constructor(id: string, proc: ChildProcess, endpoints: string[]) {
    this.id = id;
    this.proc = proc;
    this.grpc = (endpoints.find((e) => e.startsWith('grpc://')) ?? '').replace('grpc://', '');
    this.http = (endpoints.find((e) => e.startsWith('http://')) ?? '').replace('http://', '');
    // 'close' comes after stdout is drained, so every delivery the process reported is counted.
    this.#exited = new Promise((resolve) => {
      proc.once('exit', () => (this.exitedAt ??= Date.now()));
      proc.once('close', () => resolve());
    });
  }

  static start(id: string, env: Record<string, string>, deliveries: Deliveries): Promise<FleetInstance> {
    const proc = spawn(process.execPath, [script], { env: { ...process.env, ID: id, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let buffered = '';
    let errors = '';
    return new Promise((resolve, reject) => {
      proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          if (line.startsWith('B ')) deliveries.begin(id, line.slice(2));
          else if (line.startsWith('E ')) deliveries.end(id, line.slice(2));
          else if (line.startsWith('READY ')) resolve(new FleetInstance(id, proc, line.slice(6).split(' ')));
        }
      });
      proc.stderr?.setEncoding('utf8').on('data', (d: string) => (errors += d));
      proc.once('exit', (code) => reject(new Error(`fleet instance ${id} exited with ${code}: ${errors}`)));
      setTimeout(() => reject(new Error(`fleet instance ${id} did not start: ${errors}`)), 30_000).unref();
    });
  }

  /** SIGTERM: deregister, drain, exit. */
  async stop(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.signalledAt = Date.now();
      this.proc.kill('SIGTERM');
    }
    await this.#exited;
  }

  async kill(): Promise<void> {
    if (this.proc.exitCode === null && this.proc.signalCode === null) {
      this.signalledAt = Date.now();
      this.proc.kill('SIGKILL');
    }
    await this.#exited;
  }
}

/** Failed attempts a client logged (its debug log), by address. */
class AttemptLog extends Logger {
  readonly failed: Array<{ address: string; at: number; unreached: boolean }> = [];

  log(_level: Level, ...kv: unknown[]): void {
    const get = (key: string): unknown => kv[kv.indexOf(key) + 1];
    if (get('msg') === 'call attempt failed') this.failed.push({ address: String(get('address')), at: Date.now(), unreached: get('unreached') === true });
  }
}

/** One finished call. */
export interface CallRecord {
  id: string;
  start: number;
  end: number;
  /** The instance that answered. */
  instance?: string;
  error?: string;
  /** The failure provably never reached a server (so the client should have sent it elsewhere). */
  unreached?: boolean;
}

/** A discovery client on one transport and balancer, sending numbered calls at `rate` per second. */
export class PacedClient {
  readonly name: string;
  readonly transport: 'grpc' | 'http';
  readonly balancer: Balancer;
  readonly calls: CallRecord[] = [];
  readonly attempts = new AttemptLog();
  readonly #send: (text: string) => Promise<string>;
  readonly #close: () => void;
  #timer: NodeJS.Timeout | undefined;
  #seq = 0;
  #pending = new Set<Promise<void>>();

  constructor(transport: 'grpc' | 'http', balancer: Balancer, registry: EtcdRegistry) {
    this.name = `${transport}-${balancer}`;
    this.transport = transport;
    this.balancer = balancer;
    const common = { endpoint: 'discovery:///fleet', discovery: registry, balancer, logger: this.attempts, timeout: 3000 };
    if (transport === 'grpc') {
      const c = createGrpcClient(echoService(), common);
      const say = c['say'] as (r: { text: string; n: number }) => Promise<{ text: string }>;
      this.#send = async (text) => (await say({ text, n: 0 })).text;
      this.#close = () => c.close();
    } else {
      const c = createHttpClient(common);
      this.#send = async (text) => (await c.invoke<{ text: string }>('POST', `/echo/${text}`, {})).text;
      this.#close = () => c.close();
    }
  }

  /** Sends one call every 1000/rate ms, whether or not earlier ones have answered (open loop). */
  start(rate: number): void {
    this.#timer = setInterval(() => this.#one(), 1000 / rate);
  }

  #one(): void {
    const id = `${this.name}.${++this.#seq}`;
    const start = Date.now();
    const p = this.#send(id).then(
      (text) => void this.calls.push({ id, start, end: Date.now(), instance: text.split(':')[0] as string }),
      (err: unknown) => void this.calls.push({ id, start, end: Date.now(), error: err instanceof Error ? err.message : String(err), unreached: neverSent(err) }),
    );
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  /** Stops sending, waits for the calls in flight, closes the client. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await Promise.all(this.#pending);
    this.#close();
  }
}
