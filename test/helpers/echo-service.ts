import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import type { GrpcMethodSchema, GrpcServiceLike } from '../../lib/transport/grpc/index.js';

/** The repo root, from a compiled test file anywhere under `<outDir>/test/`. */
export function repoPath(rel: string): string {
  const here = fileURLToPath(import.meta.url);
  const root = here.slice(0, here.lastIndexOf('/test/helpers/'));
  return `${root.slice(0, root.lastIndexOf('/'))}/${rel}`;
}

/** test/fixtures/grpc/echo.proto as a service the gRPC transport can serve. */
export function echoService(): GrpcServiceLike {
  const root = new protobuf.Root().loadSync(repoPath('test/fixtures/grpc/echo.proto'));
  root.resolveAll();
  const svc = root.lookupService('echo.v1.Echo');
  const methods: GrpcMethodSchema[] = svc.methodsArray.map((m) => ({
    name: m.name,
    operation: `/echo.v1.Echo/${m.name}`,
    requestType: m.resolvedRequestType as protobuf.Type,
    responseType: m.resolvedResponseType as protobuf.Type,
    requestStream: m.requestStream === true,
    responseStream: m.responseStream === true,
  }));
  return { fullName: 'echo.v1.Echo', methods };
}
