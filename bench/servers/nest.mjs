// NestJS 12 (argv[2]: express | fastify | grpc). Decorators are applied as functions, the way
// TypeScript would compile them, so the bench needs no build step.
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ADDR, GOOGLE_PROTOS, greet, PORT, PROTO } from './common.mjs';

const kind = process.argv[2] ?? 'express';

function method(decorator, cls, name) {
  Reflect.decorate([decorator], cls.prototype, name, Object.getOwnPropertyDescriptor(cls.prototype, name));
}

class HttpGreeter {
  hello(name) {
    return greet(name);
  }
}
method(Get(':name'), HttpGreeter, 'hello');
Param('name')(HttpGreeter.prototype, 'hello', 0);
Controller('helloworld')(HttpGreeter);

if (kind === 'grpc') {
  const { GrpcMethod, Transport } = await import('@nestjs/microservices');
  class GrpcGreeter {
    sayHello(req) {
      return greet(req.name);
    }
  }
  method(GrpcMethod('Greeter', 'SayHello'), GrpcGreeter, 'sayHello');
  Controller()(GrpcGreeter);
  class AppModule {}
  Module({ controllers: [GrpcGreeter] })(AppModule);
  const app = await NestFactory.createMicroservice(AppModule, {
    transport: Transport.GRPC,
    options: { package: 'helloworld.v1', protoPath: PROTO, url: ADDR, loader: { includeDirs: [GOOGLE_PROTOS] } },
    logger: false,
  });
  await app.listen();
} else {
  class AppModule {}
  Module({ controllers: [HttpGreeter] })(AppModule);
  let adapter;
  if (kind === 'fastify') {
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    adapter = new FastifyAdapter();
  }
  const app = adapter === undefined ? await NestFactory.create(AppModule, { logger: false }) : await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(PORT, '127.0.0.1');
}
