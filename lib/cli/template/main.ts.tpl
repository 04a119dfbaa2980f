import { createApp } from 'kratos-ts';
import { AppModule } from './src/server/app.module.js';

// Reads configs/ beside this file; HTTP_ADDR, GRPC_ADDR and LOG_LEVEL override it.
const app = await createApp(AppModule, { name: '{{name}}', version: '0.1.0' });
await app.run();
