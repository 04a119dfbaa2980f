import { Service } from 'kratos-ts/decorators';
import { GreeterRepo } from '../biz/greeter.js';

/** An in-memory repository: everyone exists except `error`. Replace it with your database. */
@Service()
export class MemoryGreeterRepo extends GreeterRepo {
  async exists(name: string): Promise<boolean> {
    return name !== 'error';
  }
}
