import type { RpcInfo, ServiceInfo } from './proto-file.js';
import { commentSafe, lowerFirst, NameRegistry, quote, tsTypeName } from './names.js';

/** Names the service section refers to; the file's header decides how they are imported. */
export interface ServiceEmitContext {
  pkg: string;
  names: NameRegistry;
}

function req(r: RpcInfo, ctx: ServiceEmitContext): string {
  return tsTypeName(r.request, ctx.pkg);
}

function rep(r: RpcInfo, ctx: ServiceEmitContext): string {
  return tsTypeName(r.reply, ctx.pkg);
}

/** `OperationGreeterSayHello`, as protoc-gen-go-http names the constant. */
export function operationName(s: ServiceInfo, r: RpcInfo): string {
  return `Operation${s.name}${r.name}`;
}

function kind(r: RpcInfo): string {
  if (r.requestStream && r.responseStream) return 'bidi-streaming';
  if (r.requestStream) return 'client-streaming';
  return r.responseStream ? 'server-streaming' : 'unary';
}

/** What an implementation receives and returns for one rpc (requests arrive in canonical form). */
function serviceMember(r: RpcInfo, ctx: ServiceEmitContext): string {
  const input = r.requestStream ? `requests: AsyncIterable<${req(r, ctx)}>` : `request: ${req(r, ctx)}`;
  const output = r.responseStream ? `AsyncIterable<MessageInit<${rep(r, ctx)}>>` : `Promise<MessageInit<${rep(r, ctx)}>>`;
  return `${lowerFirst(r.name)}(${input}, ctx: kratos.Context): ${output};`;
}

/** What a gRPC client call takes and gives back; a stream of requests may also be an array. */
function grpcMember(r: RpcInfo, ctx: ServiceEmitContext): string {
  const one = `MessageInit<${req(r, ctx)}>`;
  const input = r.requestStream ? `requests: AsyncIterable<${one}> | ${one}[]` : `request: ${one}`;
  const output = r.responseStream ? `AsyncIterable<${rep(r, ctx)}>` : `Promise<${rep(r, ctx)}>`;
  return `${lowerFirst(r.name)}(${input}, options?: kratos.CallOptions): ${output};`;
}

/** The rpcs the HTTP client serves: unary ones with a google.api.http rule (Kratos v2 skips streams too). */
export function httpRpcs(s: ServiceInfo): RpcInfo[] {
  return s.rpcs.filter((r) => r.http.length > 0 && !r.requestStream && !r.responseStream);
}

/** The operation constants, the service interface and the client factories of one service. */
export function serviceDeclarations(s: ServiceInfo, ctx: ServiceEmitContext): string[] {
  const claim = (n: string): string => ctx.names.claim(n, `service ${s.fullName}`);
  const out: string[] = [];
  for (const r of s.rpcs) {
    out.push(`/** The operation of ${s.fullName}.${r.name}, as middleware selectors and the transports name it. */`);
    out.push(`export const ${claim(operationName(s, r))} = ${quote(r.operation)};`, '');
  }
  const service = claim(`${s.name}Service`);
  out.push(`/** What an implementation of ${s.fullName} provides: one method per rpc, requests in canonical form. */`);
  out.push(`export interface ${service} {`);
  for (const r of s.rpcs) out.push(`  /** ${r.name} (${kind(r)}). */`, `  ${serviceMember(r, ctx)}`);
  out.push('}', '');

  const grpc = claim(`${s.name}GrpcClient`);
  const grpcFactory = claim(`create${s.name}GrpcClient`);
  out.push(`/** A gRPC client of ${s.fullName}. */`, `export interface ${grpc} {`);
  for (const r of s.rpcs) out.push(`  /** ${r.name} (${kind(r)}). */`, `  ${grpcMember(r, ctx)}`);
  out.push('  /** Closes the channels of this client. */', '  close(): void;', '}', '');
  out.push(`/** A gRPC client of ${s.fullName}, loading the .proto this file was generated from. */`);
  out.push(`export function ${grpcFactory}(options: kratos.GrpcClientOptions & kratos.ProtoPathsOption): ${grpc} {`);
  out.push('  const { protoPaths = PROTO_PATHS, ...rest } = options;');
  // The runtime client is untyped (one method per rpc, found by name); this file is what types it.
  out.push(`  return kratos.createGrpcClient({ proto: PROTO_PATH, name: ${quote(s.fullName)}, protoPaths }, rest) as unknown as ${grpc};`);
  out.push('}');

  const rpcs = httpRpcs(s);
  if (rpcs.length === 0) return out;
  const http = claim(`${s.name}HttpClient`);
  const httpFactory = claim(`create${s.name}HttpClient`);
  out.push('', `/** An HTTP client of ${s.fullName}, following the google.api.http rules of its unary rpcs. */`, `export interface ${http} {`);
  for (const r of rpcs) {
    const rule = r.http[0];
    out.push(`  /** ${r.name}: ${rule?.method ?? ''} ${commentSafe(rule?.template.source ?? '')}. */`);
    out.push(`  ${lowerFirst(r.name)}(request: MessageInit<${req(r, ctx)}>, options?: kratos.HttpCallOptions): Promise<${rep(r, ctx)}>;`);
  }
  out.push('  /** Closes the connections of this client. */', '  close(): void;', '}', '');
  out.push(`/** An HTTP client of ${s.fullName}, loading the .proto this file was generated from. */`);
  out.push(`export function ${httpFactory}(options: kratos.HttpClientOptions & kratos.ProtoPathsOption): ${http} {`);
  out.push('  const { protoPaths = PROTO_PATHS, ...rest } = options;');
  out.push(`  const schema = new kratos.ProtoLoader({ protoPaths }).serviceSync(PROTO_PATH, ${quote(s.fullName)});`);
  out.push(`  return kratos.createProtoHttpClient(schema, rest) as unknown as ${http};`);
  out.push('}');
  return out;
}
