import { FrameworkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { EtcdRegistry, type Registrar, type ServiceInstance } from '../registry/index.js';
import type { RegistrySettings } from './settings/index.js';

/** What the app registers with, and how to let go of a registrar it made itself. */
export interface Registration {
  registrar: Registrar | undefined;
  /** Closes a registrar built from config (not one passed in options). */
  close(): Promise<void>;
}

/** The registrar from options, or an EtcdRegistry when the settings name etcd endpoints. */
export function registrationFrom(registrar: Registrar | undefined, settings: RegistrySettings, logger: Logger): Registration {
  if (registrar !== undefined) return { registrar, close: async () => undefined };
  if (settings.endpoints.length === 0) return { registrar: undefined, close: async () => undefined };
  const registry = new EtcdRegistry({ ...settings, endpoints: [...settings.endpoints], logger });
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
