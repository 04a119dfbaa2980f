import { errors } from 'kratos-ts';
import { Service } from 'kratos-ts/decorators';

/** A greeter as the domain knows it. */
export interface Greeter {
  name: string;
}

/** Where greeters are kept; the data layer provides the implementation. */
export abstract class GreeterRepo {
  abstract find(name: string): Promise<Greeter | undefined>;
}

/** Reason of the `ErrorReason.USER_NOT_FOUND` value in api/helloworld/v1/error_reason.proto. */
export const USER_NOT_FOUND = 'USER_NOT_FOUND';

/** The greeting use case. */
@Service()
export class GreeterUsecase {
  constructor(private readonly repo: GreeterRepo) {}

  async greet(name: string): Promise<string> {
    const greeter = await this.repo.find(name);
    if (greeter === undefined) throw errors.notFound(USER_NOT_FOUND, `user not found: ${name}`);
    return `Hello ${greeter.name}`;
  }
}
