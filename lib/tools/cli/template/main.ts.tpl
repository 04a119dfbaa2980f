import { createApp } from 'kratos-ts';
import { AppModule } from './src/server/app.module.js';

// configs/ is read from the project root (the directory of package.json), wherever the process is
// started from; HTTP_ADDR, GRPC_ADDR and LOG_LEVEL override it. The stop budget (drain delay plus
// stop timeout) stays below terminationGracePeriodSeconds in deploy/kubernetes.yaml; the drain delay
// lets Kubernetes take the pod out of its endpoints before the servers stop accepting calls.
const inKubernetes = process.env['KUBERNETES_SERVICE_HOST'] !== undefined;
const app = await createApp(AppModule, { name: '{{name}}', version: '0.1.0', stopTimeout: 10_000, drainDelay: inKubernetes ? 5_000 : 0 });
await app.run();
