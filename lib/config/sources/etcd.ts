import { extname } from 'node:path';
import type { Etcd3, IOptions, Watcher } from 'etcd3';
import { FrameworkError } from '../../errors/index.js';
import { etcdClient, parseYaml } from '../../internal/index.js';
import type { ConfigLayer, ConfigSource } from '../source.js';

/** Options of {@link etcdSource}. */
export interface EtcdSourceOptions {
  /** etcd endpoints (`http://127.0.0.1:2379`), or an existing client (then it is not closed by us). */
  endpoints?: string | string[];
  client?: Etcd3;
  /** One key holding a whole yaml/json document... */
  key?: string;
  /** ...or every key under a prefix: `<prefix>/server/http.yaml` nests under server.http. */
  prefix?: string;
  /** Format of values whose key has no .yaml/.yml/.json extension. Default yaml (which reads JSON too). */
  format?: 'yaml' | 'json';
  /** Client options passed to etcd3 (auth, TLS, dial timeout). */
  clientOptions?: Omit<IOptions, 'hosts'>;
}

function parseValue(key: string, text: string, format: 'yaml' | 'json'): unknown {
  const ext = extname(key);
  try {
    return ext === '.json' || (ext === '' && format === 'json') ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `etcd key ${key}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
}

function nestUnder(path: string[], value: unknown): Record<string, unknown> {
  let tree: unknown = value;
  for (const p of [...path].reverse()) tree = { [p]: tree };
  return tree as Record<string, unknown>;
}

/**
 * Configuration kept in etcd (docs/config-and-logging.md#configuration): a key, or a prefix whose keys become nested sections; watched, so
 * a put or a delete reloads it. Values are yaml or json documents.
 */
export function etcdSource(options: EtcdSourceOptions): ConfigSource {
  if ((options.key === undefined) === (options.prefix === undefined)) {
    throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'etcdSource needs exactly one of `key` and `prefix`');
  }
  const client = options.client ?? etcdClient(options.endpoints ?? 'http://127.0.0.1:2379', options.clientOptions);
  const owned = options.client === undefined;
  const format = options.format ?? 'yaml';
  const origin = `etcd:${options.key ?? `${options.prefix}/`}`;
  return {
    name: origin,
    async load(): Promise<ConfigLayer[]> {
      if (options.key !== undefined) {
        const text = await client.get(options.key).string();
        if (text === null) return [];
        const tree = parseValue(options.key, text, format);
        return [{ tree: typeof tree === 'object' && tree !== null ? (tree as Record<string, unknown>) : {}, origin: `etcd:${options.key}` }];
      }
      const prefix = (options.prefix as string).replace(/\/?$/, '/');
      const all = await client.getAll().prefix(prefix).strings();
      return Object.keys(all)
        .sort()
        .map((k) => {
          const rel = k.slice(prefix.length).replace(/\.(ya?ml|json)$/, '');
          const doc = parseValue(k, all[k] as string, format);
          return { tree: rel === '' ? (doc as Record<string, unknown>) : nestUnder(rel.split('/').filter((p) => p !== ''), doc), origin: `etcd:${k}` };
        });
    },
    async watch(onChange) {
      const builder = client.watch();
      const watcher: Watcher = await (options.key !== undefined ? builder.key(options.key) : builder.prefix(options.prefix as string)).create();
      watcher.on('put', () => onChange());
      watcher.on('delete', () => onChange());
      return () => {
        void watcher.cancel().finally(() => {
          if (owned) client.close();
        });
      };
    },
  };
}
