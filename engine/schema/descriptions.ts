/** The contract's meaning of each view (CONTRACT.md §1), shown in the schema browser. */
export const VIEW_DESCRIPTIONS: Record<string, string> = {
  documents: 'Loaded documents: department, year, stage, title, file, sha256, format, line count.',
  spending_by_function:
    '支出功能分类: spending by functional code (类/款/项 = func_level 1/2/3), total / basic / project, per unit and department.',
  spending_by_economic: '部门预算支出经济分类: spending by economic code (类 301… / 款 30101…), basic or project.',
  revenue_by_source: 'Revenue by source: 一般公共预算财政拨款, 政府性基金预算拨款, 事业收入, 上年结转 …',
  sangong:
    '三公经费 by category: overseas_travel, reception, vehicle_purchase, vehicle_operation. Totals are not rows.',
  procurement: '政府采购: A 货物 (goods), B 工程 (works), C 服务 (services) and catalogue items (item_level).',
  projects: 'One row per project, fiscal year and stage (2019 actual, 2020 budget, 2021 budget …).',
  performance_targets: '绩效目标: indicators by level, with the printed target and its numeric value.',
  budget_totals:
    'Money totals a document states: revenue_total, spending_total, basic_total, project_total, procurement_total, sangong_total, operating_cost …',
  unit_facts: 'Counts a document states: staff (authorized/actual), vehicles, equipment.',
  reconciliation: "Every cross-check run on a document: expected vs actual; severity 'info' = within printed rounding.",
  coverage:
    "What was read of each document: a row per table it prints — kind, number, title, pages, unit, rows read, amounts printed and used; status 'read', 'partial', 'empty', 'listed', 'unused' or 'unrecognized'.",
  classification_function: '支出功能分类科目: code, name, level, parent.',
  classification_economic: '部门预算支出经济分类科目: code, name, level, parent.',
  classification_procurement: '政府采购品目分类目录: code, name, level, parent, edition.',
  spending_growth: 'Year-on-year growth of spending by function: total, prev_total, change, pct_change.',
  department_totals:
    'Headline totals per department/unit and year: revenue, spending, basic, project, 三公, procurement, staff.',
  composition: 'Shares of a whole by dimension (function, economic, spending_type, procurement_type, sangong).',
  sangong_trend: '三公 by category over years: amount, prev_amount, change, pct_change, share_of_total.',
  procurement_mix: 'Procurement by type (goods / works / services) with its share.',
  project_trend: 'Project amounts over years and stages: prev_amount, change, pct_change.',
  execution:
    '决算 against 预算 for the same department, year and code: budget, final and the execution rate (final / budget), by total, function 类/款 and 三公 category.',
  peer_compare:
    'A department against the other departments of its government, year and stage: value, peer median and quartiles, rank (totals, project share, 三公, 三公 per staff, each 类 as a share).',
};
