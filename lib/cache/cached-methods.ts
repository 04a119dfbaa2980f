import { parseDuration } from '../config/index.js';
import { FrameworkError } from '../errors/index.js';
import { readCacheRules, type CacheKey, type CacheRecord } from '../annotations/index.js';
import type protobuf from 'protobufjs';
import type { CacheAside, ReadPolicy } from './cache-aside.js';

type KeyOf = (args: unknown[]) => string;

// 'user:{0}' or 'order:{0.id}:{1}' -> a function of the arguments, compiled once at boot.
function compileKey(key: CacheKey, where: string): KeyOf {
  if (typeof key === 'function') return (args) => (key as (...a: unknown[]) => string)(...args);
  const parts = key.split(/(\{\d+(?:\.\w+)*\})/);
  const pieces = parts.map((p) => {
    const m = /^\{(\d+)((?:\.\w+)*)\}$/.exec(p);
    if (m === null) return () => p;
    const index = Number(m[1]);
    const path = (m[2] as string).split('.').filter(Boolean);
    return (args: unknown[]) => {
      let v: unknown = args[index];
      for (const f of path) v = (v as Record<string, unknown> | undefined)?.[f];
      if (v === undefined) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${where}: cache key '${key}' needs argument ${m[1]}${m[2]}, which is undefined`);
      return typeof v === 'object' ? JSON.stringify(v) : String(v);
    };
  });
  return (args) => pieces.map((p) => p(args)).join('');
}

function policyOf(rule: CacheRecord, where: string): ReadPolicy {
  if (rule.ttl === undefined) throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${where}: @Cached needs a ttl`);
  return {
    ttl: parseDuration(rule.ttl, `${where} ttl`),
    ...(rule.negativeTtl === undefined ? {} : { negativeTtl: parseDuration(rule.negativeTtl, `${where} negativeTtl`) }),
    ...(rule.staleTtl === undefined ? {} : { staleTtl: parseDuration(rule.staleTtl, `${where} staleTtl`) }),
    ...(rule.jitter === undefined ? {} : { jitter: rule.jitter }),
    ...(rule.type === undefined ? {} : { type: rule.type as protobuf.Type }),
  };
}

/**
 * Gives every `@Cached` / `@CacheEvict` method of these provider instances its cache behaviour, once at
 * boot: the method on the instance is replaced by one that goes through `aside`. Returns how many.
 */
export function wrapCachedMethods(instances: readonly unknown[], aside: CacheAside): number {
  let wrapped = 0;
  for (const instance of instances) {
    if (typeof instance !== 'object' || instance === null) continue;
    const rules = readCacheRules(instance.constructor);
    for (const rule of rules) {
      const where = `${instance.constructor.name}.${String(rule.propertyKey)}`;
      const target = instance as Record<string | symbol, unknown>;
      const original = target[rule.propertyKey];
      if (typeof original !== 'function') throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `${where}: @${rule.kind === 'cached' ? 'Cached' : 'CacheEvict'} is not on a method`);
      const keyOf = compileKey(rule.key, where);
      const call = (args: unknown[]): Promise<unknown> => Promise.resolve((original as (...a: unknown[]) => unknown).apply(instance, args));
      if (rule.kind === 'cached') {
        const policy = policyOf(rule, where);
        target[rule.propertyKey] = async (...args: unknown[]) => aside.read(keyOf(args), policy, () => call(args));
      } else {
        target[rule.propertyKey] = async (...args: unknown[]) => {
          const result = await call(args);
          await aside.evict(keyOf(args));
          return result;
        };
      }
      wrapped++;
    }
  }
  return wrapped;
}
