import { Module } from 'kratos-ts/decorators';
import { DataModule } from '../data/data.module.js';
import { GreeterUsecase, GreetingConfig } from './greeter.js';

@Module({ imports: [DataModule], providers: [GreeterUsecase, GreetingConfig], exports: [GreeterUsecase] })
export class BizModule {}
