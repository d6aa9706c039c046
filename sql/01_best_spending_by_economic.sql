-- _best_spending_by_economic: spending_by_economic with one figure per economic code, type and year.
--
-- Question: What is the one figure for each economic code (basic or project), unit and year, once several documents state it?
-- Inputs: spending_by_economic.
-- Grain: one row per department_id, unit_id, unit_level, spending_type, econ_code (the name where no code is known), fiscal_year and stage.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority); then a figure of the document's own stage wins (a 预算's budget figure over the 预算数 column a 决算 prints for the same year).
-- Codes: the code is the key of a series; econ_name is the latest name printed for the code (by vintage, then fiscal year).
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed in the chosen document
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id)
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   spending_type  'basic' or 'project'
--   econ_code  3-digit 类 or 5-digit 款; NULL where neither printed nor inferred
--   econ_name  the latest name of econ_code
--   econ_level  1 for 类, 2 for 款
--   amount  DECIMAL(20,6) 万元
--   doc_id  the document the chosen figure comes from
--   vintage  the year of that document
--   derived  true where that document computed rather than printed the figure
--   source_table  where in that document
--   source_line  1-based line in that document
-- Example:
--   SELECT spending_type, econ_code, econ_name, amount
--   FROM _best_spending_by_economic
--   WHERE unit_level = 'department' AND econ_level = 1 AND fiscal_year = 2021
--   ORDER BY spending_type, econ_code

CREATE OR REPLACE VIEW _best_spending_by_economic_source AS
WITH names AS (
    SELECT
        econ_code,
        first(econ_name ORDER BY coalesce(vintage, fiscal_year) DESC, fiscal_year DESC, econ_name) AS latest_name
    FROM spending_by_economic
    WHERE econ_code IS NOT NULL
    GROUP BY econ_code
)

SELECT
    e.department_id,
    e.department,
    e.unit_id,
    e.unit,
    e.unit_level,
    e.fiscal_year,
    e.stage,
    e.spending_type,
    e.econ_code,
    coalesce(n.latest_name, e.econ_name) AS econ_name,
    e.econ_level,
    e.amount,
    e.doc_id,
    coalesce(e.vintage, e.fiscal_year) AS vintage,
    coalesce(e.derived, false) AS derived,
    e.source_table,
    e.source_line
FROM spending_by_economic AS e
LEFT JOIN names AS n ON n.econ_code = e.econ_code
LEFT JOIN (SELECT doc_id, stage AS doc_stage FROM doc_registry) AS own ON own.doc_id = e.doc_id
QUALIFY row_number() OVER (
    PARTITION BY
        e.department_id, e.unit_id, e.unit_level, e.spending_type, coalesce(e.econ_code, e.econ_name), e.fiscal_year, e.stage
    ORDER BY vintage_priority(e.vintage, e.fiscal_year, e.derived) DESC, own.doc_stage = e.stage DESC NULLS LAST, e.doc_id
) = 1;
