-- spending_growth: year-on-year growth of budgeted spending by function (支出功能分类).
--
-- Question: How much did each department and unit budget for each function code (类 / 款 / 项), and how much more or less than the year before?
-- Inputs: _best_spending_by_function (spending_by_function after the crosswalk and the vintage rule).
-- Grain: one row per department_id, unit_id, unit_level, func_code and fiscal_year. Filter on func_level to avoid double counting.
-- Stage: budget figures (stage 'budget') only, so that a year is compared with the year before at the same stage; 决算 and 实际执行 figures stay in _best_spending_by_function.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority).
-- Codes: the code is the key of a series; codes renumbered in datasets/classification/function-crosswalk.csv are counted under their new code; func_name is the latest name of the code.
-- Rounding: money exact (DECIMAL(20,6)); pct_change is a DOUBLE fraction rounded to 4 decimals in the view (0.3043 = 30.43%).
-- Columns:
--   department  the department as printed
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   func_code  the function code (after the crosswalk)
--   func_name  the latest name of func_code
--   func_level  1 / 2 / 3 for 类 / 款 / 项
--   fiscal_year  the year the figure is for
--   total  DECIMAL(20,6) 万元
--   prev_total  total of fiscal_year - 1; NULL when unknown
--   change  total - prev_total
--   pct_change  yoy(total, prev_total) rounded to 4 decimals; NULL when prev_total is NULL or 0
--   department_id  the department's stable id (datasets/departments/names.csv): series follow it across renames (added in v2)
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id) (added in v2)
-- Example:
--   SELECT unit, func_code, func_name, fiscal_year, total, prev_total, change, pct_change
--   FROM spending_growth
--   WHERE func_level = 1 AND fiscal_year = 2021
--   ORDER BY unit, func_code

CREATE OR REPLACE VIEW spending_growth AS
WITH budget AS (
    SELECT department_id, department, unit_id, unit, unit_level, func_code, func_name, func_level, fiscal_year, total
    FROM _best_spending_by_function
    WHERE stage = 'budget'
)

SELECT
    cur.department,
    cur.unit,
    cur.unit_level,
    cur.func_code,
    cur.func_name,
    cur.func_level,
    cur.fiscal_year,
    cur.total,
    prev.total AS prev_total,
    (cur.total - prev.total)::DECIMAL(20, 6) AS change,
    round(yoy(cur.total, prev.total), 4) AS pct_change,
    cur.department_id,
    cur.unit_id
FROM budget AS cur
LEFT JOIN budget AS prev
    ON
        prev.department_id = cur.department_id
        AND prev.unit_id = cur.unit_id
        AND prev.unit_level = cur.unit_level
        AND prev.func_code = cur.func_code
        AND prev.fiscal_year = cur.fiscal_year - 1;
