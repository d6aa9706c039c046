-- procurement_mix: 政府采购 by type (goods / works / services) and its share.
--
-- Question: How is a unit's planned procurement split between goods (A 货物), works (B 工程) and services (C 服务)?
-- Inputs: _best_procurement (procurement after the vintage rule), its A / B / C rows (item_level 1).
-- Grain: one row per department_id, unit_id, unit_level, fiscal_year and procurement_type.
-- Stage: budget figures (stage 'budget') only.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority).
-- Total: share divides by the sum of the types of that unit and year (equal to procurement_total where the document is consistent).
-- Rounding: money exact (DECIMAL(20,6)); share is a DOUBLE fraction rounded to 4 decimals in the view.
-- Columns:
--   department  the department as printed
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   procurement_type  'goods', 'works' or 'services'
--   amount  DECIMAL(20,6) 万元
--   share  amount / the sum of the types, rounded to 4 decimals
--   department_id  the department's stable id (datasets/departments/names.csv): series follow it across renames (added in v2)
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id) (added in v2)
-- Example:
--   SELECT unit, procurement_type, amount, share
--   FROM procurement_mix
--   WHERE fiscal_year = 2021
--   ORDER BY unit, procurement_type

CREATE OR REPLACE VIEW procurement_mix AS
WITH types AS (
    SELECT
        department_id, min(department) AS department, unit_id, min(unit) AS unit, unit_level, fiscal_year,
        procurement_type, sum(amount)::DECIMAL(20, 6) AS amount
    FROM _best_procurement
    WHERE stage = 'budget' AND item_level = 1
    GROUP BY department_id, unit_id, unit_level, fiscal_year, procurement_type
)

SELECT
    department,
    unit,
    unit_level,
    fiscal_year,
    procurement_type,
    amount,
    round(share(amount, sum(amount) OVER (PARTITION BY department_id, unit_id, unit_level, fiscal_year)), 4) AS share,
    department_id,
    unit_id
FROM types;
