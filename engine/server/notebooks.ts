import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HttpError } from './http-error.ts';

/** Notebook files under one folder: names cannot leave it; writes are atomic (temp file, then rename). */
export class NotebookStore {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /** A notebook name: letters (any script), digits, _ - and spaces; '.md' optional. Nothing that names a path. */
  fileOf(name: string): string {
    const base = name.endsWith('.md') ? name.slice(0, -3) : name;
    if (!/^[\p{L}\p{N}_ -]{1,100}$/u.test(base) || base.trim() !== base || base.startsWith('-'))
      throw new HttpError(400, `invalid notebook name '${name.slice(0, 120)}': use letters, digits, _ - and spaces`);
    return join(this.dir, `${base}.md`);
  }

  list(): { name: string; modified: string; size: number }[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => {
        const st = statSync(join(this.dir, f));
        return { name: f.slice(0, -3), modified: st.mtime.toISOString(), size: st.size };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  read(name: string): string {
    const file = this.fileOf(name);
    if (!existsSync(file)) throw new HttpError(404, `no notebook named '${name}'`);
    return readFileSync(file, 'utf8');
  }

  write(name: string, text: string): void {
    const file = this.fileOf(name);
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, text, 'utf8');
    renameSync(tmp, file);
  }
}
