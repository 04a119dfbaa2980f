import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import { join } from 'node:path';
import type protobuf from 'protobufjs';
import { bundledIncludeDir, ProtoLoader } from '../../proto/index.js';
import type { RawService } from './grpc-server.js';

/** Serialized FileDescriptorProtos by file name, the file of each symbol, and each file's imports. */
export interface DescriptorSource {
  files: Map<string, Buffer>;
  symbols: Map<string, string>;
  dependencies: Map<string, string[]>;
  /** Extended message -> extension number -> file declaring the extension. */
  extensions?: Map<string, Map<number, string>>;
}

const roots: Partial<Record<'v1' | 'v1alpha', protobuf.Root>> = {};

/**
 * The reflection proto of `version` shipped with kratos-ts (also described by reflection itself);
 * parsed when a server first serves reflection, not when kratos-ts is imported.
 */
export function reflectionRoot(version: 'v1' | 'v1alpha'): protobuf.Root {
  return (roots[version] ??= new ProtoLoader().loadSync(join(bundledIncludeDir(), `grpc/reflection/${version}/reflection.proto`)));
}

type Request = {
  host?: string;
  fileByFilename?: string;
  fileContainingSymbol?: string;
  fileContainingExtension?: { containingType?: string; extensionNumber?: number };
  allExtensionNumbersOfType?: string;
  listServices?: string;
};

/** The reflection services (v1 and v1alpha) answering from `source`, listing `services()`. */
export function reflectionServices(source: () => DescriptorSource, services: () => string[]): [string, RawService][] {
  return (['v1', 'v1alpha'] as const).map((v) => {
    const Req = reflectionRoot(v).lookupType(`grpc.reflection.${v}.ServerReflectionRequest`);
    const Res = reflectionRoot(v).lookupType(`grpc.reflection.${v}.ServerReflectionResponse`);
    const name = `grpc.reflection.${v}.ServerReflection`;
    const definition = {
      ServerReflectionInfo: {
        path: `/${name}/ServerReflectionInfo`,
        requestStream: true,
        responseStream: true,
        requestSerialize: (o: Request) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
        requestDeserialize: (b: Buffer) => Req.toObject(Req.decode(b), { oneofs: true }) as Request,
        responseSerialize: (o: Record<string, unknown>) => Buffer.from(Res.encode(Res.fromObject(o)).finish()),
        responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b)),
        originalName: 'ServerReflectionInfo',
      },
    };
    const implementation = {
      ServerReflectionInfo: (call: ServerDuplexStream<Request, Record<string, unknown>>) => {
        call.on('data', (req: Request) => call.write({ validHost: req.host ?? '', originalRequest: req, ...safeAnswer(req, source, services) }));
        call.on('end', () => call.end());
      },
    };
    return [name, { definition, implementation }];
  });
}

function withDependencies(src: DescriptorSource, file: string): Buffer[] {
  const out: string[] = [];
  const visit = (f: string): void => {
    if (out.includes(f) || !src.files.has(f)) return;
    out.push(f);
    for (const d of src.dependencies.get(f) ?? []) visit(d);
  };
  visit(file);
  return out.map((f) => src.files.get(f) as Buffer);
}

function notFound(what: string): Record<string, unknown> {
  return { errorResponse: { errorCode: GrpcStatus.NOT_FOUND, errorMessage: `${what} not found` } };
}

// Descriptors are built on first use: a file they cannot describe is an error answer, not a crash.
function safeAnswer(req: Request, source: () => DescriptorSource, services: () => string[]): Record<string, unknown> {
  // Listing services needs no descriptors, so it works even when they cannot be built.
  if (req.listServices !== undefined) return { listServicesResponse: { service: services().map((name) => ({ name })) } };
  try {
    return answer(req, source());
  } catch (err) {
    return { errorResponse: { errorCode: GrpcStatus.INTERNAL, errorMessage: (err as Error).message } };
  }
}

function answer(req: Request, src: DescriptorSource): Record<string, unknown> {
  if (req.fileByFilename !== undefined) {
    return src.files.has(req.fileByFilename) ? { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, req.fileByFilename) } } : notFound(`file ${req.fileByFilename}`);
  }
  if (req.fileContainingSymbol !== undefined) {
    const file = lookupSymbol(src, req.fileContainingSymbol);
    return file === undefined ? notFound(`symbol ${req.fileContainingSymbol}`) : { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, file) } };
  }
  if (req.fileContainingExtension !== undefined) {
    const { containingType = '', extensionNumber = 0 } = req.fileContainingExtension;
    const file = src.extensions?.get(containingType.replace(/^\./, ''))?.get(extensionNumber);
    return file === undefined ? notFound(`extension ${extensionNumber} of ${containingType}`) : { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, file) } };
  }
  if (req.allExtensionNumbersOfType !== undefined) {
    const type = req.allExtensionNumbersOfType.replace(/^\./, '');
    const numbers = src.extensions?.get(type);
    if (numbers === undefined && !src.symbols.has(type)) return notFound(`type ${req.allExtensionNumbersOfType}`);
    return { allExtensionNumbersResponse: { baseTypeName: type, extensionNumber: [...(numbers?.keys() ?? [])].sort((a, b) => a - b) } };
  }
  return { errorResponse: { errorCode: GrpcStatus.UNIMPLEMENTED, errorMessage: 'request kind not supported' } };
}

// Symbols may name a field or method below an indexed message or service: strip parts until one is known.
function lookupSymbol(src: DescriptorSource, symbol: string): string | undefined {
  let s = symbol.replace(/^\./, '');
  while (s !== '') {
    const f = src.symbols.get(s);
    if (f !== undefined) return f;
    const dot = s.lastIndexOf('.');
    s = dot === -1 ? '' : s.slice(0, dot);
  }
  return undefined;
}
