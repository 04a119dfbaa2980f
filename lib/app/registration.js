import { FrameworkError } from '../errors/index.js';
import { EtcdRegistry } from '../registry/index.js';
function endpointsOf(v) {
    const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
    return list.map((s) => s.trim()).filter((s) => s !== '');
}
/** The registrar from options, or an EtcdRegistry from `registry.etcd.{endpoints,namespace,ttl}`. */
export function registrationFrom(options, config, logger) {
    if (options.registrar !== undefined)
        return { registrar: options.registrar, close: async () => undefined };
    const endpoints = endpointsOf(config.get('registry.etcd.endpoints'));
    if (endpoints.length === 0)
        return { registrar: undefined, close: async () => undefined };
    const ns = config.get('registry.etcd.namespace');
    const registry = new EtcdRegistry({
        endpoints,
        ...(ns === undefined || ns === '' ? {} : { namespace: ns }),
        ttl: config.value('registry.etcd.ttl').number(15),
        logger,
    });
    return { registrar: registry, close: () => registry.close() };
}
/** Runs `op` with the registrar timeout, naming the instance when it fails. */
export async function withTimeout(what, instance, ms, op) {
    let timer;
    const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new FrameworkError('KRATOS_ERR_REGISTRY', `${what} ${instance.name}/${instance.id} did not finish within ${ms}ms`)), ms);
    });
    try {
        await Promise.race([op(), late]);
    }
    catch (err) {
        if (FrameworkError.isFrameworkError(err))
            throw err;
        throw new FrameworkError('KRATOS_ERR_REGISTRY', `${what} ${instance.name}/${instance.id} failed: ${err.message}`, { cause: err });
    }
    finally {
        clearTimeout(timer);
    }
}
