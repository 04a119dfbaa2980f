// A grpc-js client of the bench Greeter.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

export const HERE = join(dirname(fileURLToPath(import.meta.url)), '..');
const GOOGLE_PROTOS = dirname(createRequire(import.meta.url).resolve('protobufjs/package.json'));
const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(join(HERE, 'proto', 'greeter.proto'), { includeDirs: [GOOGLE_PROTOS] }));

export function greeterClient(port, options = {}) {
  return new pkg.helloworld.v1.Greeter(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), options);
}
