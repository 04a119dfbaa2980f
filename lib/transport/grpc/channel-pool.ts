import { Client, connectivityState, type ChannelCredentials } from '@grpc/grpc-js';
import type { Endpoint } from '../endpoint.js';
import { noDiscovery, Resolver, type ResolverOptions } from '../resolver.js';
import { StaticNodes, type NodeHealth } from '../static-nodes.js';
import type { Logger } from '../../log/index.js';

/** A channel chosen for one call, and how to report the call's outcome. */
export interface Lease {
  client: Client;
  address: string;
  done(err?: unknown): void;
}

/** Where calls go: a fixed list used round robin, or the instances a registry reports. */
export interface ChannelPool {
  /** A channel for one call, avoiding the addresses this call already `tried`. */
  acquire(deadline: number | undefined, tried: ReadonlySet<string>): Promise<Lease>;
  close(): void;
}

// Channels of nodes that left are closed after this, so calls still using them can finish.
const CLOSE_GRACE_MS = 10_000;

/**
 * Reconnect backoff of the channels (grpc-js defaults: 1 s, up to 120 s). A node whose channel
 * failed is out of the pick set until a reconnect succeeds, so the probe may start early and often;
 * instances that really died leave the registry within their lease anyway.
 */
const RECONNECT_CHANNEL_OPTIONS = { 'grpc.initial_reconnect_backoff_ms': 250, 'grpc.max_reconnect_backoff_ms': 5000 };

/** A pool for `endpoint`: one channel per address, reused by every call, health-aware either way. */
export function channelPool(
  endpoint: Endpoint,
  creds: ChannelCredentials,
  channelOptions: Record<string, number>,
  discovery: Omit<ResolverOptions, 'schemes' | 'onNodes'> | undefined,
  tls: boolean,
  logger: Logger | undefined,
): ChannelPool {
  const channels = new Map<string, Client>();
  const options = { ...RECONNECT_CHANNEL_OPTIONS, ...channelOptions };
  // Health only matters when there is another node to pick: a single address is always the pick.
  const channelFor = (address: string, health: NodeHealth | undefined): Client => {
    let c = channels.get(address);
    if (c === undefined) {
      channels.set(address, (c = new Client(address, creds, health === undefined ? channelOptions : options)));
      if (health !== undefined) followHealth(c, address, health);
    }
    return c;
  };
  if (endpoint.scheme !== 'discovery') {
    const nodes = new StaticNodes(endpoint.addresses, logger);
    const health = endpoint.addresses.length > 1 ? nodes : undefined;
    return {
      acquire: async (_deadline, tried) => {
        const address = nodes.pick(tried);
        return { client: channelFor(address, health), address, done: () => undefined };
      },
      close: () => channels.forEach((c) => c.close()),
    };
  }
  if (discovery === undefined) throw noDiscovery(endpoint.raw);
  const resolver = new Resolver(endpoint.name, {
    ...discovery,
    schemes: tls ? ['grpcs'] : ['grpc'],
    onNodes: (nodes) => {
      const live = new Set(nodes.map((n) => n.address));
      for (const [address, c] of channels) {
        if (live.has(address)) continue;
        channels.delete(address);
        setTimeout(() => c.close(), CLOSE_GRACE_MS).unref();
      }
    },
  });
  return {
    acquire: async (deadline, tried) => {
      if (resolver.nodes.length === 0) await resolver.waitReady(deadline === undefined ? 10_000 : Math.max(0, deadline - Date.now()));
      const { node, done } = resolver.pick(tried);
      return { client: channelFor(node.address, resolver), address: node.address, done: (err) => done({ err }) };
    },
    close: () => {
      void resolver.stop();
      channels.forEach((c) => c.close());
    },
  };
}

/**
 * Mirrors a channel's connectivity into the pick set, as Go Kratos' balancer picks only READY
 * subchannels: TRANSIENT_FAILURE (connect refused, or the connection failed) takes the node out,
 * READY puts it back. grpc-js keeps reconnecting with backoff meanwhile, which is the probe. A READY
 * channel that drops to IDLE lost its connection (server gone, or it closed an idle one): reconnect at
 * once, so a dead instance is found by the probe rather than by the next call.
 */
function followHealth(client: Client, address: string, health: NodeHealth): void {
  const ch = client.getChannel();
  let last = ch.getConnectivityState(false);
  const watch = (): void => {
    try {
      ch.watchConnectivityState(last, Infinity, onChange);
    } catch {
      // The channel was closed: nothing left to follow.
    }
  };
  const onChange = (): void => {
    const now = ch.getConnectivityState(false);
    if (now === connectivityState.SHUTDOWN) return;
    if (now === connectivityState.READY) health.markUp(address);
    else if (now === connectivityState.TRANSIENT_FAILURE) health.markDown(address, 'gRPC channel in TRANSIENT_FAILURE');
    else if (now === connectivityState.IDLE && last === connectivityState.READY) ch.getConnectivityState(true);
    last = now;
    watch();
  };
  watch();
}
