// The client circuit breaker under sustained traffic (issue 18): a backend fails every call for a
// while, then heals, while a client keeps calling it at a fixed rate through circuitBreaker(). Reports
// how long the breaker took to open and how long calls took to flow again, on HTTP and gRPC.
import { serviceUnavailable } from '../../lib/errors/index.js';
import { circuitBreaker } from '../../lib/resilience/index.js';
import { GrpcServer, createGrpcClient } from '../../lib/transport/grpc/index.js';
import { createHttpClient, HttpServer } from '../../lib/transport/http/index.js';
import { echoService } from '../helpers/echo-service.js';
import { sleep } from './load-tools.js';

/** One row of the breaker table. */
export interface BreakerResult {
  scenario: string;
  rate: number;
  calls: number;
  /** Seconds from the first failure until most calls (50 % of a 200 ms slice) were dropped locally. */
  openS: number;
  /** Seconds from the backend's recovery until 90 % of a 200 ms slice succeeded. */
  healS: number;
  /** Share of calls that reached the failing backend while it was down, %. */
  leakedPct: number;
}

type Outcome = 'ok' | 'dropped' | 'failed';

async function backend(transport: 'http' | 'grpc', isDown: () => boolean): Promise<{ call: () => Promise<unknown>; close: () => Promise<void> }> {
  const fail = (): void => {
    if (isDown()) throw serviceUnavailable('DOWN', 'backend is down');
  };
  if (transport === 'http') {
    const server = new HttpServer({ addr: '127.0.0.1:0' });
    server.route({ method: 'GET', path: '/work', operation: '/work', handler: async () => (fail(), { ok: true }) });
    await server.start();
    const client = createHttpClient({ endpoint: `127.0.0.1:${server.port}`, timeout: 2000, middleware: [circuitBreaker()] });
    return { call: () => client.invoke('GET', '/work'), close: async () => (client.close(), await server.stop()) };
  }
  const svc = echoService();
  const server = new GrpcServer({ addr: '127.0.0.1:0' });
  server.addService(svc.fullName, svc.methods.map((schema) => ({ schema, handler: async (req: unknown) => (fail(), req) })));
  await server.start();
  const client = createGrpcClient(svc, { endpoint: `127.0.0.1:${server.port}`, timeout: 2000, middleware: [circuitBreaker()] }) as unknown as { say(r: object): Promise<unknown>; close(): void };
  return { call: () => client.say({ text: 'x' }), close: async () => (client.close(), await server.stop()) };
}

/**
 * `healthy` s of a working backend, `down` s of one failing every call, `after` s of it healed again,
 * at `rate` calls/s (open loop: a call every 1/rate s whatever the previous one did).
 */
export async function breakerRecovery(transport: 'http' | 'grpc', rate: number, healthy = 1, down = 2, after = 3): Promise<BreakerResult> {
  let isDown = false;
  const b = await backend(transport, () => isDown);
  const events: { at: number; outcome: Outcome }[] = [];
  const t0 = performance.now();
  const downAt = t0 + healthy * 1000;
  const upAt = downAt + down * 1000;
  const end = upAt + after * 1000;
  const pending: Promise<void>[] = [];
  // Judged by when each call was made: under load, when it ended says more about the client's loop than the breaker.
  const one = async (): Promise<void> => {
    const at = performance.now();
    let outcome: Outcome = 'ok';
    try {
      await b.call();
    } catch (err) {
      outcome = (err as { reason?: string }).reason === 'CIRCUITBREAKER' ? 'dropped' : 'failed';
    }
    events.push({ at, outcome });
  };
  // Calls are sent in small batches every few ms, so high rates do not need a timer per call.
  const tick = 5;
  let sent = 0;
  while (performance.now() < end) {
    const now = performance.now();
    isDown = now >= downAt && now < upAt;
    const due = Math.floor(((now - t0) * rate) / 1000);
    for (; sent < due; sent++) pending.push(one());
    await sleep(tick);
  }
  await Promise.all(pending);
  await b.close();
  const slice = (from: number, predicate: (share: Record<Outcome, number>) => boolean): number => {
    for (let s = from; s < end; s += 50) {
      const inSlice = events.filter((e) => e.at >= s && e.at < s + 200);
      if (inSlice.length === 0) continue;
      const share = { ok: 0, dropped: 0, failed: 0 };
      for (const e of inSlice) share[e.outcome] += 1 / inSlice.length;
      if (predicate(share)) return (s + 200 - from) / 1000;
    }
    return Infinity;
  };
  const whileDown = events.filter((e) => e.at >= downAt && e.at < upAt);
  return {
    scenario: `${transport === 'http' ? 'HTTP' : 'gRPC'} client breaker`,
    rate,
    calls: events.length,
    openS: slice(downAt, (s) => s.dropped >= 0.5),
    healS: slice(upAt, (s) => s.ok >= 0.9),
    leakedPct: (100 * whileDown.filter((e) => e.outcome === 'failed').length) / Math.max(1, whileDown.length),
  };
}
