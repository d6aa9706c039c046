/**
 * A notebook published as a static site (`budget publish`): what the page reads at start, written into its
 * index.html by the publish (engine/publish/site.ts, SiteConfig). Absent when the page is served by `budget serve`.
 */
export interface SiteConfig {
  notebook: string;
  data: { name: string; file: string }[];
  macros: string;
  views: {
    name: string;
    kind: 'fact' | 'analysis' | 'classification';
    description: string;
    columns: { name: string; type: string }[];
  }[];
  published: string;
  limits: string[];
}

export function siteConfig(): SiteConfig | undefined {
  return (globalThis as { __BUDGET_SITE__?: SiteConfig }).__BUDGET_SITE__;
}
