import { Module } from 'kratos-ts/decorators';
import { DataModule } from '../data/data.module.js';
import { GreeterUsecase } from './greeter.js';

@Module({ imports: [DataModule], providers: [GreeterUsecase], exports: [GreeterUsecase] })
export class BizModule {}
