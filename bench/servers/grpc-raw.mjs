// Raw grpc-js with proto-loader: the baseline kratos-ts' gRPC ratios are quoted against.
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';
import { ADDR, GOOGLE_PROTOS, greet, greetings, PROTO } from './common.mjs';

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
server.bindAsync(ADDR, grpc.ServerCredentials.createInsecure(), (err) => {
  if (err) throw err;
});
