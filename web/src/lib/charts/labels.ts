/** Chinese names for the columns the views use, for axis and legend titles. */
const LABELS: Record<string, string> = {
  amount: '金额',
  total: '合计',
  basic: '基本支出',
  project: '项目支出',
  prev_amount: '上年金额',
  prev_total: '上年合计',
  change: '增减',
  pct_change: '增长率',
  share: '占比',
  share_of_total: '占比',
  fiscal_year: '年度',
  doc_year: '文件年度',
  vintage: '文件年度',
  department: '部门',
  unit: '单位',
  unit_level: '层级',
  stage: '阶段',
  category: '类别',
  category_name: '类别',
  func_name: '功能分类',
  econ_name: '经济分类',
  item_name: '采购品目',
  procurement_type: '采购类型',
  source: '收入来源',
  measure: '指标',
  name: '名称',
  revenue_total: '收入合计',
  spending_total: '支出合计',
  basic_total: '基本支出合计',
  project_total: '项目支出合计',
  sangong_total: '三公经费合计',
  procurement_total: '政府采购合计',
};

/** The title for a column: its Chinese name when the views define one, else the column's own name. */
export function label(column: string): string {
  return LABELS[column] ?? column;
}
