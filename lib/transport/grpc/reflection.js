import { status as GrpcStatus } from '@grpc/grpc-js';
import { join } from 'node:path';
import { bundledIncludeDir, ProtoLoader } from '../../proto/index.js';
/** The reflection protos (v1 and v1alpha) shipped with kratos-ts; also described by reflection itself. */
export const reflectionRoots = {
    v1: new ProtoLoader().loadSync(join(bundledIncludeDir(), 'grpc/reflection/v1/reflection.proto')),
    v1alpha: new ProtoLoader().loadSync(join(bundledIncludeDir(), 'grpc/reflection/v1alpha/reflection.proto')),
};
/** The reflection services (v1 and v1alpha) answering from `source`, listing `services()`. */
export function reflectionServices(source, services) {
    return ['v1', 'v1alpha'].map((v) => {
        const Req = reflectionRoots[v].lookupType(`grpc.reflection.${v}.ServerReflectionRequest`);
        const Res = reflectionRoots[v].lookupType(`grpc.reflection.${v}.ServerReflectionResponse`);
        const name = `grpc.reflection.${v}.ServerReflection`;
        const definition = {
            ServerReflectionInfo: {
                path: `/${name}/ServerReflectionInfo`,
                requestStream: true,
                responseStream: true,
                requestSerialize: (o) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
                requestDeserialize: (b) => Req.toObject(Req.decode(b), { oneofs: true }),
                responseSerialize: (o) => Buffer.from(Res.encode(Res.fromObject(o)).finish()),
                responseDeserialize: (b) => Res.toObject(Res.decode(b)),
                originalName: 'ServerReflectionInfo',
            },
        };
        const implementation = {
            ServerReflectionInfo: (call) => {
                call.on('data', (req) => call.write({ validHost: req.host ?? '', originalRequest: req, ...answer(req, source(), services) }));
                call.on('end', () => call.end());
            },
        };
        return [name, { definition, implementation }];
    });
}
function withDependencies(src, file) {
    const out = [];
    const visit = (f) => {
        if (out.includes(f) || !src.files.has(f))
            return;
        out.push(f);
        for (const d of src.dependencies.get(f) ?? [])
            visit(d);
    };
    visit(file);
    return out.map((f) => src.files.get(f));
}
function notFound(what) {
    return { errorResponse: { errorCode: GrpcStatus.NOT_FOUND, errorMessage: `${what} not found` } };
}
function answer(req, src, services) {
    if (req.listServices !== undefined)
        return { listServicesResponse: { service: services().map((name) => ({ name })) } };
    if (req.fileByFilename !== undefined) {
        return src.files.has(req.fileByFilename) ? { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, req.fileByFilename) } } : notFound(`file ${req.fileByFilename}`);
    }
    if (req.fileContainingSymbol !== undefined) {
        const file = lookupSymbol(src, req.fileContainingSymbol);
        return file === undefined ? notFound(`symbol ${req.fileContainingSymbol}`) : { fileDescriptorResponse: { fileDescriptorProto: withDependencies(src, file) } };
    }
    if (req.allExtensionNumbersOfType !== undefined)
        return { allExtensionNumbersResponse: { baseTypeName: req.allExtensionNumbersOfType, extensionNumber: [] } };
    return { errorResponse: { errorCode: GrpcStatus.UNIMPLEMENTED, errorMessage: 'request kind not supported' } };
}
// Symbols may name a field or method below an indexed message or service: strip parts until one is known.
function lookupSymbol(src, symbol) {
    let s = symbol.replace(/^\./, '');
    while (s !== '') {
        const f = src.symbols.get(s);
        if (f !== undefined)
            return f;
        const dot = s.lastIndexOf('.');
        s = dot === -1 ? '' : s.slice(0, dot);
    }
    return undefined;
}
