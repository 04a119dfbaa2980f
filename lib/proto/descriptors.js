import { relative, sep } from 'node:path';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { importNameOf } from './import-names.js';
// protobufjs keeps its built-in well-known types without a file name; these are their real files.
const WKT_FILES = {
    Any: 'any', Duration: 'duration', Timestamp: 'timestamp', Empty: 'empty', Struct: 'struct', Value: 'struct',
    ListValue: 'struct', NullValue: 'struct', FieldMask: 'field_mask', DoubleValue: 'wrappers', FloatValue: 'wrappers',
    Int64Value: 'wrappers', UInt64Value: 'wrappers', Int32Value: 'wrappers', UInt32Value: 'wrappers', BoolValue: 'wrappers',
    StringValue: 'wrappers', BytesValue: 'wrappers',
};
function fileNameOf(obj, root) {
    if (obj.filename !== null) {
        const imported = importNameOf(root, obj.filename);
        if (imported !== undefined)
            return imported;
    }
    if (obj.filename === null) {
        const wkt = WKT_FILES[obj.name];
        return obj.fullName.startsWith('.google.protobuf.') && wkt !== undefined ? `google/protobuf/${wkt}.proto` : 'unknown.proto';
    }
    const rel = relative(process.cwd(), obj.filename);
    const inGoogle = obj.filename.split(sep).join('/').match(/(google\/(?:api|protobuf|rpc)\/[^/]+\.proto)$/);
    if (inGoogle !== null)
        return inGoogle[1];
    return (rel.startsWith('..') ? obj.filename : rel).split(sep).join('/');
}
const qualify = (name) => (name ? (name.startsWith('.') ? name : `.${name}`) : undefined);
function fixNames(d) {
    // An extension declared elsewhere shows up as a field named '.pkg.ext' on the extended message; it belongs to the extending file.
    const fields = (d['field'] ?? []).filter((f) => !String(f['name']).startsWith('.'));
    d['field'] = fields;
    for (const f of fields)
        if (f['typeName'])
            f['typeName'] = qualify(f['typeName']);
    for (const n of d['nestedType'] ?? [])
        fixNames(n);
}
/** Descriptors of every message, enum and service reachable from `roots`, one per source file. */
export function descriptorIndex(roots) {
    const parts = new Map();
    const symbols = new Map();
    const fileOf = new Map();
    const part = (file, pkg) => {
        let p = parts.get(file);
        if (p === undefined)
            parts.set(file, (p = { pkg, types: [], enums: [], services: [], deps: new Set() }));
        return p;
    };
    const index = (obj, file) => {
        symbols.set(obj.fullName.slice(1), file);
        fileOf.set(obj, file);
        if ('methodsArray' in obj)
            for (const m of obj.methodsArray)
                symbols.set(m.fullName.slice(1), file);
        if ('nestedArray' in obj)
            for (const n of obj.nestedArray)
                if (!('nestedArray' in n) || 'fields' in n || 'values' in n)
                    index(n, file);
    };
    const walk = (ns, pkg, root) => {
        for (const n of ns.nestedArray) {
            if (n instanceof protobuf.Type || n instanceof protobuf.Enum || n instanceof protobuf.Service) {
                const file = fileNameOf(n, root);
                // Roots loaded from different entry files share imports (timestamp.proto, ...): describe each symbol once.
                if (symbols.get(n.fullName.slice(1)) === file) {
                    index(n, file);
                    continue;
                }
                const p = part(file, pkg);
                if (n instanceof protobuf.Type)
                    p.types.push(n);
                else if (n instanceof protobuf.Enum)
                    p.enums.push(n);
                else
                    p.services.push(n);
                index(n, file);
                if (n instanceof protobuf.Type)
                    for (const inner of n.nestedArray)
                        index(inner, file);
            }
            else if (n instanceof protobuf.Namespace)
                walk(n, pkg === '' ? n.name : `${pkg}.${n.name}`, root);
        }
    };
    for (const r of roots)
        walk(r, '', r);
    const depOf = (t, self, p) => {
        const f = t === null || t === undefined ? undefined : fileOf.get(t);
        if (f !== undefined && f !== self)
            p.deps.add(f);
    };
    const files = new Map();
    const dependencies = new Map();
    for (const [file, p] of parts) {
        const scan = (t) => {
            for (const f of t.fieldsArray)
                if (f.declaringField === null)
                    depOf(f.resolve().resolvedType, file, p);
            for (const n of t.nestedArray)
                if (n instanceof protobuf.Type)
                    scan(n);
        };
        p.types.forEach(scan);
        for (const s of p.services)
            for (const m of s.methodsArray) {
                m.resolve();
                depOf(m.resolvedRequestType, file, p);
                depOf(m.resolvedResponseType, file, p);
            }
        const messageType = p.types.map((t) => {
            const d = t.toDescriptor('proto3');
            fixNames(d);
            return d;
        });
        const service = p.services.map((s) => {
            const d = s.toDescriptor();
            for (const m of d.method ?? []) {
                m['inputType'] = qualify(m['inputType']);
                m['outputType'] = qualify(m['outputType']);
            }
            return d;
        });
        const fdp = descriptor.FileDescriptorProto.fromObject({
            name: file,
            package: p.pkg,
            dependency: [...p.deps],
            messageType,
            enumType: p.enums.map((e) => e.toDescriptor()),
            service,
            syntax: 'proto3',
        });
        files.set(file, Buffer.from(descriptor.FileDescriptorProto.encode(fdp).finish()));
        dependencies.set(file, [...p.deps]);
    }
    return { files, symbols, dependencies };
}
