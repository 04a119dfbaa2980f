// node:http with the path parsed by hand: the floor every framework is measured against.
import { createServer } from 'node:http';
import { greet, PORT } from './common.mjs';

const PREFIX = '/helloworld/';
createServer((req, res) => {
  const url = req.url ?? '';
  if (req.method !== 'GET' || !url.startsWith(PREFIX)) {
    res.writeHead(404).end();
    return;
  }
  const body = JSON.stringify(greet(decodeURIComponent(url.slice(PREFIX.length))));
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}).listen(PORT, '127.0.0.1');
