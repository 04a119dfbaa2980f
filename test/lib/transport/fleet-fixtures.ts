// Shared pieces of the transports' fleet tests: a registry of hand-made instances and a logger that
// records where failed attempts went (the transports log them at debug level).
import { Logger, type Level } from '../../../lib/log/index.js';
import { MemoryRegistry, type ServiceInstance } from '../../../lib/registry/index.js';

/** Failed attempts the client logged: address, whether it was marked as never sent, when. */
export interface Attempt {
  address: string;
  unreached: boolean;
  at: number;
}

export class AttemptLog extends Logger {
  readonly attempts: Attempt[] = [];

  log(_level: Level, ...kv: unknown[]): void {
    const get = (key: string): unknown => kv[kv.indexOf(key) + 1];
    if (get('msg') !== 'call attempt failed') return;
    this.attempts.push({ address: String(get('address')), unreached: get('unreached') === true, at: Date.now() });
  }

  to(address: string): Attempt[] {
    return this.attempts.filter((a) => a.address === address);
  }
}

/** A MemoryRegistry holding one instance of `name` per endpoint. */
export async function registryOf(name: string, endpoints: string[]): Promise<MemoryRegistry> {
  const registry = new MemoryRegistry();
  for (const [i, endpoint] of endpoints.entries()) {
    const instance: ServiceInstance = { id: `${name}-${i}`, name, version: 'v1', metadata: {}, endpoints: [endpoint] };
    await registry.register(instance);
  }
  return registry;
}

export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
