import type protobuf from 'protobufjs';
import { readHttpRules, type HttpRule } from './deps.js';

/**
 * The google.api.http rule of `method` and its additional_bindings, primary first, checked against
 * the request type exactly as the transports check them at run time (the same reader).
 */
export function httpRulesOf(method: protobuf.Method, where: string): HttpRule[] {
  method.resolve();
  return readHttpRules(method, method.resolvedRequestType as protobuf.Type, where);
}
