-- project_trend: each project's amount over the years and stages.
--
-- Question: How did the money for each project change from the previous year (e.g. 2021 budget against 2020 budget)?
-- Inputs: _best_projects (projects after the vintage rule).
-- Grain: one row per department_id, unit_id, project, fiscal_year and stage (the project's name is the key of its series).
-- Stage: every stage is kept. prev_amount is the previous fiscal year's figure of the same project at the same stage; where that year has no figure at this stage, the figure of another stage fills in, 'final' before 'actual' before 'budget' (so the 2020 budget is compared with the 2019 实际执行数 when no 2019 budget is known); prev_stage says which.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority).
-- Rounding: money exact (DECIMAL(20,6)); pct_change is a DOUBLE fraction rounded to 4 decimals in the view.
-- Columns:
--   department  the department as printed
--   unit  the budget unit, or the department's name for a consolidated figure
--   project  the project's name as printed
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   amount  DECIMAL(20,6) 万元
--   prev_amount  the figure of fiscal_year - 1 (same stage first); NULL when unknown
--   change  amount - prev_amount
--   pct_change  yoy(amount, prev_amount) rounded to 4 decimals; NULL when prev_amount is NULL or 0
--   unit_level  'department' or 'unit' (added column)
--   prev_stage  the stage of prev_amount (added column)
--   department_id  the department's stable id (datasets/departments/names.csv): series follow it across renames (added in v2)
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id) (added in v2)
-- Example:
--   SELECT unit, project, fiscal_year, stage, amount, prev_amount, change, pct_change, prev_stage
--   FROM project_trend
--   WHERE project = '政务服务管理'
--   ORDER BY fiscal_year, stage

CREATE OR REPLACE VIEW project_trend AS
SELECT
    cur.department,
    cur.unit,
    cur.project,
    cur.fiscal_year,
    cur.stage,
    cur.amount,
    prev.amount AS prev_amount,
    (cur.amount - prev.amount)::DECIMAL(20, 6) AS change,
    round(yoy(cur.amount, prev.amount), 4) AS pct_change,
    cur.unit_level,
    prev.stage AS prev_stage,
    cur.department_id,
    cur.unit_id
FROM _best_projects AS cur
LEFT JOIN _best_projects AS prev
    ON
        prev.department_id = cur.department_id
        AND prev.unit_id = cur.unit_id
        AND prev.unit_level = cur.unit_level
        AND prev.project = cur.project
        AND prev.fiscal_year = cur.fiscal_year - 1
QUALIFY row_number() OVER (
    PARTITION BY cur.department_id, cur.unit_id, cur.unit_level, cur.project, cur.fiscal_year, cur.stage
    ORDER BY
        prev.stage = cur.stage DESC NULLS LAST,
        CASE prev.stage WHEN 'final' THEN 1 WHEN 'actual' THEN 2 WHEN 'budget' THEN 3 ELSE 4 END
) = 1;
