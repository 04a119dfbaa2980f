# {{name}}

A kratos-ts service in the kratos-layout shape:

- `api/greeter/v1/greeter.proto`: the API (gRPC, and HTTP through `google.api.http`) and its error enum.
- `configs/config.yaml`: addresses, timeouts, log level (`HTTP_ADDR`, `GRPC_ADDR`, `LOG_LEVEL` override).
- `src/biz`: use cases and repository interfaces; `src/data`: repositories; `src/service`: the API
  implementation; `src/server`: the root module.

```sh
npm install
npm start          # HTTP :8000, gRPC :9000
curl localhost:8000/hello/kratos
npm test
```
