/** A value bound for a fact table: money as bigint micro-units of 万元 (see money.ts). */
export type FactValue = string | number | bigint | boolean | null;
export type FactRow = Record<string, FactValue>;

export interface DocumentMeta {
  doc_id: string;
  department: string;
  doc_year: number;
  stage: string;
  title: string;
  source_file: string;
  sha256: string;
  format: string;
  line_count: number | null;
  synthetic: boolean;
}

export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  check_id: string;
  scope: string;
  expected: bigint | null;
  actual: bigint | null;
  difference: bigint | null;
  severity: Severity;
  source_lines: string;
  message: string;
}

/** What a parser hands to the load path: one document, its facts per view, its findings. */
export interface ParsedDocument {
  doc: DocumentMeta;
  facts: Map<string, FactRow[]>;
  findings: Finding[];
  /** What was read of each table (the `coverage` view): a row per table the document printed. */
  coverage?: FactRow[];
}
