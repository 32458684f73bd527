// Resilience for calls to third parties: retry with backoff and jitter, circuit breaker, token bucket, timeouts.
export * from "./clock";
export * from "./errors";
export * from "./retry";
export * from "./breaker";
export * from "./ratelimit";
export * from "./timeout";
export * from "./policy";
