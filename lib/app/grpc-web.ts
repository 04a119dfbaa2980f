import type { Logger } from '../log/index.js';
import { GrpcWebGateway } from '../transport/grpcweb/index.js';
import { pick } from '../settings/index.js';
import type { GrpcWebSettings, HttpSettings } from './settings/index.js';
import type { BoundService } from './proto-services.js';

/**
 * The gRPC-Web gateway of an app's HTTP server: every rpc of its proto services, each on the chain
 * its gRPC server runs; undefined when the app has none or turned it off (option or config).
 */
export function grpcWebFor(bound: BoundService[], settings: GrpcWebSettings, http: Pick<HttpSettings, 'timeout' | 'bodyLimit'>, logger: Logger, ambientContext = true): GrpcWebGateway | undefined {
  if (bound.length === 0 || settings === false) return undefined;
  const gateway = new GrpcWebGateway({ ...settings, ...pick(http, 'timeout', 'bodyLimit'), logger, ambientContext });
  for (const svc of bound) gateway.add(svc.methods);
  return gateway;
}
