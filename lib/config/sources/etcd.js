import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FrameworkError } from '../../errors/index.js';
import { etcdClient } from '../../internal/index.js';
function parseValue(key, text, format) {
    const ext = extname(key);
    try {
        return ext === '.json' || (ext === '' && format === 'json') ? JSON.parse(text) : parseYaml(text);
    }
    catch (err) {
        throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `etcd key ${key}: ${err.message.split('\n')[0]}`, { cause: err });
    }
}
function nestUnder(path, value) {
    let tree = value;
    for (const p of [...path].reverse())
        tree = { [p]: tree };
    return tree;
}
/**
 * Configuration kept in etcd (§7): a key, or a prefix whose keys become nested sections; watched, so
 * a put or a delete reloads it. Values are yaml or json documents.
 */
export function etcdSource(options) {
    if ((options.key === undefined) === (options.prefix === undefined)) {
        throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'etcdSource needs exactly one of `key` and `prefix`');
    }
    const client = options.client ?? etcdClient(options.endpoints ?? 'http://127.0.0.1:2379', options.clientOptions);
    const owned = options.client === undefined;
    const format = options.format ?? 'yaml';
    const origin = `etcd:${options.key ?? `${options.prefix}/`}`;
    return {
        name: origin,
        async load() {
            if (options.key !== undefined) {
                const text = await client.get(options.key).string();
                if (text === null)
                    return [];
                const tree = parseValue(options.key, text, format);
                return [{ tree: typeof tree === 'object' && tree !== null ? tree : {}, origin: `etcd:${options.key}` }];
            }
            const prefix = options.prefix.replace(/\/?$/, '/');
            const all = await client.getAll().prefix(prefix).strings();
            return Object.keys(all)
                .sort()
                .map((k) => {
                const rel = k.slice(prefix.length).replace(/\.(ya?ml|json)$/, '');
                const doc = parseValue(k, all[k], format);
                return { tree: rel === '' ? doc : nestUnder(rel.split('/').filter((p) => p !== ''), doc), origin: `etcd:${k}` };
            });
        },
        async watch(onChange) {
            const builder = client.watch();
            const watcher = await (options.key !== undefined ? builder.key(options.key) : builder.prefix(options.prefix)).create();
            watcher.on('put', () => onChange());
            watcher.on('delete', () => onChange());
            return () => {
                void watcher.cancel().finally(() => {
                    if (owned)
                        client.close();
                });
            };
        },
    };
}
