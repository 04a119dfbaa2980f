/** A running instance of a service (docs/registry.md#registering): Kratos' JSON field names, so Go Kratos services can read it. */
export interface ServiceInstance {
  id: string;
  name: string;
  version: string;
  metadata: Record<string, string>;
  /** `http://10.0.0.5:8000`, `grpc://10.0.0.5:9000` (`https`/`grpcs` with TLS). */
  endpoints: string[];
}

/** Publishes instances (docs/registry.md#registering). */
export interface Registrar {
  register(instance: ServiceInstance): Promise<void>;
  deregister(instance: ServiceInstance): Promise<void>;
}

/** Follows the instances of one service: the first next() gives the current list, later ones wait for a change. */
export interface Watcher {
  next(): Promise<ServiceInstance[]>;
  stop(): Promise<void>;
}

/** Finds instances (docs/registry.md#registering). */
export interface Discovery {
  getService(name: string): Promise<ServiceInstance[]>;
  watch(name: string): Promise<Watcher>;
}

/** The same instance, whatever the order of its endpoints. */
export function sameInstance(a: ServiceInstance, b: ServiceInstance): boolean {
  const sorted = (i: ServiceInstance) => JSON.stringify({ ...i, endpoints: [...i.endpoints].sort() });
  return sorted(a) === sorted(b);
}
