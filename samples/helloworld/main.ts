import { createApp } from 'kratos-ts';
import { AppModule } from './src/server/app.module.js';

// Configuration comes from configs/ beside this file (addresses, log level), then the environment.
const app = await createApp(AppModule, { name: 'helloworld', version: '1.0.0' });
await app.run();
