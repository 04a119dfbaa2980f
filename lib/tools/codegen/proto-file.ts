import type protobuf from 'protobufjs';
import { resolve } from 'node:path';
import { errorEnums, type ErrorEnumValue, type HttpRule } from './deps.js';
import { httpRulesOf } from './http-rules.js';
import { fullNameOf, packageOf } from './names.js';

/** A message or an enum. */
export type TypeLike = protobuf.Type | protobuf.Enum;

/** One rpc as the generators see it. */
export interface RpcInfo {
  name: string;
  /** `/helloworld.v1.Greeter/SayHello` */
  operation: string;
  request: protobuf.Type;
  reply: protobuf.Type;
  requestStream: boolean;
  responseStream: boolean;
  http: HttpRule[];
}

/** One service of the file. */
export interface ServiceInfo {
  /** `Greeter` */
  name: string;
  /** `helloworld.v1.Greeter` */
  fullName: string;
  rpcs: RpcInfo[];
}

/** What one .proto file declares, in declaration order, plus the foreign types it needs. */
export interface ProtoFile {
  file: string;
  pkg: string;
  /** The file's own messages and enums, each followed by its nested types, then every type they reach from other files. */
  types: TypeLike[];
  services: ServiceInfo[];
  errors: ErrorEnumValue[];
}

/** Whether `obj` is a message type (protobufjs classes are compared by shape so that two copies of protobufjs still agree). */
export function isMessage(obj: protobuf.ReflectionObject | null): obj is protobuf.Type {
  return obj !== null && 'fields' in obj && 'oneofs' in obj;
}

/** Whether `obj` is an enum. */
export function isEnum(obj: protobuf.ReflectionObject | null): obj is protobuf.Enum {
  return obj !== null && 'values' in obj && 'valuesById' in obj;
}

function isService(obj: protobuf.ReflectionObject): obj is protobuf.Service {
  return 'methods' in obj;
}

function children(ns: protobuf.ReflectionObject): protobuf.ReflectionObject[] {
  return 'nestedArray' in ns ? (ns as protobuf.NamespaceBase).nestedArray : [];
}

function rpcOf(service: string, m: protobuf.Method, where: string): RpcInfo {
  m.resolve();
  const operation = `/${service}/${m.name}`;
  return {
    name: m.name,
    operation,
    request: m.resolvedRequestType as protobuf.Type,
    reply: m.resolvedResponseType as protobuf.Type,
    requestStream: m.requestStream === true,
    responseStream: m.responseStream === true,
    http: httpRulesOf(m, `${where}: ${operation}`),
  };
}

/** The message and enum types a field of `type` refers to, in field order. */
function referenced(type: protobuf.Type): TypeLike[] {
  const out: TypeLike[] = [];
  for (const f of type.fieldsArray) {
    const r = f.resolve().resolvedType;
    if (isMessage(r) || isEnum(r)) out.push(r);
  }
  return out;
}

/**
 * Reads `file` out of `root`: its package, its types and services in declaration order, the types
 * of other files it depends on (in first-use order, so the output never depends on Map order),
 * and its error enums.
 */
export function readProtoFile(root: protobuf.Root, file: string): ProtoFile {
  const path = resolve(file);
  const own: TypeLike[] = [];
  const services: ServiceInfo[] = [];
  let first: protobuf.ReflectionObject | undefined;
  const walk = (ns: protobuf.ReflectionObject): void => {
    for (const n of children(ns)) {
      const mine = n.filename !== null && resolve(n.filename) === path;
      if (mine && first === undefined && (isMessage(n) || isEnum(n) || isService(n))) first = n;
      if (mine && (isMessage(n) || isEnum(n))) own.push(n);
      if (mine && isService(n)) {
        const name = fullNameOf(n);
        services.push({ name: n.name, fullName: name, rpcs: n.methodsArray.map((m) => rpcOf(name, m, file)) });
      }
      walk(n);
    }
  };
  walk(root);
  const pkg = first === undefined ? '' : packageOf(first);
  const seen = new Set<TypeLike>(own);
  const types = [...own];
  const visit = (t: TypeLike): void => {
    if (!seen.has(t)) {
      seen.add(t);
      types.push(t);
    }
    if (!isMessage(t)) return;
    for (const r of referenced(t)) if (!seen.has(r)) visit(r);
  };
  for (const t of own) visit(t);
  for (const s of services) for (const r of s.rpcs) for (const t of [r.request, r.reply]) visit(t);
  const enumNames = new Set(own.filter(isEnum).map(fullNameOf));
  const errors = errorEnums(root).filter((e) => enumNames.has(e.enumName));
  return { file, pkg, types, services, errors };
}

