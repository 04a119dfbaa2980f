import { mergeParamInject, mergePropInject } from '../lib/annotations/index.js';
import type { ProviderToken } from '../lib/annotations/index.js';

type ParamOrPropertyDecorator = ParameterDecorator & PropertyDecorator;

function record(patch: { token?: ProviderToken; optional?: boolean }): ParamOrPropertyDecorator {
  return ((target: object, propertyKey: string | symbol | undefined, index?: number) => {
    if (typeof index === 'number') {
      // Constructor parameters are decorated on the class; method parameters are not injected.
      if (propertyKey === undefined) mergeParamInject(target, index, patch);
      return;
    }
    if (propertyKey !== undefined) mergePropInject(target.constructor, propertyKey, patch);
  }) as ParamOrPropertyDecorator;
}

/** Injects `token` into a constructor parameter or a property; needs no emitted type metadata. */
export function Inject(token: ProviderToken): ParamOrPropertyDecorator {
  return record({ token });
}

/** The dependency may be missing: `undefined` is injected instead of failing at boot. */
export function Optional(): ParamOrPropertyDecorator {
  return record({ optional: true });
}
