import { Module } from 'kratos-ts/decorators';
import { BizModule } from '../biz/biz.module.js';
import { GreeterService } from './greeter-service.js';

@Module({ imports: [BizModule], services: [GreeterService] })
export class ServiceModule {}
