server:
  http:
    addr: ${HTTP_ADDR:0.0.0.0:8000}
    timeout: 1s
  grpc:
    addr: ${GRPC_ADDR:0.0.0.0:9000}
    timeout: 1s
log:
  level: ${LOG_LEVEL:info}
data:
  redis:
    # host:port of a Redis for the cache; empty (the default) caches in memory.
    addr: ${REDIS_ADDR:}
