// Small HTTP hosts on 127.0.0.1 for the extraction tests: each records who asked for what (and with which
// credentials), and is reached under the host name the test gives, so one machine can play several origins.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
export const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
export const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);

export interface TestHost {
  origin: string;
  requests: Array<{ path: string; authorization?: string }>;
  close(): Promise<void>;
}

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export async function startHost(name: string, route: Route): Promise<TestHost> {
  const requests: TestHost['requests'] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    void Promise.resolve(route(req, res, new URL(req.url ?? '/', 'http://x'))).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://${name}:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Announced as image/png whatever it is, as Confluence does: the media type must come from the bytes. */
export function send(res: ServerResponse, body: Buffer, type = 'image/png'): void {
  res.writeHead(200, { 'content-type': type, 'content-length': body.length });
  res.end(body);
}
