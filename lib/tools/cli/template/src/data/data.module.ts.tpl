import { Module } from 'kratos-ts/decorators';
import { GreeterRepo } from '../biz/greeter.js';
import { MemoryGreeterRepo } from './greeter-repo.js';

@Module({ providers: [{ provide: GreeterRepo, useClass: MemoryGreeterRepo }], exports: [GreeterRepo] })
export class DataModule {}
