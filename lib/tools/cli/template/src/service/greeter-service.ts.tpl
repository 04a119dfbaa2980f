import { Rpc, Service } from 'kratos-ts/decorators';
import { GreeterUsecase } from '../biz/greeter.js';

/** {{package}}.v1.Greeter, served on gRPC and on its google.api.http route. */
@Service({ proto: 'api/{{package}}/v1/greeter.proto', name: '{{package}}.v1.Greeter' })
export class GreeterService {
  constructor(private readonly usecase: GreeterUsecase) {}

  @Rpc()
  async sayHello(req: { name: string }): Promise<{ message: string }> {
    return { message: await this.usecase.greet(req.name) };
  }
}
