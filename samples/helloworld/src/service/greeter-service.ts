import { Rpc, Service } from 'kratos-ts/decorators';
import { GreeterUsecase } from '../biz/greeter.js';

/**
 * helloworld.v1.Greeter from api/helloworld/v1/greeter.proto: served on gRPC and, through the rpc's
 * google.api.http annotation, as GET /helloworld/{name} (the DTO <-> biz layer of kratos-layout).
 */
@Service({ proto: 'api/helloworld/v1/greeter.proto', name: 'helloworld.v1.Greeter' })
export class GreeterService {
  constructor(private readonly usecase: GreeterUsecase) {}

  @Rpc()
  async sayHello(req: { name: string }): Promise<{ message: string }> {
    return { message: await this.usecase.greet(req.name) };
  }
}
