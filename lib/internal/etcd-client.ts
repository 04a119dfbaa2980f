import type { Etcd3, IOptions } from 'etcd3';
import { lazyRequire } from './lazy-require.js';

const etcd3 = lazyRequire<typeof import('etcd3')>('etcd3');

interface Backoff {
  readonly duration: number;
  next(): Backoff;
}

// etcd3 waits up to 30 s between attempts to re-open a failed watch, so after an etcd outage clients
// learnt of changes half a minute late (and a closed client lingered that long on its timer).
// Watches re-open within 2 s instead.
function watchBackoff(duration = 100): Backoff {
  return { duration, next: () => watchBackoff(Math.min(2000, duration * 2)) };
}

/** An etcd client (loaded on first use), watches re-opened within 2 s unless the options say otherwise. */
export function etcdClient(hosts: string | string[], options: Omit<IOptions, 'hosts'> = {}): Etcd3 {
  type FaultHandling = NonNullable<IOptions['faultHandling']>;
  const faultHandling: FaultHandling = { watchBackoff: watchBackoff() as unknown as NonNullable<FaultHandling['watchBackoff']>, ...options.faultHandling };
  return new (etcd3().Etcd3)({ ...options, hosts, faultHandling });
}
