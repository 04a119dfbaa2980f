/**
 * One node per endpoint whose URL scheme is in `schemes`, in instance order. An address seen twice
 * (two instances claiming it, or a repeated endpoint) gives one node, the first, because balancers key
 * their statistics by address. Endpoints that do not parse as URLs are skipped: one bad registry entry
 * must not take the whole service away from its clients.
 */
export function nodesFromInstances(instances, schemes) {
    const wanted = new Set(schemes.map((s) => s.toLowerCase()));
    const seen = new Set();
    const nodes = [];
    for (const instance of instances) {
        const metadata = instance.metadata ?? {};
        const initialWeight = parseWeight(metadata['weight']);
        for (const endpoint of instance.endpoints ?? []) {
            const parsed = parseEndpoint(endpoint);
            if (parsed === undefined || !wanted.has(parsed.scheme) || seen.has(parsed.address))
                continue;
            seen.add(parsed.address);
            nodes.push(Object.freeze({
                scheme: parsed.scheme,
                address: parsed.address,
                serviceName: instance.name ?? '',
                version: instance.version ?? '',
                metadata,
                initialWeight,
                instance,
            }));
        }
    }
    return nodes;
}
function parseEndpoint(endpoint) {
    let url;
    try {
        url = new URL(endpoint);
    }
    catch {
        return undefined;
    }
    // `grpc://` is not a special scheme for WHATWG URL, but `host` still keeps `[v6]:port` intact.
    if (url.host === '')
        return undefined;
    return { scheme: url.protocol.slice(0, -1).toLowerCase(), address: url.host };
}
// Negative weights make smooth round robin drift without bound, so they count as "no weight given".
function parseWeight(value) {
    if (value === undefined || !/^\+?\d{1,15}$/.test(value.trim()))
        return undefined;
    return Number(value.trim());
}
