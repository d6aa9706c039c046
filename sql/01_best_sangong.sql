-- _best_sangong: sangong (三公经费) with one figure per category and year.
--
-- Question: What is the one 三公 figure for each category, unit and year, once several documents state it?
-- Inputs: sangong.
-- Grain: one row per department_id, unit_id, unit_level, category, fiscal_year and stage.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority); then a figure of the document's own stage wins (a 预算's budget figure over the 预算数 column a 决算 prints for the same year).
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed in the chosen document
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id)
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   category  'overseas_travel', 'reception', 'vehicle_purchase' or 'vehicle_operation'
--   category_name  the name as printed in the chosen document
--   amount  DECIMAL(20,6) 万元
--   doc_id  the document the chosen figure comes from
--   vintage  the year of that document
--   derived  true where that document computed rather than printed the figure
--   source_table  where in that document
--   source_line  1-based line in that document
-- Example:
--   SELECT fiscal_year, category, amount, vintage
--   FROM _best_sangong
--   WHERE unit = '深圳市龙岗区大数据中心'
--   ORDER BY category, fiscal_year

CREATE OR REPLACE VIEW _best_sangong_source AS
SELECT
    department_id,
    department,
    unit_id,
    unit,
    unit_level,
    fiscal_year,
    stage,
    category,
    category_name,
    amount,
    doc_id,
    coalesce(vintage, fiscal_year) AS vintage,
    coalesce(derived, false) AS derived,
    source_table,
    source_line
FROM sangong
LEFT JOIN (SELECT doc_id, stage AS doc_stage FROM doc_registry) AS own USING (doc_id)
QUALIFY row_number() OVER (
    PARTITION BY department_id, unit_id, unit_level, category, fiscal_year, stage
    ORDER BY vintage_priority(vintage, fiscal_year, derived) DESC, own.doc_stage = stage DESC NULLS LAST, doc_id
) = 1;
