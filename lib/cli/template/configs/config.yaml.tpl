server:
  http:
    addr: ${HTTP_ADDR:0.0.0.0:8000}
    timeout: 1s
  grpc:
    addr: ${GRPC_ADDR:0.0.0.0:9000}
    timeout: 1s
log:
  level: ${LOG_LEVEL:info}
