import { status as GrpcStatus, type ServerDuplexStream } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { RawService } from './grpc-server.js';

/** Serialized FileDescriptorProtos by file name, the file of each symbol, and each file's imports. */
export interface DescriptorSource {
  files: Map<string, Buffer>;
  symbols: Map<string, string>;
  dependencies: Map<string, string[]>;
}

const messages = {
  ServerReflectionRequest: {
    oneofs: { messageRequest: { oneof: ['fileByFilename', 'fileContainingSymbol', 'fileContainingExtension', 'allExtensionNumbersOfType', 'listServices'] } },
    fields: {
      host: { type: 'string', id: 1 },
      fileByFilename: { type: 'string', id: 3 },
      fileContainingSymbol: { type: 'string', id: 4 },
      fileContainingExtension: { type: 'ExtensionRequest', id: 5 },
      allExtensionNumbersOfType: { type: 'string', id: 6 },
      listServices: { type: 'string', id: 7 },
    },
  },
  ExtensionRequest: { fields: { containingType: { type: 'string', id: 1 }, extensionNumber: { type: 'int32', id: 2 } } },
  ServerReflectionResponse: {
    oneofs: { messageResponse: { oneof: ['fileDescriptorResponse', 'allExtensionNumbersResponse', 'listServicesResponse', 'errorResponse'] } },
    fields: {
      validHost: { type: 'string', id: 1 },
      originalRequest: { type: 'ServerReflectionRequest', id: 2 },
      fileDescriptorResponse: { type: 'FileDescriptorResponse', id: 4 },
      allExtensionNumbersResponse: { type: 'ExtensionNumberResponse', id: 5 },
      listServicesResponse: { type: 'ListServiceResponse', id: 6 },
      errorResponse: { type: 'ErrorResponse', id: 7 },
    },
  },
  FileDescriptorResponse: { fields: { fileDescriptorProto: { rule: 'repeated', type: 'bytes', id: 1 } } },
  ExtensionNumberResponse: { fields: { baseTypeName: { type: 'string', id: 1 }, extensionNumber: { rule: 'repeated', type: 'int32', id: 2 } } },
  ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
  ServiceResponse: { fields: { name: { type: 'string', id: 1 } } },
  ErrorResponse: { fields: { errorCode: { type: 'int32', id: 1 }, errorMessage: { type: 'string', id: 2 } } },
};

// The same messages serve v1 and v1alpha; only the package differs.
const root = protobuf.Root.fromJSON({
  nested: {
    grpc: { nested: { reflection: { nested: { v1: { nested: messages }, v1alpha: { nested: messages } } } } },
  },
} as protobuf.INamespace);

type Request = {
  host?: string;
  fileByFilename?: string;
  fileContainingSymbol?: string;
  fileContainingExtension?: { containingType: string };
  allExtensionNumbersOfType?: string;
  listServices?: string;
};

/** The reflection services (v1 and v1alpha) answering from `source`, listing `services()`. */
export function reflectionServices(source: () => DescriptorSource, services: () => string[]): [string, RawService][] {
  return (['v1', 'v1alpha'] as const).map((v) => {
    const Req = root.lookupType(`grpc.reflection.${v}.ServerReflectionRequest`);
    const Res = root.lookupType(`grpc.reflection.${v}.ServerReflectionResponse`);
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
        call.on('data', (req: Request) => call.write({ validHost: req.host ?? '', originalRequest: req, ...answer(req, source(), services) }));
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

function answer(req: Request, src: DescriptorSource, services: () => string[]): Record<string, unknown> {
  if (req.listServices !== undefined) return { listServicesResponse: { service: services().map((name) => ({ name })) } };
  if (req.fileByFilename !== undefined) {
    return src.files.has(req.fileByFilename) ? { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, req.fileByFilename) } } : notFound(`file ${req.fileByFilename}`);
  }
  if (req.fileContainingSymbol !== undefined) {
    const file = lookupSymbol(src, req.fileContainingSymbol);
    return file === undefined ? notFound(`symbol ${req.fileContainingSymbol}`) : { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, file) } };
  }
  if (req.allExtensionNumbersOfType !== undefined) return { allExtensionNumbersResponse: { baseTypeName: req.allExtensionNumbersOfType, extensionNumber: [] } };
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
