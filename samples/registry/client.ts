import { fileURLToPath } from 'node:url';
import { createGrpcClient, EtcdRegistry, Metadata, type Discovery } from 'kratos-ts';

const proto = fileURLToPath(new URL('../helloworld/api/helloworld/v1/greeter.proto', import.meta.url));

/** Calls discovery:///helloworld `times` times; returns which instance answered each call. */
export async function callAround(discovery: Discovery, times: number): Promise<{ instance: string; message: string }[]> {
  const client = createGrpcClient({ proto, name: 'helloworld.v1.Greeter' }, { endpoint: 'discovery:///helloworld', discovery });
  const sayHello = client['sayHello'] as (r: { name: string }, o: { replyHeader: Metadata }) => Promise<{ message: string }>;
  const out: { instance: string; message: string }[] = [];
  try {
    for (let i = 0; i < times; i++) {
      const reply = new Metadata();
      const { message } = await sayHello({ name: `call-${i}` }, { replyHeader: reply });
      out.push({ instance: reply.get('x-instance-id') ?? '?', message });
    }
  } finally {
    client.close();
  }
  return out;
}

// node dist/samples/registry/client.js [times], with ETCD_ENDPOINTS set.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const registry = new EtcdRegistry({ endpoints: (process.env['ETCD_ENDPOINTS'] ?? 'http://127.0.0.1:2379').split(',') });
  for (const r of await callAround(registry, Number(process.argv[2] ?? 10))) console.log(`instance=${r.instance} message=${r.message}`);
  await registry.close();
}
