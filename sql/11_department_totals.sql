-- department_totals: the headline totals of each department and unit, per year and stage, with per-staff measures.
--
-- Question: How much did a department (or one of its units) take in and plan to spend in a year — in total, basic and project, on 三公 and on procurement — with how many staff, and how much per staff member?
-- Inputs: _best_budget_totals, _best_unit_facts, and to fill gaps _best_spending_by_function, _best_sangong and _best_procurement.
-- Grain: one row per department_id, unit_id, unit_level, fiscal_year and stage for which any money total is known. Filter on unit_level to avoid double counting.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority).
-- Gaps: a total no document states is derived where the parts are known: spending_total as the sum of the 类 of spending_by_function, sangong_total as the sum of the 三公 categories, procurement_total as the sum of the A / B / C rows. revenue_total, basic_total and project_total are only as stated.
-- Staff: staff_actual is the stated 实有人数 (fact 'staff_actual'); where a unit states only 实有在编 by kind, it is admin_actual + institution_actual (whichever are stated). The count of that fiscal year at the same stage, else at any stage (budget first). Per-staff measures are NULL where staff_actual is unknown or 0.
-- Rounding: money exact (DECIMAL(20,6)); per-staff measures are 万元 per person, DECIMAL(20,6) rounded to 6 decimals.
-- Columns:
--   department  the department as printed
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figures are for
--   stage  'budget', 'final' or 'actual'
--   revenue_total  收入总计, DECIMAL(20,6) 万元
--   spending_total  支出总计, DECIMAL(20,6) 万元
--   basic_total  基本支出, DECIMAL(20,6) 万元
--   project_total  项目支出, DECIMAL(20,6) 万元
--   sangong_total  三公经费, DECIMAL(20,6) 万元
--   procurement_total  政府采购, DECIMAL(20,6) 万元
--   staff_actual  实有人数 (persons)
--   spending_per_staff  spending_total / staff_actual, 万元 per person (added column)
--   sangong_per_staff  sangong_total / staff_actual, 万元 per person (added column)
--   department_id  the department's stable id (datasets/departments/names.csv) (added in v2)
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id) (added in v2)
-- Example:
--   SELECT unit, fiscal_year, spending_total, sangong_total, procurement_total, staff_actual, spending_per_staff
--   FROM department_totals
--   WHERE unit_level = 'department'
--   ORDER BY fiscal_year

CREATE OR REPLACE VIEW department_totals AS
WITH stated AS (
    SELECT
        department_id,
        min(department) AS department,
        unit_id,
        min(unit) AS unit,
        unit_level,
        fiscal_year,
        stage,
        max(amount) FILTER (WHERE measure = 'revenue_total') AS revenue_total,
        max(amount) FILTER (WHERE measure = 'spending_total') AS spending_total,
        max(amount) FILTER (WHERE measure = 'basic_total') AS basic_total,
        max(amount) FILTER (WHERE measure = 'project_total') AS project_total,
        max(amount) FILTER (WHERE measure = 'sangong_total') AS sangong_total,
        max(amount) FILTER (WHERE measure = 'procurement_total') AS procurement_total
    FROM _best_budget_totals
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage
),

by_function AS (
    SELECT
        department_id, min(department) AS department, unit_id, min(unit) AS unit, unit_level, fiscal_year, stage,
        sum(total) AS spending_total
    FROM _best_spending_by_function
    WHERE func_level = 1
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage
),

by_sangong AS (
    SELECT
        department_id, min(department) AS department, unit_id, min(unit) AS unit, unit_level, fiscal_year, stage,
        sum(amount) AS sangong_total
    FROM _best_sangong
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage
),

by_procurement AS (
    SELECT
        department_id, min(department) AS department, unit_id, min(unit) AS unit, unit_level, fiscal_year, stage,
        sum(amount) AS procurement_total
    FROM _best_procurement
    WHERE item_level = 1
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage
),

staff AS (
    SELECT
        department_id,
        unit_id,
        unit_level,
        fiscal_year,
        stage,
        coalesce(
            max(value) FILTER (WHERE fact = 'staff_actual'),
            sum(value) FILTER (WHERE fact IN ('admin_actual', 'institution_actual'))
        ) AS staff_actual
    FROM _best_unit_facts
    WHERE fact IN ('staff_actual', 'admin_actual', 'institution_actual')
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage
),

staff_any_stage AS (
    SELECT
        department_id,
        unit_id,
        unit_level,
        fiscal_year,
        first(staff_actual ORDER BY CASE stage WHEN 'budget' THEN 1 WHEN 'final' THEN 2 ELSE 3 END) AS staff_actual
    FROM staff
    GROUP BY department_id, unit_id, unit_level, fiscal_year
),

keys AS (
    SELECT department_id, unit_id, unit_level, fiscal_year, stage FROM stated
    UNION
    SELECT department_id, unit_id, unit_level, fiscal_year, stage FROM by_function
    UNION
    SELECT department_id, unit_id, unit_level, fiscal_year, stage FROM by_sangong
    UNION
    SELECT department_id, unit_id, unit_level, fiscal_year, stage FROM by_procurement
),

totals AS (
    SELECT
        k.department_id,
        coalesce(s.department, f.department, g.department, p.department) AS department,
        k.unit_id,
        coalesce(s.unit, f.unit, g.unit, p.unit) AS unit,
        k.unit_level,
        k.fiscal_year,
        k.stage,
        s.revenue_total::DECIMAL(20, 6) AS revenue_total,
        coalesce(s.spending_total, f.spending_total)::DECIMAL(20, 6) AS spending_total,
        s.basic_total::DECIMAL(20, 6) AS basic_total,
        s.project_total::DECIMAL(20, 6) AS project_total,
        coalesce(s.sangong_total, g.sangong_total)::DECIMAL(20, 6) AS sangong_total,
        coalesce(s.procurement_total, p.procurement_total)::DECIMAL(20, 6) AS procurement_total,
        coalesce(st.staff_actual, sa.staff_actual)::DECIMAL(20, 6) AS staff_actual
    FROM keys AS k
    LEFT JOIN stated AS s USING (department_id, unit_id, unit_level, fiscal_year, stage)
    LEFT JOIN by_function AS f USING (department_id, unit_id, unit_level, fiscal_year, stage)
    LEFT JOIN by_sangong AS g USING (department_id, unit_id, unit_level, fiscal_year, stage)
    LEFT JOIN by_procurement AS p USING (department_id, unit_id, unit_level, fiscal_year, stage)
    LEFT JOIN staff AS st USING (department_id, unit_id, unit_level, fiscal_year, stage)
    LEFT JOIN staff_any_stage AS sa USING (department_id, unit_id, unit_level, fiscal_year)
)

SELECT
    * EXCLUDE (department_id, unit_id),
    CASE WHEN staff_actual > 0 THEN (spending_total / staff_actual)::DECIMAL(20, 6) END AS spending_per_staff,
    CASE WHEN staff_actual > 0 THEN (sangong_total / staff_actual)::DECIMAL(20, 6) END AS sangong_per_staff,
    department_id,
    unit_id
FROM totals;
