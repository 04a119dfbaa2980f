import { createApp } from 'kratos-ts';
import { ChatModule } from './chat-service.js';
import { webPage } from './web-page.js';

// gRPC on GRPC_ADDR (default 127.0.0.1:9100): run client.js against it. HTTP on HTTP_ADDR (default
// 127.0.0.1:8100): the proto's HTTP rules (History streams as NDJSON or SSE), gRPC-Web for every
// rpc, and a demo page at / that calls both from the browser.
const app = await createApp(ChatModule, {
  name: 'chat',
  http: { addr: process.env['HTTP_ADDR'] ?? '127.0.0.1:8100', filters: [webPage()] },
  grpc: { addr: process.env['GRPC_ADDR'] ?? '127.0.0.1:9100' },
});
await app.run();
