// Reads StreamHello streams of 1000 messages, four at a time on separate channels, for argv[3] seconds;
// prints { rate: messages per second, count: messages, errors }.
import { greeterClient } from './grpc-client.mjs';

const port = Number(process.argv[2]);
const seconds = Number(process.argv[3]);
const until = Date.now() + seconds * 1000;
let messages = 0;
let errors = 0;

async function worker(k) {
  const client = greeterClient(port, { 'grpc.channel_id': k });
  while (Date.now() < until) {
    await new Promise((resolve) => {
      const call = client.StreamHello({ name: 'bench', count: 1000 });
      call.on('data', () => messages++);
      call.on('error', () => {
        errors++;
        resolve();
      });
      call.on('end', resolve);
    });
  }
  client.close();
}

const started = Date.now();
await Promise.all([0, 1, 2, 3].map(worker));
console.log(JSON.stringify({ rate: messages / ((Date.now() - started) / 1000), count: messages, errors }));
