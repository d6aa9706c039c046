import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Engine } from '../engine/engine.ts';
import { startServer, type RunningServer, type ServeOptions } from '../engine/server/serve.ts';
import { SEED, tempDir } from './helpers.ts';

/** A notebook server on a fresh database holding the seed document, on a free loopback port. */
export function seededServer(
  options: Partial<ServeOptions> = {},
): Promise<RunningServer & { dir: string; cleanup: () => Promise<void> }> {
  return serverWith([SEED], options);
}

/** A notebook server on a fresh database holding `files`, on a free loopback port; its notebooks in `dir`/notebooks. */
export async function serverWith(
  files: string[],
  options: Partial<ServeOptions> = {},
): Promise<RunningServer & { dir: string; cleanup: () => Promise<void> }> {
  const tmp = tempDir();
  const db = join(tmp.dir, 'budget.duckdb');
  const engine = await Engine.open({ db });
  try {
    await engine.ingest(files);
    await engine.checkpoint();
  } finally {
    engine.close();
  }
  const notebooksDir = join(tmp.dir, 'notebooks');
  mkdirSync(notebooksDir);
  const s = await startServer({ db, port: 0, host: '127.0.0.1', notebooksDir, quiet: true, ...options });
  return {
    ...s,
    dir: tmp.dir,
    cleanup: async () => {
      await s.close();
      tmp.cleanup();
    },
  };
}

export async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}
