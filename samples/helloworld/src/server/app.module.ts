import { Module } from 'kratos-ts/decorators';
import { ServiceModule } from '../service/service.module.js';
import { AccessLog } from './access-log.js';

/** The root module: what the servers expose and the middleware every call goes through. */
@Module({ imports: [ServiceModule], middleware: [AccessLog] })
export class AppModule {}
