// The fleet soak: N instances registered in a real etcd, four discovery clients (gRPC and HTTP, wrr and
// p2c) sending numbered calls at a steady pace, then churn: SIGTERM, join, SIGKILL, an etcd outage, and
// an etcd that comes back empty. Each phase reports its failed calls; the whole run reports duplicate
// deliveries (a request id that reached a handler twice), the calls in flight on killed instances, and
// how long after a kill clients still sent attempts to the dead instance.
import { EtcdRegistry } from '../../lib/registry/index.js';
import { startEtcd } from '../helpers/etcd.js';
import { Deliveries, FleetInstance, PacedClient, type CallRecord } from './fleet-instances.js';
import { sleep } from './instances.js';

export interface FleetOptions {
  /** Instances at the start (>= 10 for the issue's goals). */
  instances: number;
  /** How long each phase runs after its action, ms. */
  phaseMs: number;
  /** Calls per second per client (four clients). */
  rate: number;
  /** How long etcd stays down in the outage phases, ms. */
  outageMs: number;
  /** Lease TTL of the instances, s: health must not wait for it. */
  ttl?: number;
}

export interface PhaseResult {
  phase: string;
  calls: number;
  failed: number;
  errors: string[];
  /** SIGKILL: calls in flight on the killed instances at their death (in a handler, or sent and unanswered). */
  inFlight?: number;
  /** SIGKILL: failed calls that started after the death (should have gone elsewhere). */
  failedAfterDeath?: number;
  /** SIGKILL: latest failed attempt to a dead instance after the kill, ms, per client (null: none at all). */
  lastAttemptMs?: Record<string, number | null>;
  notes: string;
}

export interface FleetResult {
  instances: number;
  phases: PhaseResult[];
  duplicates: string[];
  calls: number;
}

const CLIENTS = [['grpc', 'wrr'], ['grpc', 'p2c'], ['http', 'wrr'], ['http', 'p2c']] as const;

export async function fleetSoak(o: FleetOptions): Promise<FleetResult> {
  const etcd = await startEtcd();
  const deliveries = new Deliveries();
  const env = { ETCD: etcd.endpoint, TTL: String(o.ttl ?? 10), HANDLER_MS: '10' };
  let nextId = 0;
  const spawnOne = (): Promise<FleetInstance> => FleetInstance.start(`f${String(++nextId).padStart(2, '0')}`, env, deliveries);
  const all: FleetInstance[] = [];
  const startMany = async (n: number): Promise<FleetInstance[]> => {
    // Five at a time: twenty Node processes booting at once on two cores take seconds each.
    const out: FleetInstance[] = [];
    for (let i = 0; i < n; i += 5) out.push(...(await Promise.all(Array.from({ length: Math.min(5, n - i) }, spawnOne))));
    all.push(...out);
    return out;
  };
  // Should this process die first, its instances must not outlive it.
  const orphans = (): void => all.forEach((i) => i.proc.kill('SIGKILL'));
  process.once('exit', orphans);
  const registry = new EtcdRegistry({ endpoints: etcd.endpoint });
  const clients = CLIENTS.map(([t, b]) => new PacedClient(t, b, registry));
  const phases: Array<{ name: string; from: number; to: number; result: Partial<PhaseResult> }> = [];
  const phase = async (name: string, action: () => Promise<Partial<PhaseResult> | void>): Promise<void> => {
    const from = Date.now();
    if (process.env['FLEET_DEBUG'] !== undefined) console.error(`fleet: ${name}`);
    const result = (await action()) ?? {};
    await sleep(o.phaseMs);
    phases.push({ name, from, to: Date.now(), result });
  };
  const registered = async (n: number, ms: number): Promise<boolean> => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if ((await registry.getService('fleet').catch(() => [])).length === n) return true;
      await sleep(100);
    }
    return false;
  };
  const live = (): FleetInstance[] => all.filter((i) => i.signalledAt === undefined);
  const answeredBy = (ids: string[], from: number): number => calls().filter((c) => c.start >= from && c.instance !== undefined && ids.includes(c.instance)).length;
  const calls = (): CallRecord[] => clients.flatMap((c) => c.calls);

  try {
    await startMany(o.instances);
    if (process.env['FLEET_DEBUG'] !== undefined) console.error(`fleet: ${all.length} instances up`);
    if (!(await registered(o.instances, 20_000))) throw new Error('the fleet did not register');
    for (const c of clients) c.start(o.rate);
    await phase('steady', async () => undefined);

    await phase('SIGTERM 2', async () => void (await Promise.all(live().slice(0, 2).map((i) => i.stop()))));

    let joined: FleetInstance[] = [];
    await phase('join 2', async () => {
      joined = await startMany(2);
    });
    const joinedAt = phases.at(-1)?.from ?? 0;
    phases.at(-1)!.result.notes = `new instances answered ${answeredBy(joined.map((i) => i.id), joinedAt)} calls`;

    let killed: FleetInstance[] = [];
    await phase('SIGKILL 2', async () => {
      killed = live().slice(0, 2);
      await Promise.all(killed.map((i) => i.kill()));
    });
    Object.assign(phases.at(-1)!.result, killReport(killed, clients, deliveries));

    await phase('etcd outage', async () => {
      await etcd.kill();
      await sleep(o.outageMs);
      await etcd.restart();
      return { notes: `etcd down ${o.outageMs} ms, data kept` };
    });

    await phase('etcd data loss', async () => {
      await etcd.kill();
      await sleep(o.outageMs);
      await etcd.restartEmpty();
      const back = await registered(live().length, 30_000);
      return { notes: `etcd down ${o.outageMs} ms and restarted empty; ${back ? 'every live instance registered again' : 'instances did NOT register again'}` };
    });

    let late: FleetInstance[] = [];
    await phase('after data loss: join 1, SIGTERM 1', async () => {
      [late] = [await startMany(1)];
      await live()[0]?.stop();
    });
    const lateFrom = phases.at(-1)?.from ?? 0;
    phases.at(-1)!.result.notes = `the instance that joined after the loss answered ${answeredBy(late.map((i) => i.id), lateFrom)} calls`;
  } finally {
    await Promise.all(clients.map((c) => c.stop()));
    await registry.close();
    await Promise.all(all.map((i) => i.kill()));
    process.removeListener('exit', orphans);
    await etcd.stop();
  }

  const records = calls();
  return {
    instances: o.instances,
    calls: records.length,
    duplicates: deliveries.duplicates(),
    phases: phases.map(({ name, from, to, result }, k) => {
      // A call belongs to the phase in which it ended: a call cut off by a kill ends just after it.
      const mine = records.filter((c) => c.end >= from && (k === phases.length - 1 || c.end < to));
      const failed = mine.filter((c) => c.error !== undefined);
      return { phase: name, calls: mine.length, failed: failed.length, errors: [...new Set(failed.map((c) => c.error as string))].slice(0, 3), notes: '', ...result };
    }),
  };
}

// Calls in flight on the killed instances when they died: those a killed handler had begun and not
// answered, plus failed calls sent before the death that only a killed instance received (its reply was
// not out yet) or that no instance received (still in the dead instance's socket buffers). Attempts
// are the clients' failed-attempt log, by address.
function killReport(killed: FleetInstance[], clients: PacedClient[], deliveries: Deliveries): Partial<PhaseResult> {
  const died = Math.max(...killed.map((i) => i.exitedAt ?? 0));
  const signalled = Math.min(...killed.map((i) => i.signalledAt ?? 0));
  const killedIds = new Set(killed.map((i) => i.id));
  const inFlight = new Set<string>();
  for (const i of killed) for (const id of deliveries.open.get(i.id) ?? []) inFlight.add(id);
  const failed = clients.flatMap((c) => c.calls).filter((c) => c.error !== undefined && c.end >= signalled);
  for (const c of failed) {
    const at = deliveries.where.get(c.id);
    // A failure that never reached a server was not in flight: the client should have resent it.
    if (c.start <= died && c.unreached !== true && (at === undefined || killedIds.has(at))) inFlight.add(c.id);
  }
  const lastAttemptMs: Record<string, number | null> = {};
  for (const c of clients) {
    const addresses = new Set(killed.map((i) => (c.transport === 'grpc' ? i.grpc : i.http)));
    const times = c.attempts.failed.filter((a) => addresses.has(a.address) && a.at >= signalled).map((a) => a.at);
    lastAttemptMs[c.name] = times.length === 0 ? null : Math.max(...times) - signalled;
  }
  return { inFlight: inFlight.size, failedAfterDeath: failed.filter((c) => c.start > died).length, lastAttemptMs };
}

/** What the issue asks of a fleet; an empty list means every goal was met. */
export function fleetViolations(r: FleetResult): string[] {
  const out: string[] = [];
  if (r.duplicates.length > 0) out.push(`${r.duplicates.length} duplicate deliveries (${r.duplicates.slice(0, 3).join(', ')})`);
  for (const p of r.phases) {
    if (p.inFlight === undefined) {
      if (p.failed > 0) out.push(`${p.phase}: ${p.failed} failed calls (${p.errors.join(' / ')})`);
    } else {
      if (p.failed > p.inFlight) out.push(`${p.phase}: ${p.failed} failed calls, more than the ${p.inFlight} in flight on the killed instances`);
      if ((p.failedAfterDeath ?? 0) > 0) out.push(`${p.phase}: ${p.failedAfterDeath} calls that started after the death failed`);
      for (const [client, ms] of Object.entries(p.lastAttemptMs ?? {})) if (ms !== null && ms > 2000) out.push(`${p.phase}: ${client} still tried a dead instance ${ms} ms after the kill`);
    }
    if (/did NOT|answered 0 calls/.test(p.notes)) out.push(`${p.phase}: ${p.notes}`);
  }
  return out;
}

/** The fleet run as a markdown table. */
export function fleetTable(r: FleetResult): string {
  const lines = [
    `Fleet of ${r.instances} instances, 4 clients (grpc/http × wrr/p2c): ${r.calls} calls, ${r.duplicates.length} duplicate deliveries`,
    '| phase | calls | failed | in flight at kill | last attempt to a dead instance after the kill, ms | notes |',
    '|---|---|---|---|---|---|',
  ];
  for (const p of r.phases) {
    const last = p.lastAttemptMs === undefined ? '-' : Object.entries(p.lastAttemptMs).map(([c, ms]) => `${c} ${ms ?? 'none'}`).join(', ');
    lines.push(`| ${p.phase} | ${p.calls} | ${p.failed} | ${p.inFlight ?? '-'} | ${last} | ${p.notes}${p.errors.length > 0 ? `; errors: ${p.errors.join(' / ')}` : ''} |`);
  }
  return lines.join('\n');
}
