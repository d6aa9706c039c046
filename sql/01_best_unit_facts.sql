-- _best_unit_facts: unit_facts (staffing, vehicles, equipment) with one value per fact and year.
--
-- Question: What is the one value of each stated count (staff_actual, vehicles …), unit and year, once several documents state it?
-- Inputs: unit_facts.
-- Grain: one row per department_id, unit_id, unit_level, fact, fiscal_year and stage.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority); then a figure of the document's own stage wins (a 预算's budget figure over the 预算数 column a 决算 prints for the same year).
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed in the chosen document
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id)
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the value is for
--   stage  'budget', 'final' or 'actual'
--   fact  'staff_authorized', 'staff_actual', 'admin_actual', 'institution_actual', 'vehicles' …
--   value  DECIMAL(20,6)
--   measure_unit  人, 辆, 台（套） …
--   doc_id  the document the chosen value comes from
--   vintage  the year of that document
--   derived  true where that document computed rather than printed the value
--   source_table  where in that document
--   source_line  1-based line in that document
-- Example:
--   SELECT unit, fact, value, measure_unit
--   FROM _best_unit_facts
--   WHERE fiscal_year = 2021 AND fact LIKE '%actual'
--   ORDER BY unit, fact

CREATE OR REPLACE VIEW _best_unit_facts_source AS
SELECT
    department_id,
    department,
    unit_id,
    unit,
    unit_level,
    fiscal_year,
    stage,
    fact,
    value,
    measure_unit,
    doc_id,
    coalesce(vintage, fiscal_year) AS vintage,
    coalesce(derived, false) AS derived,
    source_table,
    source_line
FROM unit_facts
LEFT JOIN (SELECT doc_id, stage AS doc_stage FROM doc_registry) AS own USING (doc_id)
QUALIFY row_number() OVER (
    PARTITION BY department_id, unit_id, unit_level, fact, fiscal_year, stage
    ORDER BY vintage_priority(vintage, fiscal_year, derived) DESC, own.doc_stage = stage DESC NULLS LAST, doc_id
) = 1;
