import { createApp, parseLevel, StdLogger } from 'kratos-ts';
import { AppModule } from './src/server/app.module.js';

// Config comes from configs/ beside this file; HTTP_ADDR overrides the address through a placeholder.
const app = await createApp(AppModule, {
  name: 'helloworld',
  version: '1.0.0',
  logger: new StdLogger({ level: parseLevel(process.env['LOG_LEVEL']), prefix: ['service.name', 'helloworld'] }),
});
await app.run();
