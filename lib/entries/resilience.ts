// `kratos-ts/resilience`: circuit breaking, rate limiting, retries and bulkheads.
export {
  circuitBreaker,
  SreBreaker,
  rateLimit,
  limiterAdmission,
  BbrLimiter,
  TokenBucketLimiter,
  retry,
  bulkhead,
  LoadSignals,
  defaultCpuReader,
  cgroupCpuReader,
} from '../resilience/index.js';
export type {
  CircuitBreaker,
  CircuitBreakerOptions,
  Limiter,
  RateLimitOptions,
  LimiterAdmissionOptions,
  RetryOptions,
  BackoffOptions,
  SreBreakerOptions,
  BbrOptions,
  BbrStat,
  LoadSample,
  TokenBucketOptions,
} from '../resilience/index.js';
