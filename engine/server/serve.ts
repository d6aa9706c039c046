import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Engine, SourceError } from '../engine.ts';
import { dataDir, projectRoot } from '../paths.ts';
import { HttpError } from './http-error.ts';
import { NotebookStore } from './notebooks.ts';
import { QueryService } from './query-service.ts';

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  token?: string;
  notebooksDir?: string;
  webDir?: string;
  timeoutMs?: number;
  maxConcurrent?: number;
  /** How long a query waits for a slot beyond maxConcurrent before a 429 (ms; default 30 s). */
  queueWaitMs?: number;
  memoryLimit?: string;
  threads?: number;
  quiet?: boolean;
}

export interface RunningServer {
  url: string;
  token: string | undefined;
  server: Server;
  queries: QueryService;
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/;
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * The notebook server: the HTTP API of the contract (§3) and the built web app. The database is opened
 * read-only and closed to the machine (DuckDB's own sandbox); loading stays the job of `budget ingest`.
 */
export async function startServer(o: ServeOptions): Promise<RunningServer> {
  if (!LOOPBACK.test(o.host) && !o.token)
    throw new Error(`serving on ${o.host} needs a token: pass --token T (or set BUDGET_TOKEN)`);
  // Bring the schema and views up to date once, read-write; then serve read-only.
  if (!existsSync(o.db)) throw new Error(`no database at ${o.db}: run 'budget build-default' or 'budget ingest' first`);
  try {
    (await Engine.open({ db: o.db })).close();
  } catch (e) {
    // Another process holds the database (a running ingest or server): serve it as it is, read-only.
    if (!/lock/i.test(e instanceof Error ? e.message : String(e))) throw e;
  }
  const scratch = join(dataDir, 'scratch');
  mkdirSync(scratch, { recursive: true });
  const engine = await Engine.open({
    db: o.db,
    readOnly: true,
    config: {
      ...(o.memoryLimit ? { memory_limit: o.memoryLimit } : {}),
      ...(o.threads ? { threads: String(o.threads) } : {}),
    },
  });
  // DuckDB's own sandbox: no files outside the data folder, no extensions, no settings changed, nothing written.
  await engine.lockDown([resolve(dataDir)]);
  const queries = new QueryService(engine, {
    maxConcurrent: o.maxConcurrent ?? 8,
    queueWaitMs: o.queueWaitMs ?? 30_000,
    timeoutMs: o.timeoutMs ?? 30_000,
    scratchDir: scratch,
  });
  const notebooks = new NotebookStore(o.notebooksDir ?? join(projectRoot, 'notebooks'));
  const webDir = o.webDir ?? join(projectRoot, 'web', 'build');
  const token = o.token;

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      // Answer once the request body has been read (drained if unread), so the client sees the answer.
      if (req.complete || req.readableEnded) return fail(res, e);
      req.once('end', () => fail(res, e));
      req.resume();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (token && !authorized(req, url, token)) throw new HttpError(401, 'missing or wrong token');
    // Without a token (loopback only), a request must name a loopback host: a page of another site that points its
    // name at 127.0.0.1 (DNS rebinding) cannot read the database or the documents.
    if (!token && !LOOPBACK.test(hostName(req.headers.host ?? '')))
      throw new HttpError(403, 'the Host header must name this machine (127.0.0.1 or localhost)');
    if (token && url.searchParams.get('token') === token)
      res.setHeader('Set-Cookie', `budget_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    const path = url.pathname;
    if (path === '/api/query' && req.method === 'POST') return query(req, res);
    if (path === '/api/schema' && req.method === 'GET') return json(res, 200, await engine.schemaInfo());
    if (path === '/api/notebooks' && req.method === 'GET') return json(res, 200, { notebooks: notebooks.list() });
    if (path === '/api/documents' && req.method === 'GET')
      return json(res, 200, { documents: await engine.documents() });
    if (path.startsWith('/api/documents/')) return documentRoute(req, res, url);
    if (path.startsWith('/api/notebooks/')) {
      const name = decodeURIComponent(path.slice('/api/notebooks/'.length));
      if (req.method === 'GET') {
        const text = notebooks.read(name);
        res.writeHead(200, { 'Content-Type': 'text/markdown; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(text);
        return;
      }
      if (req.method === 'PUT') {
        const text = (await readBody(req, 5 * 1024 * 1024)).toString('utf8');
        notebooks.write(name, text);
        return json(res, 200, { saved: name });
      }
      throw new HttpError(405, `${req.method} not allowed on ${path}`);
    }
    if (path.startsWith('/api/')) throw new HttpError(404, `no route ${req.method} ${path}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, `${req.method} not allowed`);
    return staticFile(res, webDir, path);
  }

  async function query(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
    } catch (e) {
      if (e instanceof HttpError) throw e;
      throw new HttpError(400, 'the body is not JSON');
    }
    const request = QueryService.parse(body);
    const abort = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    const started = performance.now();
    const answer = await queries.run(request, abort.signal);
    res.writeHead(200, {
      'Content-Type': answer.contentType,
      'Cache-Control': 'no-store',
      'X-Query-Started-Ms': (performance.now() - started).toFixed(1),
      ...(answer.filename ? { 'Content-Disposition': `attachment; filename="${answer.filename}"` } : {}),
    });
    try {
      await pipeline(answer.body, res);
    } catch {
      // the client went away mid-stream; the query was interrupted
    }
  }

  /**
   * The source of a figure, by doc_id alone (contract §3): GET /api/documents/ID → the loaded document's file;
   * GET /api/documents/ID/lines?from=&to= → lines of a text document (JSON); ?page=N[&from=&to=] → the lines of a
   * PDF's page as the engine read them, with where each was printed. Never a path from the client.
   */
  async function documentRoute(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.slice('/api/documents/'.length).split('/');
    let docId: string;
    try {
      docId = decodeURIComponent(parts[0] ?? '');
    } catch {
      throw new HttpError(400, 'bad doc_id');
    }
    if (!DOC_ID.test(docId)) throw new HttpError(404, `no loaded document has doc_id ${JSON.stringify(docId)}`);
    if (parts.length > 2 || (parts.length === 2 && parts[1] !== 'lines'))
      throw new HttpError(404, `no route ${req.method} ${url.pathname}`);
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw new HttpError(405, `${req.method} not allowed on ${url.pathname}`);
    try {
      if (parts.length === 1) {
        const { doc, bytes } = await engine.documentFile(docId);
        res.writeHead(200, {
          'Content-Type': DOCUMENT_TYPES[doc.format] ?? 'application/octet-stream',
          'Content-Length': bytes.length,
          'Content-Disposition': `inline; filename*=UTF-8''${encodeURIComponent(doc.source_file)}`,
          'Cache-Control': 'no-store',
        });
        res.end(bytes);
        return;
      }
      const page = intParam(url, 'page');
      const from = intParam(url, 'from');
      const to = intParam(url, 'to');
      if (page !== undefined) {
        const p = await engine.documentPage(docId, page);
        const lines = p.lines.filter((l) => (from === undefined || l.no >= from) && (to === undefined || l.no <= to));
        return json(res, 200, { ...p, lines });
      }
      const first = from ?? 1;
      return json(res, 200, await engine.documentLines(docId, first, to ?? first + 199));
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      throw new HttpError(e.kind === 'unknown' ? 404 : e.kind === 'gone' ? 410 : 400, e.message);
    }
  }

  await new Promise<void>((ok, bad) => {
    server.once('error', bad);
    server.listen(o.port, o.host, () => ok());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `http://${host}:${port}`,
    token,
    server,
    queries,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => {
          engine.close();
          ok();
        });
      }),
  };
}

/** A doc_id: letters, digits, '-', '_' and '.' (never a path). */
const DOC_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}$/;
const DOCUMENT_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  text: 'text/plain; charset=utf-8',
};

/** A whole-number query parameter, or undefined when absent; 400 otherwise. */
function intParam(url: URL, name: string): number | undefined {
  const v = url.searchParams.get(name);
  if (v === null || v === '') return undefined;
  if (!/^\d{1,9}$/.test(v)) throw new HttpError(400, `${name} must be a whole number (got ${JSON.stringify(v)})`);
  return Number(v);
}

/** The host of a Host header, without its port ('[::1]:5317' → '::1'). */
function hostName(header: string): string {
  const m = /^\[([^\]]+)\](?::\d+)?$/.exec(header) ?? /^([^:]+)(?::\d+)?$/.exec(header);
  return m?.[1]?.toLowerCase() ?? '';
}

function authorized(req: IncomingMessage, url: URL, token: string): boolean {
  const given =
    url.searchParams.get('token') ??
    (req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : undefined) ??
    /(?:^|;\s*)budget_token=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (!given) return false;
  const a = Buffer.from(decodeURIComponent(given));
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    parts.push(chunk as Buffer);
  }
  return Buffer.concat(parts);
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(value));
}

function fail(res: ServerResponse, e: unknown): void {
  const status = e instanceof HttpError ? e.status : 500;
  const message = e instanceof HttpError ? e.message : 'internal error';
  if (!(e instanceof HttpError)) process.stderr.write(`budget serve: ${e instanceof Error ? e.message : String(e)}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const error: { message: string; position?: number } = { message };
  if (e instanceof HttpError && e.position !== undefined) error.position = e.position;
  json(res, status, { error });
}

async function staticFile(res: ServerResponse, root: string, path: string): Promise<void> {
  if (!existsSync(root)) {
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('The notebook UI is not built: run `npm run build:web` (npm start does). The API is at /api/query.\n');
    return;
  }
  const rel = normalize(decodeURIComponent(path)).replace(/^([/\\])+/, '');
  let file = join(root, rel);
  if (!file.startsWith(root)) throw new HttpError(400, 'bad path');
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
  const type = TYPES[extname(file)] ?? 'application/octet-stream';
  const immutable = rel.startsWith('_app/immutable/');
  res.writeHead(200, {
    'Content-Type': type,
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  await pipeline(createReadStream(file), res);
}

/** `budget serve`: start, print where, run until stopped. */
export async function serve(o: ServeOptions): Promise<number> {
  const token =
    o.token ??
    process.env['BUDGET_TOKEN'] ??
    (LOOPBACK.test(o.host) ? undefined : randomBytes(18).toString('base64url'));
  const s = await startServer({ ...o, token });
  process.stdout.write(`budget notebook on ${s.url}/${token ? `?token=${token}` : ''}\n`);
  await new Promise<void>((ok) => {
    const stop = () => {
      void s.close().then(ok);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return 0;
}
