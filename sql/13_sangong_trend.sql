-- sangong_trend: 三公经费 by category over the years.
--
-- Question: How did each 三公 category (overseas travel, reception, vehicle purchase, vehicle operation) change from one year to the next, and what share of the 三公 total is it?
-- Inputs: _best_sangong (sangong after the vintage rule).
-- Grain: one row per department_id, unit_id, unit_level, fiscal_year and category.
-- Stage: budget figures (stage 'budget') only, so that a year is compared with the year before at the same stage.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority).
-- Total: share_of_total divides by the sum of the categories of that unit and year, so that shares add up to 1; the printed sangong_total is in department_totals.
-- Rounding: money exact (DECIMAL(20,6)); pct_change and share_of_total are DOUBLE fractions rounded to 4 decimals in the view.
-- Columns:
--   department  the department as printed
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   category  'overseas_travel', 'reception', 'vehicle_purchase' or 'vehicle_operation'
--   amount  DECIMAL(20,6) 万元
--   prev_amount  amount of fiscal_year - 1; NULL when unknown
--   change  amount - prev_amount
--   pct_change  yoy(amount, prev_amount) rounded to 4 decimals; NULL when prev_amount is NULL or 0
--   share_of_total  amount / the sum of the categories, rounded to 4 decimals
--   department_id  the department's stable id (datasets/departments/names.csv): series follow it across renames (added in v2)
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id) (added in v2)
-- Example:
--   SELECT unit, fiscal_year, category, amount, prev_amount, change, pct_change, share_of_total
--   FROM sangong_trend
--   WHERE fiscal_year = 2021
--   ORDER BY unit, category

CREATE OR REPLACE VIEW sangong_trend AS
WITH budget AS (
    SELECT department_id, department, unit_id, unit, unit_level, fiscal_year, category, amount
    FROM _best_sangong
    WHERE stage = 'budget'
)

SELECT
    cur.department,
    cur.unit,
    cur.unit_level,
    cur.fiscal_year,
    cur.category,
    cur.amount,
    prev.amount AS prev_amount,
    (cur.amount - prev.amount)::DECIMAL(20, 6) AS change,
    round(yoy(cur.amount, prev.amount), 4) AS pct_change,
    round(
        share(cur.amount, sum(cur.amount) OVER (PARTITION BY cur.department_id, cur.unit_id, cur.unit_level, cur.fiscal_year)),
        4
    ) AS share_of_total,
    cur.department_id,
    cur.unit_id
FROM budget AS cur
LEFT JOIN budget AS prev
    ON
        prev.department_id = cur.department_id
        AND prev.unit_id = cur.unit_id
        AND prev.unit_level = cur.unit_level
        AND prev.category = cur.category
        AND prev.fiscal_year = cur.fiscal_year - 1;
