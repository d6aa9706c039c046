-- execution: 决算 against 预算 for the same department, year and code: how much of its budget a department spent.
--
-- Question: Of what a department budgeted for a year, how much did its final accounts (决算) show it spent — in total, by function 类 and 款, and for each 三公 category?
-- Inputs: _best_spending_by_function, _best_budget_totals and _best_sangong (stages 'budget' and 'final'), and sangong (the 预算数 a 决算 prints itself, by its doc_id).
-- Grain: one row per department_id, fiscal_year, dimension and code where both a final and a budget figure are loaded (consolidated figures only, unit_level 'department').
-- Budget: for 三公, the 预算数 the 决算 prints beside its 决算数 wins; otherwise, and for functions and totals, the budget stage's figure of that year after the vintage rule. budget_from says which: '决算所列预算数' where the figure comes from the 决算 itself (its 预算数 column), '预算' where it comes from another document (the year's 预算).
-- Vintage: as the _best_* tables (the year's own document wins).
-- Not materialized: computed when queried.
-- Needs: a 决算 (stage 'final') and a budget figure of the same department and year; the bundled Longgang document alone gives no row.
-- Rounding: budget and final exact (DECIMAL(20,6) 万元); rate is a DOUBLE fraction (final / budget) rounded to 4 decimals, NULL where the budget is 0.
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv): a 决算 and a 预算 printed under two names of one department meet
--   department  the department as printed in the 决算
--   fiscal_year  the year the figures are for
--   dimension  'total' (spending_total, sangong_total), 'function' (类 and 款) or 'sangong' (by category)
--   code  the measure, function code or 三公 category
--   name  its name
--   level  1 for totals, 类 and 三公 categories; 2 for 款
--   budget  预算数, DECIMAL(20,6) 万元
--   final  决算数, DECIMAL(20,6) 万元
--   rate  final / budget, the execution rate (a fraction: 0.9 = 90%)
--   budget_from  '决算所列预算数' or '预算'
-- Example:
--   SELECT department, fiscal_year, dimension, code, name, budget, final, rate
--   FROM execution
--   ORDER BY department, fiscal_year, dimension, code

CREATE OR REPLACE VIEW execution AS
WITH functions AS (
    SELECT
        f.department_id, f.department, f.fiscal_year, 'function' AS dimension, f.func_code AS code, f.func_name AS name,
        f.func_level AS level, b.total AS budget, f.total AS final,
        CASE WHEN b.doc_id = f.doc_id THEN '决算所列预算数' ELSE '预算' END AS budget_from
    FROM _best_spending_by_function f
    JOIN _best_spending_by_function b
        ON b.department_id = f.department_id AND b.fiscal_year = f.fiscal_year AND b.func_code = f.func_code
        AND b.unit_level = 'department' AND b.stage = 'budget'
    WHERE f.unit_level = 'department' AND f.stage = 'final' AND f.func_level <= 2
),

totals AS (
    SELECT
        f.department_id, f.department, f.fiscal_year, 'total' AS dimension, f.measure AS code,
        CASE f.measure WHEN 'spending_total' THEN '支出合计' ELSE '三公经费' END AS name,
        1 AS level, b.amount AS budget, f.amount AS final,
        CASE WHEN b.doc_id = f.doc_id THEN '决算所列预算数' ELSE '预算' END AS budget_from
    FROM _best_budget_totals f
    JOIN _best_budget_totals b
        ON b.department_id = f.department_id AND b.fiscal_year = f.fiscal_year AND b.measure = f.measure
        AND b.unit_level = 'department' AND b.stage = 'budget'
    WHERE f.unit_level = 'department' AND f.stage = 'final' AND f.measure IN ('spending_total', 'sangong_total')
),

sangong_final AS (
    SELECT department_id, department, fiscal_year, category, category_name, amount, doc_id
    FROM _best_sangong
    WHERE stage = 'final' AND unit_level = 'department'
),

sangong_budget AS (
    SELECT department, fiscal_year, category, amount, doc_id
    FROM sangong
    WHERE stage = 'budget' AND unit_level = 'department'
),

sangong_rows AS (
    SELECT
        f.department_id, f.department, f.fiscal_year, 'sangong' AS dimension, f.category AS code, f.category_name AS name,
        1 AS level,
        coalesce(own.amount, other.amount) AS budget,
        f.amount AS final,
        CASE WHEN own.amount IS NOT NULL THEN '决算所列预算数' ELSE '预算' END AS budget_from
    FROM sangong_final f
    LEFT JOIN sangong_budget own
        ON own.doc_id = f.doc_id AND own.category = f.category AND own.fiscal_year = f.fiscal_year
    LEFT JOIN _best_sangong other
        ON other.department_id = f.department_id AND other.fiscal_year = f.fiscal_year AND other.category = f.category
        AND other.unit_level = 'department' AND other.stage = 'budget'
    WHERE coalesce(own.amount, other.amount) IS NOT NULL
),

all_rows AS (
    SELECT * FROM totals
    UNION ALL
    SELECT * FROM functions
    UNION ALL
    SELECT * FROM sangong_rows
)

SELECT
    department_id,
    department,
    fiscal_year,
    dimension,
    code,
    name,
    level,
    budget,
    final,
    round(final::DOUBLE / nullif(budget, 0)::DOUBLE, 4) AS rate,
    budget_from
FROM all_rows;
