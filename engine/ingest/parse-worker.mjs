// A parse worker: reads and parses 部门预算 text documents, and posts each back as a LoadItem (facts and findings
// already in columns, their typed arrays transferred, not copied). The parser is TypeScript: this thread
// registers tsx's loader for itself (a worker does not inherit the loader the main thread was started with).
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { parseTextFile } = await import('./budget-text/index.ts');
const { transferables } = await import('./columnar.ts');

parentPort.on('message', ({ id, path }) => {
  try {
    const item = parseTextFile(path);
    parentPort.postMessage({ id, item }, transferables(item.tables));
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    parentPort.postMessage({
      id,
      error: { name: err.name, message: err.message, stack: err.stack, file: err.file, line: err.line },
    });
  }
});
