import { readFileSync } from 'node:fs';
import type protobuf from 'protobufjs';
import { toCamelPath } from './deps.js';
import type { GeneratedFile } from './generated-file.js';
import { commentSafe, fullNameOf, lowerFirst, NameRegistry, outputBase, quote, tsTypeName } from './names.js';
import { isEnum, isMessage, readProtoFile, type RpcInfo, type ServiceInfo, type TypeLike } from './proto-file.js';
import { MESSAGE_INIT, typeDeclaration } from './ts-types.js';

/** The fixed part of every browser client: codecs and calls over fetch. Read once, on first use. */
let runtime: string | undefined;
function runtimeText(): string {
  runtime ??= readFileSync(new URL('./browser-runtime.tpl', import.meta.url), 'utf8').trimEnd();
  return runtime;
}

const RESERVED = ['MessageInit', 'RpcError', 'WebClientOptions', 'WebCallOptions', 'Response', 'AbortSignal', 'DataView', 'TextEncoder', 'TextDecoder'];

function schemaName(t: TypeLike, pkg: string): string {
  return `${isMessage(t) ? '$T_' : '$E_'}${tsTypeName(t, pkg)}`;
}

function fieldEntry(f: protobuf.Field, pkg: string): string {
  const r = f.resolve().resolvedType;
  const kind = isMessage(r) ? 'message' : isEnum(r) ? 'enum' : f.type;
  const parts = [`no: ${f.id}`, `name: ${quote(f.name)}`, `kind: ${quote(kind)}`];
  if (f.map) parts.push(`label: 'map'`, `key: ${quote((f as unknown as protobuf.MapField).keyType)}`);
  else if (f.repeated) parts.push(`label: 'repeated'`);
  else if (f.partOf !== null) parts.push(`label: 'optional'`);
  if (isMessage(r) || isEnum(r)) parts.push(`type: () => ${schemaName(r, pkg)}`);
  return `    { ${parts.join(', ')} },`;
}

function schemaLines(t: TypeLike, pkg: string): string[] {
  if (isEnum(t)) {
    const names = Object.entries(t.values).map(([name, n]) => `[${n}, ${quote(name)}]`).join(', ');
    return [`const ${schemaName(t, pkg)}: $Enum = { names: [${names}] };`];
  }
  if (t.fieldsArray.length === 0) return [`const ${schemaName(t, pkg)}: $Message = { fields: [] };`];
  return [`const ${schemaName(t, pkg)}: $Message = {`, '  fields: [', ...t.fieldsArray.map((f) => fieldEntry(f, pkg).slice(2)), '  ],', '};'];
}

function kindOf(r: RpcInfo): string {
  return r.responseStream ? 'server-streaming' : 'unary';
}

/** The rpcs a browser can call: no client streams (fetch cannot stream a request body everywhere). */
function webRpcs(s: ServiceInfo): RpcInfo[] {
  return s.rpcs.filter((r) => !r.requestStream);
}

function signature(r: RpcInfo, pkg: string): string {
  const req = tsTypeName(r.request, pkg);
  const rep = tsTypeName(r.reply, pkg);
  const out = r.responseStream ? `AsyncIterable<${rep}>` : `Promise<${rep}>`;
  return `${lowerFirst(r.name)}(request: MessageInit<${req}>, options?: WebCallOptions): ${out}`;
}

function ruleLiteral(r: RpcInfo): string {
  const rule = r.http[0];
  if (rule === undefined) return '';
  const path = rule.template.source.replace(/\{([\w.]+)/g, (_m, v: string) => `{${toCamelPath(v)}`);
  return `{ method: ${quote(rule.method)}, path: ${quote(path)}, body: ${quote(rule.body ?? '')}, responseBody: ${quote(rule.responseBody ?? '')} }`;
}

function serviceLines(s: ServiceInfo, pkg: string, names: NameRegistry): string[] {
  const claim = (n: string): string => names.claim(n, `service ${s.fullName}`);
  const rpcs = webRpcs(s);
  const out: string[] = [];
  const grpc = claim(`${s.name}GrpcWebClient`);
  out.push(`/** A gRPC-Web client of ${s.fullName} (unary and server-streaming rpcs). */`, `export interface ${grpc} {`);
  for (const r of rpcs) out.push(`  /** ${r.name} (${kindOf(r)}). */`, `  ${signature(r, pkg)};`);
  out.push('}', '');
  out.push(`/** Calls ${s.fullName} over gRPC-Web (binary) with fetch. */`, `export function ${claim(`create${s.name}GrpcWebClient`)}(options: WebClientOptions): ${grpc} {`, '  return {');
  for (const r of rpcs) {
    const call = r.responseStream ? '$grpcWeb' : '$grpcWebUnary';
    const args = `options, ${quote(r.operation)}, ${schemaName(r.request, pkg)}, ${schemaName(r.reply, pkg)}, request as $Obj, callOptions`;
    out.push(`    ${lowerFirst(r.name)}: (request, callOptions) => ${call}(${args}) as unknown as ${r.responseStream ? 'AsyncIterable' : 'Promise'}<${tsTypeName(r.reply, pkg)}>,`);
  }
  out.push('  };', '}');
  const http = rpcs.filter((r) => r.http.length > 0);
  if (http.length === 0) return out;
  const httpName = claim(`${s.name}HttpWebClient`);
  out.push('', `/** A JSON client of ${s.fullName} over its google.api.http rules; server streams arrive as NDJSON. */`, `export interface ${httpName} {`);
  for (const r of http) out.push(`  /** ${r.name}: ${r.http[0]?.method ?? ''} ${commentSafe(r.http[0]?.template.source ?? '')}. */`, `  ${signature(r, pkg)};`);
  out.push('}', '');
  out.push(`/** Calls ${s.fullName} over its HTTP rules with fetch. */`, `export function ${claim(`create${s.name}HttpWebClient`)}(options: WebClientOptions): ${httpName} {`, '  return {');
  for (const r of http) {
    const call = r.responseStream ? '$httpStream' : '$httpUnary';
    const args = `options, ${ruleLiteral(r)}, ${schemaName(r.request, pkg)}, ${schemaName(r.reply, pkg)}, request as $Obj, callOptions`;
    out.push(`    ${lowerFirst(r.name)}: (request, callOptions) => ${call}(${args}) as unknown as ${r.responseStream ? 'AsyncIterable' : 'Promise'}<${tsTypeName(r.reply, pkg)}>,`);
  }
  out.push('  };', '}');
  return out;
}

/**
 * `kratos-ts proto client --target browser`: one self-contained TypeScript module per .proto for
 * browsers and bundlers. It imports nothing (no Node modules, no protobuf library): the message
 * interfaces (the same canonical form as the Node client), a proto3 binary and JSON codec driven by
 * small schema tables, and per service a gRPC-Web client and, when the service has google.api.http
 * rules, a JSON client of them, both on fetch, server streams as AsyncIterables read from the
 * response's ReadableStream. Client- and bidi-streaming rpcs are left out: browsers cannot stream a
 * request body to them portably.
 */
export function generateBrowserClient(root: protobuf.Root, file: string): GeneratedFile[] {
  const proto = readProtoFile(root, file);
  const base = outputBase(proto.pkg, file);
  const names = new NameRegistry(file, RESERVED);
  for (const t of proto.types) names.claim(tsTypeName(t, proto.pkg), fullNameOf(t));
  const blocks: string[][] = [
    ['// Code generated by kratos-ts proto client --target browser. DO NOT EDIT.', `// source: ${base}.proto`, '// For browsers and bundlers: fetch only, no imports.'],
    [...MESSAGE_INIT],
    ...proto.types.map((t) => typeDeclaration(t, proto.pkg)),
    [runtimeText()],
    ['// ---- schemas: field numbers and kinds of every message and enum used ----', '', ...proto.types.flatMap((t) => schemaLines(t, proto.pkg))],
    ...proto.services.map((s) => serviceLines(s, proto.pkg, names)),
  ];
  return [{ path: `${base}.web.ts`, content: `${blocks.map((b) => b.join('\n')).join('\n\n')}\n` }];
}
