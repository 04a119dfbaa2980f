import type { Config } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { EtcdRegistry, type Registrar, type ServiceInstance } from '../registry/index.js';
import type { AppOptions } from './options.js';

/** What the app registers with, and how to let go of a registrar it made itself. */
export interface Registration {
  registrar: Registrar | undefined;
  /** Closes a registrar built from config (not one passed in options). */
  close(): Promise<void>;
}

function endpointsOf(v: unknown): string[] {
  const list = Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(',') : [];
  return list.map((s) => s.trim()).filter((s) => s !== '');
}

/** The registrar from options, or an EtcdRegistry from `registry.etcd.{endpoints,namespace,ttl}`. */
export function registrationFrom(options: AppOptions, config: Config, logger: Logger): Registration {
  if (options.registrar !== undefined) return { registrar: options.registrar, close: async () => undefined };
  const endpoints = endpointsOf(config.get('registry.etcd.endpoints'));
  if (endpoints.length === 0) return { registrar: undefined, close: async () => undefined };
  const ns = config.get<string>('registry.etcd.namespace');
  const registry = new EtcdRegistry({
    endpoints,
    ...(ns === undefined || ns === '' ? {} : { namespace: ns }),
    ttl: config.value('registry.etcd.ttl').number(15),
    logger,
  });
  return { registrar: registry, close: () => registry.close() };
}

/** Runs `op` with the registrar timeout, naming the instance when it fails. */
export async function withTimeout(what: string, instance: ServiceInstance, ms: number, op: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FrameworkError('KRATOS_ERR_REGISTRY', `${what} ${instance.name}/${instance.id} did not finish within ${ms}ms`)), ms);
  });
  try {
    await Promise.race([op(), late]);
  } catch (err) {
    if (FrameworkError.isFrameworkError(err)) throw err;
    throw new FrameworkError('KRATOS_ERR_REGISTRY', `${what} ${instance.name}/${instance.id} failed: ${(err as Error).message}`, { cause: err });
  } finally {
    clearTimeout(timer);
  }
}
