/**
 * The property name a handler class or a generated client uses for an rpc: lowerCamel, as in
 * grpc-js clients and Kratos' Go methods turned into JS style (`SayHello` -> `sayHello`).
 * Only the first letter changes, so acronyms survive (`GetURL` -> `getURL`).
 */
export function methodKey(rpcName) {
    return rpcName.charAt(0).toLowerCase() + rpcName.slice(1);
}
/**
 * The rpc name for a method key (`sayHello` -> `SayHello`): the inverse of {@link methodKey} for rpc
 * names that follow the proto style guide (UpperCamel).
 */
export function rpcName(methodKey) {
    return methodKey.charAt(0).toUpperCase() + methodKey.slice(1);
}
