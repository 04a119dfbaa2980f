import { Module } from 'kratos-ts/decorators';
import { ServiceModule } from '../service/service.module.js';

/** The root module. Logging, recovery, metrics, tracing and health are built in. */
@Module({ imports: [ServiceModule] })
export class AppModule {}
