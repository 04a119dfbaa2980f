// Raw grpc-js with proto-loader: the baseline kratos-ts' gRPC ratios are quoted against.
// With argument `renewed`, its HTTP/2 sessions' stream tables are renewed as kratos-ts' gRPC server
// renews them (docs/performance.md, "The fourteenth round"): raw grpc-js without the GC state that
// kratos-ts avoids, for a like-for-like ratio of the framework's own path.
import { join } from 'node:path';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { ADDR, GOOGLE_PROTOS, greet, greetings, PROTO, ROOT } from './common.mjs';

const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(PROTO, { includeDirs: [GOOGLE_PROTOS] }));
const server = new grpc.Server();
server.addService(pkg.helloworld.v1.Greeter.service, {
  SayHello(call, callback) {
    callback(null, greet(call.request.name));
  },
  async StreamHello(call) {
    for (const reply of greetings(call.request.name, call.request.count)) {
      if (!call.write(reply)) await new Promise((resolve) => call.once('drain', resolve));
    }
    call.end();
  },
});
const renew = process.argv[2] === 'renewed' ? (await import(join(ROOT, 'dist', 'lib', 'transport', 'grpc', 'stream-tables.js'))).keepStreamTablesYoung : undefined;
server.bindAsync(ADDR, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) throw err;
  // grpc-js keeps its HTTP/2 servers private, as kratos-ts' GrpcServer finds them.
  for (const h2 of renew === undefined ? [] : server.http2Servers.keys()) renew(h2);
});
