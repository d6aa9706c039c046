import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

/** The project checkout (the folder holding package.json), wherever the engine is run from. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
/** Where the default database lives. */
export const dataDir = process.env['BUDGET_DATA_DIR'] ?? join(projectRoot, 'data');
export const defaultDbPath = join(dataDir, 'budget.duckdb');
