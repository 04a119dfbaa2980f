import type { AppOptions } from '../../../../lib/app/index.js';
import type { AppSettings } from '../../../../lib/app/settings/index.js';

type Read = (s: AppSettings) => unknown;
// Sections that may be false, read as records (the samples never turn them off unless they mean to).
const http = (s: AppSettings): Record<string, unknown> => s.http as unknown as Record<string, unknown>;
const grpc = (s: AppSettings): Record<string, unknown> => s.grpc as unknown as Record<string, unknown>;
const web = (s: AppSettings): Record<string, unknown> => s.grpcWeb as unknown as Record<string, unknown>;
const metrics = (s: AppSettings): Record<string, unknown> => s.metrics as unknown as Record<string, unknown>;
const tracing = (s: AppSettings): Record<string, unknown> => s.tracing as unknown as Record<string, unknown>;

/** A config value per key, what it resolves to and where the settings hold it. */
export const CONFIG_SAMPLES: { key: string; raw: unknown; want: unknown; read: Read }[] = [
  { key: 'server.http.addr', raw: '127.0.0.1:8080', want: '127.0.0.1:8080', read: (s) => http(s)['addr'] },
  { key: 'server.http.timeout', raw: '2s', want: 2000, read: (s) => http(s)['timeout'] },
  { key: 'server.http.markup_bodies', raw: 'true', want: true, read: (s) => http(s)['markupBodies'] },
  { key: 'server.http.markup_bodies', raw: { bodyLimit: '64KiB' }, want: { bodyLimit: 65_536 }, read: (s) => http(s)['markupBodies'] },
  { key: 'server.http.maxConnections', raw: '10', want: 10, read: (s) => http(s)['maxConnections'] },
  { key: 'server.http.grpc_web.enabled', raw: 'false', want: false, read: (s) => s.grpcWeb },
  { key: 'server.http.grpc_web.origins', raw: 'https://a.example, https://b.example', want: ['https://a.example', 'https://b.example'], read: (s) => web(s)['origins'] },
  { key: 'server.grpc.addr', raw: '[::1]:9090', want: '[::1]:9090', read: (s) => grpc(s)['addr'] },
  { key: 'server.grpc.timeout', raw: '1m30s', want: 90_000, read: (s) => grpc(s)['timeout'] },
  { key: 'server.workers', raw: 'auto', want: 'auto', read: (s) => s.lifecycle.workers },
  { key: 'server.ambientContext', raw: 'true', want: true, read: (s) => s.ambientContext },
  { key: 'server.workers', raw: '4', want: 4, read: (s) => s.lifecycle.workers },
  { key: 'log.level', raw: 'DEBUG', want: 'debug', read: (s) => s.log.level },
  { key: 'log.format', raw: 'text', want: 'text', read: (s) => s.log.format },
  { key: 'log.mask', raw: 'password,token', want: ['password', 'token'], read: (s) => s.log.mask },
  { key: 'log.modules', raw: { billing: 'debug' }, want: { billing: 'debug' }, read: (s) => s.log.modules },
  { key: 'log.caller', raw: 'true', want: true, read: (s) => s.log.caller },
  { key: 'metrics.enabled', raw: false, want: false, read: (s) => s.metrics },
  { key: 'metrics.path', raw: '/prom', want: '/prom', read: (s) => metrics(s)['path'] },
  { key: 'metrics.addr', raw: '127.0.0.1:9100', want: '127.0.0.1:9100', read: (s) => metrics(s)['addr'] },
  { key: 'trace.enabled', raw: 'false', want: false, read: (s) => s.tracing },
  { key: 'trace.exporter', raw: 'console', want: 'console', read: (s) => tracing(s)['exporter'] },
  { key: 'trace.endpoint', raw: 'http://127.0.0.1:4318/v1/traces', want: 'http://127.0.0.1:4318/v1/traces', read: (s) => tracing(s)['endpoint'] },
  { key: 'trace.sampleRatio', raw: '0.25', want: 0.25, read: (s) => tracing(s)['sampleRatio'] },
  { key: 'trace.sampleRatio', raw: 0, want: 0, read: (s) => tracing(s)['sampleRatio'] },
  { key: 'trace.serviceName', raw: 'svc', want: 'svc', read: (s) => tracing(s)['serviceName'] },
  { key: 'trace.resource', raw: { team: 'core', tier: 2 }, want: { team: 'core', tier: '2' }, read: (s) => tracing(s)['resource'] },
  { key: 'health.enabled', raw: 0, want: false, read: (s) => s.health },
  { key: 'registry.etcd.endpoints', raw: ['http://127.0.0.1:2379'], want: ['http://127.0.0.1:2379'], read: (s) => s.registry.endpoints },
  { key: 'registry.etcd.endpoints', raw: 'http://a:2379,http://b:2379', want: ['http://a:2379', 'http://b:2379'], read: (s) => s.registry.endpoints },
  { key: 'registry.etcd.namespace', raw: '/ms', want: '/ms', read: (s) => s.registry.namespace },
  { key: 'registry.etcd.ttl', raw: 30, want: 30, read: (s) => s.registry.ttl },
  { key: 'data.redis.addr', raw: 'redis://127.0.0.1:6379', want: 'redis://127.0.0.1:6379', read: (s) => s.cache.redis.addr },
  { key: 'data.redis.password', raw: 1234, want: '1234', read: (s) => s.cache.redis.password },
  { key: 'data.redis.db', raw: 2, want: 2, read: (s) => s.cache.redis.db },
  { key: 'data.redis.timeout', raw: '1s', want: 1000, read: (s) => s.cache.redis.timeout },
  { key: 'data.redis.prefix', raw: 'app:', want: 'app:', read: (s) => s.cache.redis.prefix },
  { key: 'data.cache.maxBytes', raw: '16MiB', want: 16 * 1024 * 1024, read: (s) => s.cache.memory.maxBytes },
  { key: 'data.cache.maxEntries', raw: 500, want: 500, read: (s) => s.cache.memory.maxEntries },
];

/** An option that wins over the config key it shares a setting with. */
export const OPTION_SAMPLES: { option: string; value: AppOptions; key: string; configValue: unknown; want: unknown; read: Read }[] = [
  { option: 'http.addr', value: { http: { addr: '127.0.0.1:1' } }, key: 'server.http.addr', configValue: '127.0.0.1:2', want: '127.0.0.1:1', read: (s) => http(s)['addr'] },
  { option: 'http.timeout', value: { http: { timeout: '5s' } }, key: 'server.http.timeout', configValue: '2s', want: 5000, read: (s) => http(s)['timeout'] },
  { option: 'http.markupBodies', value: { http: { markupBodies: false } }, key: 'server.http.markup_bodies', configValue: true, want: false, read: (s) => http(s)['markupBodies'] },
  { option: 'http.maxConnections', value: { http: { maxConnections: 3 } }, key: 'server.http.maxConnections', configValue: 9, want: 3, read: (s) => http(s)['maxConnections'] },
  { option: 'http.grpcWeb', value: { http: { grpcWeb: false } }, key: 'server.http.grpc_web.enabled', configValue: true, want: false, read: (s) => s.grpcWeb },
  { option: 'http.grpcWeb.origins', value: { http: { grpcWeb: { origins: ['https://x.example'] } } }, key: 'server.http.grpc_web.origins', configValue: '*', want: ['https://x.example'], read: (s) => web(s)['origins'] },
  { option: 'grpc.addr', value: { grpc: { addr: '127.0.0.1:3' } }, key: 'server.grpc.addr', configValue: '127.0.0.1:4', want: '127.0.0.1:3', read: (s) => grpc(s)['addr'] },
  { option: 'grpc.timeout', value: { grpc: { timeout: 0 } }, key: 'server.grpc.timeout', configValue: '2s', want: 0, read: (s) => grpc(s)['timeout'] },
  { option: 'metrics', value: { metrics: false }, key: 'metrics.enabled', configValue: true, want: false, read: (s) => s.metrics },
  { option: 'tracing', value: { tracing: false }, key: 'trace.enabled', configValue: true, want: false, read: (s) => s.tracing },
  { option: 'tracing.exporter', value: { tracing: { exporter: 'memory' } }, key: 'trace.exporter', configValue: 'console', want: 'memory', read: (s) => tracing(s)['exporter'] },
  { option: 'tracing.endpoint', value: { tracing: { endpoint: 'http://o:1' } }, key: 'trace.endpoint', configValue: 'http://c:1', want: 'http://o:1', read: (s) => tracing(s)['endpoint'] },
  { option: 'tracing.sampleRatio', value: { tracing: { sampleRatio: 0 } }, key: 'trace.sampleRatio', configValue: 1, want: 0, read: (s) => tracing(s)['sampleRatio'] },
  { option: 'tracing.serviceName', value: { tracing: { serviceName: 'o' } }, key: 'trace.serviceName', configValue: 'c', want: 'o', read: (s) => tracing(s)['serviceName'] },
  { option: 'health', value: { health: false }, key: 'health.enabled', configValue: true, want: false, read: (s) => s.health },
  { option: 'ambientContext', value: { ambientContext: true }, key: 'server.ambientContext', configValue: false, want: true, read: (s) => s.ambientContext },
];

/** A bad config value per key and what the error says was expected. */
export const BAD_VALUES: [key: string, raw: unknown, expected: string][] = [
  ['server.http.addr', 'localhost', 'a host:port address'],
  ['server.http.timeout', 'soon', 'a duration (milliseconds, or "1s", "500ms", "1m30s")'],
  ['server.http.markup_bodies', 'maybe', 'true, false or { bodyLimit: <bytes> }'],
  ['server.http.maxConnections', 'many', 'a positive integer'],
  ['server.http.grpc_web.enabled', 'perhaps', 'true or false'],
  ['server.http.grpc_web.origins', 42, "'*', a list of origins or a comma-separated string"],
  ['server.grpc.addr', 'x:99999', 'a host:port address'],
  ['server.grpc.timeout', -5, 'a duration (milliseconds, or "1s", "500ms", "1m30s")'],
  ['server.workers', '-1', "a whole number >= 0 or 'auto'"],
  ['server.ambientContext', 'off', 'true or false'],
  ['log.level', 'verbose', 'one of debug, info, warn, error, fatal'],
  ['log.format', 'xml', 'one of json, text'],
  ['log.mask', { a: 1 }, 'a list of strings or one comma-separated string'],
  ['log.modules', { billing: 'loud' }, 'a map of levels (billing: one of debug, info, warn, error, fatal)'],
  ['log.caller', 'yes', 'true or false'],
  ['metrics.enabled', 'on', 'true or false'],
  ['metrics.path', 'metrics', 'a URL path starting with /'],
  ['metrics.addr', 'nowhere', 'a host:port address'],
  ['trace.enabled', 'sometimes', 'true or false'],
  ['trace.exporter', 'jaeger', 'one of otlp, otlp-http, otlp-grpc, console, none, memory'],
  ['trace.endpoint', { url: 'x' }, 'a string'],
  ['trace.sampleRatio', 2, 'a number from 0 to 1'],
  ['trace.serviceName', ['a'], 'a string'],
  ['trace.resource', 'team=core', 'a map of string values'],
  ['health.enabled', 'x', 'true or false'],
  ['registry.etcd.endpoints', { a: 1 }, 'a list of strings or one comma-separated string'],
  ['registry.etcd.namespace', true, 'a string'],
  ['registry.etcd.ttl', 0, 'a positive integer'],
  ['data.redis.addr', ['h'], 'a string'],
  ['data.redis.password', { p: 1 }, 'a string'],
  ['data.redis.db', -1, 'an integer >= 0'],
  ['data.redis.timeout', 'later', 'a duration (milliseconds, or "1s", "500ms", "1m30s")'],
  ['data.redis.prefix', [], 'a string'],
  ['data.cache.maxBytes', '10 potatoes', 'a size in bytes (1048576, "512KiB", "64MiB", "1GB")'],
  ['data.cache.maxEntries', 1.5, 'a positive integer'],
];
