import { Service } from 'kratos-ts/decorators';
import { GreeterRepo, type Greeter } from '../biz/greeter.js';

/** Every name is a greeter except `error`, which stands for a user that does not exist. */
@Service()
export class MemoryGreeterRepo extends GreeterRepo {
  async find(name: string): Promise<Greeter | undefined> {
    return name === 'error' ? undefined : { name };
  }
}
