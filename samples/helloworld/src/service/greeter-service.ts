import { APP_INFO, type AppInfo, type Context } from 'kratos-ts';
import { Inject, Rpc, Service } from 'kratos-ts/decorators';
import { GreeterUsecase } from '../biz/greeter.js';

/**
 * helloworld.v1.Greeter from api/helloworld/v1/greeter.proto: served on gRPC and, through the rpc's
 * google.api.http annotation, as GET /helloworld/{name} (the DTO <-> biz layer of kratos-layout).
 */
@Service({ proto: 'api/helloworld/v1/greeter.proto', name: 'helloworld.v1.Greeter' })
export class GreeterService {
  constructor(
    private readonly usecase: GreeterUsecase,
    @Inject(APP_INFO) private readonly app: AppInfo,
  ) {}

  @Rpc()
  async sayHello(req: { name: string }, ctx: Context): Promise<{ message: string }> {
    // Which instance answered: handy behind a load balancer or discovery (samples/registry).
    ctx.replyHeader.set('x-instance-id', this.app.id);
    return { message: await this.usecase.greet(req.name) };
  }
}
