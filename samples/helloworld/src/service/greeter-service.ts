import { Get, Service } from 'kratos-ts/decorators';
import { GreeterUsecase } from '../biz/greeter.js';

/** Maps the HTTP API onto the use case (the DTO <-> biz layer of kratos-layout). */
@Service()
export class GreeterService {
  constructor(private readonly usecase: GreeterUsecase) {}

  @Get('/helloworld/{name}')
  async sayHello(req: { name: string }): Promise<{ message: string }> {
    return { message: await this.usecase.greet(req.name) };
  }
}
