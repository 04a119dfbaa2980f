// The page's script: plain ES modules the browser loads as they are, no bundler.
import { createChatGrpcWebClient, createChatHttpWebClient } from './chat.web.js';

const grpcWeb = createChatGrpcWebClient({ baseUrl: '' });
const http = createChatHttpWebClient({ baseUrl: '' });

/** History over Server-Sent Events: data events until `end`, or an `error` event with the Kratos error. */
function historyEvents(room, last) {
  return new Promise((resolve, reject) => {
    const texts = [];
    const es = new EventSource(`/v1/rooms/${encodeURIComponent(room)}/history?last=${last}`);
    es.onmessage = (e) => texts.push(JSON.parse(e.data).text);
    es.addEventListener('end', () => {
      es.close();
      resolve(texts);
    });
    es.addEventListener('error', (e) => {
      es.close();
      reject(new Error(e.data ?? 'EventSource connection failed'));
    });
  });
}

async function run() {
  const room = `page-${Date.now()}`;
  const result = {};
  result.unaryGrpcWeb = (await grpcWeb.send({ room, text: 'hello' })).count;
  result.unaryHttp = (await http.send({ room, text: 'from' })).count;
  await grpcWeb.send({ room, text: 'the browser' });
  result.streamGrpcWeb = [];
  for await (const m of grpcWeb.history({ room, last: 3 })) result.streamGrpcWeb.push(m.text);
  result.streamNdjson = [];
  for await (const m of http.history({ room, last: 2 })) result.streamNdjson.push(m.text);
  result.streamEventSource = await historyEvents(room, 3);
  return result;
}

const out = document.getElementById('result');
run().then(
  (r) => {
    out.textContent = JSON.stringify(r);
    document.body.dataset.state = 'done';
  },
  (e) => {
    out.textContent = JSON.stringify({ failure: String(e) });
    document.body.dataset.state = 'failed';
  },
);
