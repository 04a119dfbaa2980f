import { configSection } from 'kratos-ts';
import { Service } from 'kratos-ts/decorators';
import { errorUserNotFound } from './errors.js';

/** A greeter as the domain knows it. */
export interface Greeter {
  name: string;
}

/** Where greeters are kept; the data layer provides the implementation. */
export abstract class GreeterRepo {
  abstract find(name: string): Promise<Greeter | undefined>;
}

/** The `greeter` section of configs/config.yaml (optional: 'Hello' without it); follows edits of the file while the app runs. */
export const GreetingConfig = configSection<{ prefix: string }>('greeter', undefined, { optional: true });
export type GreetingConfig = InstanceType<typeof GreetingConfig>;

/** The greeting use case. */
@Service()
export class GreeterUsecase {
  constructor(
    private readonly repo: GreeterRepo,
    private readonly greeting: GreetingConfig,
  ) {}

  async greet(name: string): Promise<string> {
    const greeter = await this.repo.find(name);
    if (greeter === undefined) throw errorUserNotFound(`user not found: ${name}`);
    return `${this.greeting.value?.prefix ?? 'Hello'} ${greeter.name}`;
  }
}
