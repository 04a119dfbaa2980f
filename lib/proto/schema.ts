import type protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { oneByte } from '../internal/index.js';
import { readHttpRules, type HttpRule } from './http-rule.js';

/** One rpc: its types, streaming kinds and google.api.http rules. */
export interface MethodSchema {
  name: string;
  /** `/package.Service/Method` */
  operation: string;
  requestType: protobuf.Type;
  responseType: protobuf.Type;
  requestStream: boolean;
  responseStream: boolean;
  /** The rule and its additional_bindings, primary first; empty when the rpc has none. */
  http: HttpRule[];
}

/** A proto service as the transports use it. */
export interface ServiceSchema {
  /** `helloworld.v1.Greeter` */
  fullName: string;
  /** Absolute path of the .proto that was loaded. */
  file: string;
  root: protobuf.Root;
  service: protobuf.Service;
  methods: MethodSchema[];
}

/** Every service name declared in `root`, for error messages. */
export function serviceNames(root: protobuf.Root): string[] {
  const out: string[] = [];
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const n of ns.nestedArray) {
      if ('methods' in n) out.push(n.fullName.slice(1));
      else if ('nestedArray' in n) walk(n as protobuf.NamespaceBase);
    }
  };
  walk(root);
  return out;
}

/** Reads service `fullName` of `root` into a {@link ServiceSchema}, checking its HTTP rules. */
export function buildServiceSchema(root: protobuf.Root, file: string, fullName: string): ServiceSchema {
  let service: protobuf.Service;
  try {
    service = root.lookupService(fullName);
  } catch {
    const names = serviceNames(root);
    throw new FrameworkError('KRATOS_ERR_PROTO_INVALID', `${file} has no service ${fullName} (it has: ${names.join(', ') || 'none'})`);
  }
  // One-byte, as everything per call that is built from them (log lines, span names, metric labels) should be.
  const name = oneByte(service.fullName.slice(1));
  const methods = service.methodsArray.map((m): MethodSchema => {
    m.resolve();
    const method = oneByte(m.name);
    const operation = `/${name}/${method}`;
    const requestType = m.resolvedRequestType as protobuf.Type;
    return {
      name: method,
      operation,
      requestType,
      responseType: m.resolvedResponseType as protobuf.Type,
      requestStream: m.requestStream === true,
      responseStream: m.responseStream === true,
      http: readHttpRules(m, requestType, `${file}: ${operation}`),
    };
  });
  return { fullName: name, file, root, service, methods };
}
