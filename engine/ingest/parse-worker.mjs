// A parse worker: reads and parses documents (部门预算 text, or PDFs: their text layer read by pdf.js in a worker of
// its own, then laid out and read here), and posts each back as a LoadItem (facts and findings already in columns,
// their typed arrays transferred, not copied). The parser is TypeScript: this thread
// registers tsx's loader for itself (a worker does not inherit the loader the main thread was started with).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseTextFile } = await import('./budget-text/index.ts');
const { transferables } = await import('./columnar.ts');

parentPort.on('message', async ({ id, path }) => {
  try {
    const item = /\.pdf$/i.test(path) ? await (await import('./pdf/index.ts')).parsePdfFile(path) : parseTextFile(path);
    parentPort.postMessage({ id, item }, transferables(item.tables));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort.postMessage({
      id,
      error: { name: err.name, message: err.message, stack: err.stack, file: err.file, line: err.line },
    });
  }
});
