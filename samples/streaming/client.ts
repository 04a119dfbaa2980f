import { fileURLToPath } from 'node:url';
import { createGrpcClient, type GrpcClient } from 'kratos-ts';

type Message = { room: string; text: string };
type Ack = { count: number };

/** Calls each kind of rpc once and returns what came back. */
export async function tour(client: GrpcClient): Promise<string[]> {
  const lines: string[] = [];
  const send = client['send'] as (m: Message) => Promise<Ack>;
  const history = client['history'] as (r: { room: string; last: number }) => AsyncIterable<Message>;
  const upload = client['upload'] as (m: AsyncIterable<Message>) => Promise<Ack>;
  const live = client['live'] as (m: AsyncIterable<Message>) => AsyncIterable<Message>;

  lines.push(`unary: count=${(await send({ room: 'go', text: 'hello' })).count}`);
  async function* three(): AsyncIterable<Message> {
    for (const text of ['a', 'b', 'c']) yield { room: 'go', text };
  }
  lines.push(`client stream: count=${(await upload(three())).count}`);
  for await (const m of history({ room: 'go', last: 2 })) lines.push(`server stream: ${m.text}`);
  for await (const m of live(three())) lines.push(`bidi: ${m.text}`);
  return lines;
}

// Run as a script: node dist/samples/streaming/client.js [host:port]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const proto = fileURLToPath(new URL('./api/chat/v1/chat.proto', import.meta.url));
  const client = createGrpcClient({ proto, name: 'chat.v1.Chat' }, { endpoint: process.argv[2] ?? '127.0.0.1:9100' });
  for (const line of await tour(client)) console.log(line);
  client.close();
}
