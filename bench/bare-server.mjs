// Control server for the benchmarks: bare node:http answering the same JSON sizes as the
// simulator (bodies captured from the simulator by the harness), with no routing or validation.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';

const port = Number(process.argv[2] ?? 0);
const bodies = JSON.parse(readFileSync(process.argv[3], 'utf8'));
const getBody = bodies.get ?? '{}';
const postBody = bodies.post ?? '{}';

const server = createServer((req, res) => {
  if (req.method === 'POST') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      res.writeHead(201, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(postBody) });
      res.end(postBody);
    });
    return;
  }
  req.resume();
  const body = req.url === '/health' ? '{"status":"ok"}' : getBody;
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 5000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${server.address().port}\n`));
