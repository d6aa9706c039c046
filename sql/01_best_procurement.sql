-- _best_procurement: procurement (政府采购) with one figure per item and year.
--
-- Question: What is the one procurement figure for each item (or A / B / C type row), unit and year, once several documents state it?
-- Inputs: procurement.
-- Grain: one row per department_id, unit_id, unit_level, procurement_type, item_level, item_code (the name where no code is printed), fiscal_year and stage.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority); then a figure of the document's own stage wins (a 预算's budget figure over the 预算数 column a 决算 prints for the same year).
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed in the chosen document
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id)
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   procurement_type  'goods', 'works' or 'services'
--   item_level  1 for the A / B / C rows, deeper for catalogue items
--   item_code  the catalogue code as printed
--   item_name  the item as printed
--   amount  DECIMAL(20,6) 万元
--   doc_id  the document the chosen figure comes from
--   vintage  the year of that document
--   derived  true where that document computed rather than printed the figure
--   source_table  where in that document
--   source_line  1-based line in that document
-- Example:
--   SELECT unit, procurement_type, amount
--   FROM _best_procurement
--   WHERE item_level = 1 AND fiscal_year = 2021
--   ORDER BY unit, procurement_type

CREATE OR REPLACE VIEW _best_procurement_source AS
SELECT
    department_id,
    department,
    unit_id,
    unit,
    unit_level,
    fiscal_year,
    stage,
    procurement_type,
    item_level,
    item_code,
    item_name,
    amount,
    doc_id,
    coalesce(vintage, fiscal_year) AS vintage,
    coalesce(derived, false) AS derived,
    source_table,
    source_line
FROM procurement
LEFT JOIN (SELECT doc_id, stage AS doc_stage FROM doc_registry) AS own USING (doc_id)
QUALIFY row_number() OVER (
    PARTITION BY
        department_id, unit_id, unit_level, procurement_type, item_level, coalesce(item_code, item_name), fiscal_year, stage
    ORDER BY vintage_priority(vintage, fiscal_year, derived) DESC, own.doc_stage = stage DESC NULLS LAST, doc_id
) = 1;
