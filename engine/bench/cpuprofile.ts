/**
 * Where the time goes in a V8 CPU profile (node --cpu-prof): the top functions by self time, and by total
 * time (self + callees), with their share of the sampled time.
 *
 *   node --cpu-prof --cpu-prof-dir data/bench/prof --import tsx engine/bench/ingest-child.ts --mode ingest --list L --db D
 *   node --import tsx engine/bench/cpuprofile.ts data/bench/prof/CPU.….cpuprofile [--top 25]
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { projectRoot } from '../paths.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface FunctionTime {
  name: string;
  where: string;
  selfMs: number;
  selfShare: number;
  totalMs: number;
  totalShare: number;
}

function label(n: ProfileNode): { name: string; where: string } {
  const f = n.callFrame;
  let url = f.url;
  try {
    if (url.startsWith('file:')) url = relative(projectRoot, fileURLToPath(url));
  } catch {
    // keep the URL
  }
  return { name: f.functionName || '(anonymous)', where: url ? `${url}:${f.lineNumber + 1}` : '(native)' };
}

export function summarizeProfile(p: Profile): { totalMs: number; functions: FunctionTime[] } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const self = new Map<string, { name: string; where: string; us: number }>();
  const incl = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id) as ProfileNode;
    const l = label(n);
    const key = `${l.name}@${l.where}`;
    const s = self.get(key) ?? { ...l, us: 0 };
    s.us += us;
    self.set(key, s);
    // Total time: each function on the sample's stack once (recursion counted once).
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const ln = label(byId.get(cur) as ProfileNode);
      const k = `${ln.name}@${ln.where}`;
      if (seen.has(k)) continue;
      seen.add(k);
      incl.set(k, (incl.get(k) ?? 0) + us);
      if (!self.has(k)) self.set(k, { ...ln, us: 0 });
    }
  }
  const functions = [...self.entries()].map(([k, s]) => ({
    name: s.name,
    where: s.where,
    selfMs: Math.round(s.us / 1000),
    selfShare: Math.round((s.us / total) * 1000) / 10,
    totalMs: Math.round((incl.get(k) ?? 0) / 1000),
    totalShare: Math.round(((incl.get(k) ?? 0) / total) * 1000) / 10,
  }));
  return { totalMs: Math.round(total / 1000), functions };
}

function cli(): void {
  const { values, positionals } = parseArgs({
    options: { top: { type: 'string', default: '25' } },
    allowPositionals: true,
  });
  const file = positionals[0];
  if (!file) throw new Error('usage: cpuprofile.ts FILE.cpuprofile [--top N]');
  const top = Number(values.top);
  const { totalMs, functions } = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')) as Profile);
  const show = (rows: FunctionTime[], key: 'selfMs' | 'totalMs') =>
    rows
      .sort((a, b) => b[key] - a[key])
      .slice(0, top)
      .map(
        (f) =>
          `${String(f.selfMs).padStart(8)} ${String(f.selfShare).padStart(5)}%  ${String(f.totalMs).padStart(8)} ${String(f.totalShare).padStart(5)}%  ${f.name}  ${f.where}`,
      )
      .join('\n');
  const head = '  self ms  self%  total ms total%  function  where';
  process.stdout.write(`sampled ${totalMs} ms\n\nby self time\n${head}\n${show(functions, 'selfMs')}\n\n`);
  process.stdout.write(`by total time\n${head}\n${show(functions, 'totalMs')}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) cli();
