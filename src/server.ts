// Creates a simulator and its HTTP server. The API runs on bare node:http; the pages app
// (express) is loaded on the first page request so start-up stays fast.
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultConfig, type SimulatorOptions } from './config.js';
import { Simulator } from './simulator.js';
import { handleRequest, type PageHandler } from './http/pipeline.js';
import { writeError } from './http/respond.js';
import { routes } from './routes.js';
import { installCapabilities } from './capabilities.js';
import { installProtocolErrors } from './http/protocol-errors.js';

export interface RunningSimulator {
  sim: Simulator;
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** `http` tunes node:http itself (timeouts); tests shorten them to see the 408 answer. */
export function createSimulator(overrides: SimulatorOptions = {}, http: ServerOptions = {}): { sim: Simulator; server: Server } {
  const sim = new Simulator(defaultConfig(overrides), routes);
  installCapabilities(sim);
  let pages: PageHandler | undefined;
  const loadPages = async (): Promise<PageHandler> => {
    if (!pages) pages = (await import('./pages/app.js')).createPagesHandler(sim);
    return pages;
  };
  const pageHandler: PageHandler = (req, res) => {
    for (const hook of sim.pageRequest) hook(req, res);
    loadPages().then(
      (handle) => handle(req, res),
      (e) => writeError(res, sim.nextRequestId(), e),
    );
  };
  const server = createServer({ keepAliveTimeout: 5000, ...http }, (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(sim, req, res, pageHandler).catch((e) => writeError(res, sim.nextRequestId(), e));
  });
  // A client that ends its side after sending (`printf … | nc`, some raw-socket clients) still gets
  // its answer. By default node ends the socket at the client's FIN, losing every answer written a
  // turn later: large requests, answers serialized after a long handler, pages written in pieces.
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  installProtocolErrors(server, () => sim.nextRequestId());
  return { sim, server };
}

export async function startSimulator(overrides: SimulatorOptions = {}, http: ServerOptions = {}): Promise<RunningSimulator> {
  const { sim, server } = createSimulator(overrides, http);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(sim.config.port, sim.config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = sim.config.host === '0.0.0.0' || sim.config.host === '::' ? 'localhost' : sim.config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!sim.config.publicUrl) sim.publicUrl = url;
  return {
    sim,
    server,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(async () => {
        for (const hook of sim.closing) await hook();
      }),
  };
}
