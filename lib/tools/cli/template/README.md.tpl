# {{name}}

A kratos-ts service in the kratos-layout shape:

| path | what |
|---|---|
| `api/{{package}}/v1/greeter.proto` | the API (gRPC, and HTTP through `google.api.http`) and its error enum |
| `third_party/` | the protos the API imports (`google/api`, `errors`), for protoc, buf and IDEs |
| `configs/config.yaml` | addresses, timeouts, log level; `HTTP_ADDR`, `GRPC_ADDR`, `LOG_LEVEL`, `REDIS_ADDR` override |
| `src/biz` | use cases and the repository interfaces they need |
| `src/data` | repositories (here an in-memory one, cached with `@Cached`) |
| `src/service` | the API implementation; `src/server`: the root module |
| `main.ts` | creates and runs the app |
| `test/` | tests against the real servers on ephemeral ports |
| `Dockerfile`, `.dockerignore`, `vendor/` | the image: built from the registry's kratos-ts, run as a non-root user |
| `deploy/kubernetes.yaml` | Deployment (probes, grace period, scrape annotations) and Service |

## Develop

```sh
npm install
npx kratos-ts proto lint api      # API design rules
npm test                          # build, then the tests in test/ (they read configs/)
npm run dev                       # kratos-ts run: rebuild and restart on every change
```

`npm start` builds and runs `dist/main.js` (HTTP :8000, gRPC :9000); it reads `configs/` from this
directory wherever it is started, and applies edits to it without a restart, logging the keys that
changed. In another terminal:

```sh
curl localhost:8000/hello/kratos          # {"message":"Hello kratos"}
curl -i localhost:8000/hello/error        # 404 USER_NOT_FOUND
curl localhost:8000/readyz                # ready once the servers listen
curl -s localhost:8000/metrics | promtool check metrics
protoc -I . -I third_party --descriptor_set_out=/dev/null api/{{package}}/v1/greeter.proto
```

(protoc finds `google/protobuf/descriptor.proto` in its own include directory; on Debian that is the
`libprotobuf-dev` package.)

## Change the API

```sh
npx kratos-ts proto add api/{{package}}/v1/post.proto                 # CRUD rpcs with HTTP rules
npx kratos-ts proto server api/{{package}}/v1/post.proto -t src/service  # PostService stubs (501 until filled in)
npx kratos-ts proto client api/{{package}}/v1/post.proto              # typed clients for other services
```

Add the new service class to `src/service/service.module.ts` (`services: [GreeterService, PostService]`).

## Call it from another service

In the other service, copy this proto and generate its client (docs/cli.md in kratos-ts walks through
a whole second service):

```sh
mkdir -p api/{{package}}/v1 && cp ../{{name}}/api/{{package}}/v1/greeter.proto api/{{package}}/v1/
npx kratos-ts proto client api/{{package}}/v1/greeter.proto
```

```ts
import { createGreeterGrpcClient } from '../../api/{{package}}/v1/greeter.pb.js';
const {{package}} = createGreeterGrpcClient({ endpoint: '127.0.0.1:9000' });
console.log((await {{package}}.sayHello({ name: 'kratos' })).message);
```

## Ship it

```sh
npm install                               # writes package-lock.json, which the image build needs
docker build -t {{name}}:0.1.0 .
docker run --rm -p 8000:8000 -p 9000:9000 {{name}}:0.1.0
kubectl apply -f deploy/kubernetes.yaml
```

To build against a local kratos-ts instead of the registry's, see `vendor/README.md`.
