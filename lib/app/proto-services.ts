import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { AppContainer, Class } from '../container/index.js';
import { FrameworkError } from '../errors/index.js';
import type { Handler, Middleware } from '../middleware/index.js';
import { validate, validationError } from '../middleware/validate/index.js';
import type { RpcDescriptor, ServiceDescriptor } from '../annotations/index.js';
import { projectRoot, protoRules, recordGivenName, type MethodSchema, type ProtoLoader, type ServiceSchema } from '../proto/index.js';
import type { OperationBuilder } from './operations.js';

/**
 * An rpc bound to its handler: the one chain the operation builder made for it, which the gRPC
 * server, gRPC-Web and the rpc's HTTP routes all mount (requests they cannot decode included).
 */
export interface BoundMethod {
  schema: MethodSchema;
  handler: Handler;
  acceptsRefused: true;
}

/** A proto service with every rpc bound to a method of its class. */
export interface BoundService {
  schema: ServiceSchema;
  methods: BoundMethod[];
}

/**
 * Where a `@Service({ proto })` file is: absolute, or relative to the first of `roots` that has it
 * (the working directory, the entry script's directory and its parents).
 */
export function findProtoFile(proto: string, roots: readonly string[], owner: string): string {
  if (isAbsolute(proto)) return proto;
  for (const r of roots) {
    const p = resolve(r, proto);
    if (existsSync(p)) {
      recordGivenName(p, proto);
      return p;
    }
  }
  throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${owner}: proto file '${proto}' not found (looked in ${roots.join(', ')})`, {
    hint: 'Give the path relative to the project root (the nearest package.json above the entry script) or the entry script, or add its directory to `protoPaths`.',
  });
}

/** Directories `findProtoFile` searches by default: the project root, cwd, then the entry script's directory upwards. */
export function defaultProtoRoots(extra: readonly string[] = []): string[] {
  const roots = [...new Set([...extra, projectRoot(), process.cwd()])];
  let dir = process.argv[1] === undefined ? undefined : resolve(process.argv[1], '..');
  while (dir !== undefined && !roots.includes(dir)) {
    roots.push(dir);
    const up = resolve(dir, '..');
    dir = up === dir ? undefined : up;
  }
  return roots;
}

/** A validate middleware for the PGV and buf.validate rules of the request message, if it declares any. */
function protoValidation(m: MethodSchema): Middleware[] {
  const rules = protoRules(m.requestType);
  if (rules === undefined) return [];
  if (!m.requestStream) return [validate((req) => ({ violations: rules(req) }))];
  // A streamed request is checked message by message as the handler reads it; the first bad one fails the call.
  async function* checked(messages: AsyncIterable<unknown>): AsyncIterable<unknown> {
    for await (const msg of messages) {
      const violations = rules?.(msg) ?? [];
      if (violations.length > 0) throw validationError(violations);
      yield msg;
    }
  }
  return [(next) => (req, ctx) => next(checked(req as AsyncIterable<unknown>), ctx)];
}

function rpcName(r: RpcDescriptor): string {
  if (r.name !== undefined) return r.name;
  const k = String(r.propertyKey);
  return k.charAt(0).toUpperCase() + k.slice(1);
}

/**
 * Whether a method can serve an rpc of this kind: a streaming rpc an `async *` or `*` generator, or a
 * plain method returning an iterable (an array); a unary rpc anything but a generator. An `async`
 * method promises one reply, so it serves only unary rpcs.
 */
function fitsRpc(fn: unknown, responseStream: boolean): boolean {
  const kind = typeof fn === 'function' ? fn.constructor.name : '';
  const generator = kind === 'AsyncGeneratorFunction' || kind === 'GeneratorFunction';
  return responseStream ? kind !== 'AsyncFunction' : !generator;
}

function bindingError(msg: string, hint: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_PROTO_BINDING', msg, { hint });
}

/** Matches the rpcs of `schema` to the `@Rpc` methods of `svc`, failing on any mismatch (NestJS skips these silently). */
function matchRpcs(svc: ServiceDescriptor, schema: ServiceSchema, instance: object): Map<MethodSchema, RpcDescriptor> {
  const cls = (svc.cls as Class).name;
  const byName = new Map(svc.rpcs.map((r) => [rpcName(r), r]));
  const out = new Map<MethodSchema, RpcDescriptor>();
  for (const m of schema.methods) {
    const r = byName.get(m.name);
    if (r === undefined) {
      throw bindingError(`${cls} has no handler for rpc ${m.operation} (${schema.file})`, `Add \`@Rpc() ${m.name.charAt(0).toLowerCase()}${m.name.slice(1)}(req, ctx)\` or \`@Rpc('${m.name}')\` to ${cls}.`);
    }
    const fn = (instance as Record<string | symbol, unknown>)[r.propertyKey];
    if (!fitsRpc(fn, m.responseStream)) {
      const want = m.responseStream ? 'an `async *` or `*` generator, or a method returning an iterable (the rpc streams its replies)' : 'a plain async method (the rpc returns one reply)';
      throw bindingError(`${cls}.${String(r.propertyKey)} does not match ${m.operation}: it should be ${want}`, 'Make the handler kind match the rpc in the .proto.');
    }
    out.set(m, r);
    byName.delete(m.name);
  }
  for (const [name, r] of byName) {
    throw bindingError(`${cls}.${String(r.propertyKey)} is an @Rpc for '${name}', but ${schema.fullName} has no such rpc (it has: ${schema.methods.map((m) => m.name).join(', ')})`, 'Fix the method name or give the rpc name: @Rpc(\'Name\').');
  }
  return out;
}

/** Loads the proto of every `@Service({ proto })`, checks it against the class, and builds each rpc's chain. */
export async function bindProtoServices(container: AppContainer, operations: OperationBuilder, loader: ProtoLoader, roots: readonly string[]): Promise<BoundService[]> {
  const out: BoundService[] = [];
  for (const node of container.graph.modules) {
    for (const service of node.services) {
      if (service.options.proto === undefined) continue;
      const cls = service.cls as Class<object>;
      const file = findProtoFile(service.options.proto, roots, cls.name);
      const schema = await loader.service(file, service.options.name ?? (await onlyService(loader, file, cls.name)));
      const instance = container.get<object>(cls);
      const methods: BoundMethod[] = [];
      for (const [m, method] of matchRpcs(service, schema, instance)) {
        const handler = operations.build({ name: m.operation, module: node, service, instance, method, checks: protoValidation(m), streams: m.responseStream });
        methods.push({ schema: m, handler, acceptsRefused: true });
      }
      out.push({ schema, methods });
    }
  }
  return out;
}

async function onlyService(loader: ProtoLoader, file: string, owner: string): Promise<string> {
  const root = await loader.load(file);
  const names: string[] = [];
  const walk = (ns: { nestedArray?: unknown[]; fullName: string }): void => {
    for (const n of ns.nestedArray ?? []) {
      const o = n as { methods?: unknown; fullName: string; nestedArray?: unknown[]; filename?: string | null };
      if (o.methods !== undefined && o.filename === file) names.push(o.fullName.replace(/^\./, ''));
      else walk(o);
    }
  };
  walk(root as never);
  if (names.length === 1) return names[0] as string;
  throw bindingError(`${owner}: @Service({ proto: '${file}' }) needs \`name\`: the file has ${names.length} services (${names.join(', ')})`, `Add name: '<package>.<Service>' to @Service of ${owner}.`);
}

