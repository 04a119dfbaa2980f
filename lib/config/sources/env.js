/**
 * The environment as configuration (§7). Without a separator names stay as they are (`HTTP_ADDR`),
 * which is what `${HTTP_ADDR:default}` placeholders read.
 */
export function envSource(options = {}) {
    return {
        name: 'env',
        load: () => {
            const env = options.env ?? process.env;
            const tree = {};
            for (const [raw, value] of Object.entries(env)) {
                if (value === undefined)
                    continue;
                let name = raw;
                if (options.prefix !== undefined) {
                    if (!raw.startsWith(options.prefix) || raw === options.prefix)
                        continue;
                    name = raw.slice(options.prefix.length).replace(/^_/, '');
                }
                if (options.separator === undefined) {
                    tree[name] = value;
                    continue;
                }
                const parts = name.toLowerCase().split(options.separator);
                let cur = tree;
                for (const p of parts.slice(0, -1))
                    cur = (typeof cur[p] === 'object' && cur[p] !== null ? cur[p] : (cur[p] = {}));
                cur[parts[parts.length - 1]] = value;
            }
            return [{ tree, origin: 'env' }];
        },
    };
}
