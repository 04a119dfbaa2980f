import { loadErrors } from 'kratos-ts';
import { Service } from 'kratos-ts/decorators';

export const { errorUserNotFound, isUserNotFound } = loadErrors(new URL('../../api/{{package}}/v1/greeter.proto', import.meta.url), 'USER_NOT_FOUND');

/** Where greeters are kept; the data layer implements it. */
export abstract class GreeterRepo {
  abstract exists(name: string): Promise<boolean>;
}

/** The greeting use case. */
@Service()
export class GreeterUsecase {
  constructor(private readonly repo: GreeterRepo) {}

  async greet(name: string): Promise<string> {
    if (!(await this.repo.exists(name))) throw errorUserNotFound(`user not found: ${name}`);
    return `Hello ${name}`;
  }
}
