import { Cached, Service } from 'kratos-ts/decorators';
import { GreeterRepo } from '../biz/greeter.js';

/**
 * An in-memory repository: everyone exists except `error`. Replace it with your database; the lookup is
 * cached (in memory, or in Redis when `data.redis.addr` is set), so the database is asked once a minute.
 */
@Service()
export class MemoryGreeterRepo extends GreeterRepo {
  @Cached({ key: 'greeter:exists:{0}', ttl: '1m' })
  async exists(name: string): Promise<boolean> {
    return name !== 'error';
  }
}
