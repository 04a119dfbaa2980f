import type { Config } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { GrpcWebGateway } from '../transport/grpcweb/index.js';
import type { HttpServerConfig } from './options.js';
import type { BoundService } from './proto-services.js';

function disabled(value: unknown): boolean {
  return value === false || value === 'false' || value === '0';
}

function origins(value: unknown): string[] | '*' | undefined {
  if (value === undefined || value === '*') return value;
  if (typeof value === 'string') return value.split(',').map((o) => o.trim()).filter((o) => o !== '');
  if (Array.isArray(value) && value.every((o) => typeof o === 'string')) return value as string[];
  throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `server.http.grpc_web.origins: want '*', a list of origins or a comma-separated string, got ${JSON.stringify(value)}`);
}

/**
 * The gRPC-Web gateway of an app's HTTP server: every rpc of its proto services, each on the chain
 * its gRPC server runs; undefined when the app has none or turned it off (option or config).
 */
export function grpcWebFor(bound: BoundService[], cfg: HttpServerConfig, config: Config, env: { timeout: number; logger: Logger }): GrpcWebGateway | undefined {
  if (bound.length === 0 || cfg.grpcWeb === false || disabled(config.get('server.http.grpc_web.enabled'))) return undefined;
  const o = cfg.grpcWeb ?? {};
  const allowed = o.origins ?? origins(config.get('server.http.grpc_web.origins'));
  const gateway = new GrpcWebGateway({
    timeout: env.timeout,
    logger: env.logger,
    ...(allowed === undefined ? {} : { origins: allowed }),
    ...(o.exposeHeaders === undefined ? {} : { exposeHeaders: o.exposeHeaders }),
    ...(cfg.bodyLimit === undefined ? {} : { bodyLimit: cfg.bodyLimit }),
  });
  for (const svc of bound) gateway.add(svc.methods);
  return gateway;
}
