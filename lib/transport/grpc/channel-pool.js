import { Client } from '@grpc/grpc-js';
import { noDiscovery, Resolver } from '../resolver.js';
// Channels of nodes that left are closed after this, so calls still using them can finish.
const CLOSE_GRACE_MS = 10_000;
/** A pool for `endpoint`: one channel per address, reused by every call. */
export function channelPool(endpoint, creds, channelOptions, discovery, tls) {
    const channels = new Map();
    const channel = (address) => {
        let c = channels.get(address);
        if (c === undefined)
            channels.set(address, (c = new Client(address, creds, channelOptions)));
        return c;
    };
    if (endpoint.scheme !== 'discovery') {
        let next = 0;
        const list = endpoint.addresses;
        return {
            acquire: async (_deadline, exclude) => {
                let address = list[next++ % list.length];
                if (address === exclude && list.length > 1)
                    address = list[next++ % list.length];
                return { client: channel(address), address, done: () => undefined };
            },
            close: () => channels.forEach((c) => c.close()),
        };
    }
    if (discovery === undefined)
        throw noDiscovery(endpoint.raw);
    const resolver = new Resolver(endpoint.name, {
        ...discovery,
        schemes: tls ? ['grpcs'] : ['grpc'],
        onNodes: (nodes) => {
            const live = new Set(nodes.map((n) => n.address));
            for (const [address, c] of channels) {
                if (live.has(address))
                    continue;
                channels.delete(address);
                setTimeout(() => c.close(), CLOSE_GRACE_MS).unref();
            }
        },
    });
    return {
        acquire: async (deadline, exclude) => {
            if (resolver.nodes.length === 0)
                await resolver.waitReady(deadline === undefined ? 10_000 : Math.max(0, deadline - Date.now()));
            const { node, done } = resolver.pick(exclude);
            return { client: channel(node.address), address: node.address, done: (err) => done({ err }) };
        },
        close: () => {
            void resolver.stop();
            channels.forEach((c) => c.close());
        },
    };
}
