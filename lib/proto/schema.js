import { FrameworkError } from '../errors/index.js';
import { readHttpRules } from './http-rule.js';
/** Every service name declared in `root`, for error messages. */
export function serviceNames(root) {
    const out = [];
    const walk = (ns) => {
        for (const n of ns.nestedArray) {
            if ('methods' in n)
                out.push(n.fullName.slice(1));
            else if ('nestedArray' in n)
                walk(n);
        }
    };
    walk(root);
    return out;
}
/** Reads service `fullName` of `root` into a {@link ServiceSchema}, checking its HTTP rules. */
export function buildServiceSchema(root, file, fullName) {
    let service;
    try {
        service = root.lookupService(fullName);
    }
    catch {
        const names = serviceNames(root);
        throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${file} has no service ${fullName} (it has: ${names.join(', ') || 'none'})`);
    }
    const name = service.fullName.slice(1);
    const methods = service.methodsArray.map((m) => {
        m.resolve();
        const operation = `/${name}/${m.name}`;
        const requestType = m.resolvedRequestType;
        return {
            name: m.name,
            operation,
            requestType,
            responseType: m.resolvedResponseType,
            requestStream: m.requestStream === true,
            responseStream: m.responseStream === true,
            http: readHttpRules(m, requestType, `${file}: ${operation}`),
        };
    });
    return { fullName: name, file, root, service, methods };
}
