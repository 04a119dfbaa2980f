import { lazyRequire } from './lazy-require.js';
const etcd3 = lazyRequire('etcd3');
// etcd3 waits up to 30 s between attempts to re-open a failed watch, so after an etcd outage clients
// learnt of changes half a minute late (and a closed client lingered that long on its timer).
// Watches re-open within 2 s instead.
function watchBackoff(duration = 100) {
    return { duration, next: () => watchBackoff(Math.min(2000, duration * 2)) };
}
/** An etcd client (loaded on first use), watches re-opened within 2 s unless the options say otherwise. */
export function etcdClient(hosts, options = {}) {
    const faultHandling = { watchBackoff: watchBackoff(), ...options.faultHandling };
    return new (etcd3().Etcd3)({ ...options, hosts, faultHandling });
}
