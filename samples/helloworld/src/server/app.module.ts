import { Module } from 'kratos-ts/decorators';
import { ServiceModule } from '../service/service.module.js';

/** The root module: what the servers expose. Logging, recovery and metadata middleware are built in. */
@Module({ imports: [ServiceModule] })
export class AppModule {}
