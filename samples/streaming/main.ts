import { createApp } from 'kratos-ts';
import { ChatModule } from './chat-service.js';

// gRPC on GRPC_ADDR (default 127.0.0.1:9100); run client.js against it.
const app = await createApp(ChatModule, { name: 'chat', http: false, grpc: { addr: process.env['GRPC_ADDR'] ?? '127.0.0.1:9100' } });
await app.run();
