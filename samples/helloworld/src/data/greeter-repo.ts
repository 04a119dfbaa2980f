import { Cached, Service } from 'kratos-ts/decorators';
import { GreeterRepo, type Greeter } from '../biz/greeter.js';

/**
 * Every name is a greeter except `error`, which stands for a user that does not exist. Lookups go
 * through the app's cache (in memory, or Redis when `data.redis.addr` is set): a real database is read
 * once per name a minute, and unknown names are remembered for 5 s.
 */
@Service()
export class MemoryGreeterRepo extends GreeterRepo {
  @Cached({ key: 'greeter:{0}', ttl: '1m', negativeTtl: '5s' })
  async find(name: string): Promise<Greeter | undefined> {
    return name === 'error' ? undefined : { name };
  }
}
