/**
 * A notebook published as a static site (`budget publish`): what the page reads at start, written into its
 * index.html by the publish (engine/publish/site.ts, SiteConfig). Absent when the page is served by `budget serve`.
 */
export interface SiteConfig {
  notebook: string;
  /** The views and tables the notebook reads, as Parquet files under data/, each loaded as a table of its name. */
  data: { name: string; file: string }[];
  /** The macros of sql/00_macros.sql, run after the data is in place. */
  macros: string;
  /** The schema browser's entries for the published views. */
  views: {
    name: string;
    kind: 'fact' | 'analysis' | 'classification';
    description: string;
    columns: { name: string; type: string }[];
  }[];
  published: string;
  /** What a published site cannot do, shown in the page. */
  limits: string[];
}

export function siteConfig(): SiteConfig | undefined {
  return (globalThis as { __BUDGET_SITE__?: SiteConfig }).__BUDGET_SITE__;
}
