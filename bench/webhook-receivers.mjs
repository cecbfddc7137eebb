// Webhook receivers for the fan-out benchmark, in their own process so deliveries do not delay
// the load generator's own requests: N servers on 127.0.0.1 (the first answers 500). Talks to
// its parent over IPC: sends {ports} when listening; on 'count' the number of arrivals so far; on
// 'report' sends the arrivals and exits.
import http from 'node:http';

const count = Number(process.argv[2] ?? 10);
/** [email, arrival ms since epoch] per delivery. */
const arrivals = [];
let failing = 0;
const servers = await Promise.all(
  Array.from({ length: count }, (_, i) =>
    new Promise((resolve) => {
      const server = http.createServer((req, res) => {
        const chunks = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          const at = performance.timeOrigin + performance.now();
          try {
            arrivals.push([JSON.parse(Buffer.concat(chunks).toString('utf8')).data?.object?.email ?? null, at]);
          } catch {
            arrivals.push([null, at]);
          }
          if (i === 0) failing++;
          res.writeHead(i === 0 ? 500 : 200, { 'Content-Type': 'application/json' });
          res.end(i === 0 ? '{"error":"down"}' : '{"received":true}');
        });
      });
      server.keepAliveTimeout = 5000;
      server.listen(0, '127.0.0.1', () => resolve(server));
    }),
  ),
);
process.on('message', (m) => {
  if (m === 'count') {
    process.send(arrivals.length);
  } else if (m === 'report') {
    process.send({ arrivals, failing }, () => process.exit(0));
  }
});
process.send({ ports: servers.map((s) => s.address().port) });
setTimeout(() => process.exit(0), 600_000).unref();
