// Serve mode's HTTP server: the TraceApi over HTTP (POST /api/<method>, a JSON array of
// arguments in, the JSON result out), live updates as server-sent events (GET /api/events),
// and the built renderer as static files. The desktop app runs the same server on a free port
// so `tracedeck query` can reach a running instance.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { HTTP_API_PREFIX, HTTP_EVENTS_PATH, TRACE_API_METHODS, type TraceApi } from '../../shared/api';
import { ApiArgumentError, isApiMethod, validateApiArgs } from '../../shared/validate';
import { closeServer, formatHost, listen } from '../engine/http';

export interface UiServerOptions {
  api: TraceApi;
  host: string;
  port: number;
  /** The built renderer (out/renderer); null serves the API only. */
  staticDir: string | null;
}

export interface RunningUiServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Same policy as renderer/index.html's meta tag, sent as a header too. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const MAX_API_BODY = 1024 * 1024;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/** Errors caused by what the caller sent: 400, not 500. */
function isCallerError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof ApiArgumentError) return true;
  if (error.name === 'RefusedSqlError') return true;
  // DuckDB reports mistakes in user SQL as Parser/Binder/Catalog/Conversion errors.
  return /^(Parser|Binder|Catalog|Conversion|Invalid Input|Out of Range) Error/i.test(error.message);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_API_BODY) {
        reject(new ApiArgumentError(`request body over ${MAX_API_BODY} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (text.trim() === '') return resolvePromise([]);
      try {
        resolvePromise(JSON.parse(text));
      } catch {
        reject(new ApiArgumentError('request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

export async function startUiServer(options: UiServerOptions): Promise<RunningUiServer> {
  const { api } = options;
  const loopbackOnly = LOOPBACK_HOSTS.has(options.host);
  const staticRoot = options.staticDir ? resolve(options.staticDir) : null;

  const hostAllowed = (req: IncomingMessage): boolean => {
    // Refuse other host names on a loopback listener: a web page cannot then reach the API
    // through DNS rebinding.
    if (!loopbackOnly) return true;
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    return LOOPBACK_HOSTS.has(host);
  };

  const serveStatic = (req: IncomingMessage, res: ServerResponse, path: string): void => {
    if (!staticRoot || !existsSync(join(staticRoot, 'index.html'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The UI is not built. Run `npm run build` first.');
      return;
    }
    let file = resolve(staticRoot, `.${normalize(decodeURIComponent(path))}`);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticRoot, 'index.html');
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': file.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  };

  const serveEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': connected\n\n');
    const unsubscribe = api.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!hostAllowed(req)) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('Misdirected request');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === HTTP_EVENTS_PATH) {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'Use GET.' });
      return serveEvents(req, res);
    }
    if (path.startsWith(HTTP_API_PREFIX)) {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'Use POST.' });
      // Only pages served from here may call the API from a browser.
      const origin = req.headers.origin;
      if (origin && origin !== `http://${req.headers.host}`) return sendJson(res, 403, { error: `Origin ${origin} is not allowed.` });
      const method = path.slice(HTTP_API_PREFIX.length);
      if (!isApiMethod(method, TRACE_API_METHODS)) return sendJson(res, 404, { error: `Unknown API method ${method}.` });
      try {
        const args = validateApiArgs(method, await readJson(req));
        const fn = api[method] as (...a: unknown[]) => Promise<unknown>;
        const result = await fn.apply(api, args);
        return sendJson(res, 200, result ?? null);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return sendJson(res, isCallerError(error) ? 400 : 500, { error: message });
      }
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'Use GET.' });
    serveStatic(req, res, path);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) });
      else res.end();
    });
  });
  await listen(server, options.host, options.port, 'UI');
  const port = (server.address() as AddressInfo).port;
  return { url: `http://${formatHost(options.host)}:${port}/`, port, close: () => closeServer(server) };
}
