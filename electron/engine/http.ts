// Small helpers every HTTP listener of Tracedeck uses (the OTLP receiver, the UI/API server):
// one way to listen, to report a port in use, to close, to print an address.
import type { Server } from 'node:http';

export class PortInUseError extends Error {
  override name = 'PortInUseError';
}

/** Listens, turning EADDRINUSE into a message that names the port and the way out. */
export function listen(server: Server, host: string, port: number, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(
          new PortInUseError(
            `${what}: port ${port} on ${host} is already in use (another Tracedeck, a collector or another viewer?). ` +
              `Stop it, or choose another port (0 picks any free port).`,
          ),
        );
      } else reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}

export function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
