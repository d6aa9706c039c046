-- _best_projects: projects with one figure per project, year and stage.
--
-- Question: What is the one figure for each project, year and stage, once several documents state it (a 2021 budget states 2019 actual and 2020 budget figures too)?
-- Inputs: projects.
-- Grain: one row per department_id, unit_id, unit_level, project, fiscal_year and stage.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority); then a figure of the document's own stage wins (a 预算's budget figure over the 预算数 column a 决算 prints for the same year).
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed in the chosen document
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id)
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   project  the project's name as printed: the key of its series
--   amount  DECIMAL(20,6) 万元
--   doc_id  the document the chosen figure comes from
--   vintage  the year of that document
--   derived  true where that document computed rather than printed the figure
--   source_table  where in that document
--   source_line  1-based line in that document
-- Example:
--   SELECT unit, fiscal_year, stage, amount, vintage
--   FROM _best_projects
--   WHERE project = '政务服务管理'
--   ORDER BY fiscal_year, stage

CREATE OR REPLACE VIEW _best_projects_source AS
SELECT
    department_id,
    department,
    unit_id,
    unit,
    unit_level,
    fiscal_year,
    stage,
    project,
    amount,
    doc_id,
    coalesce(vintage, fiscal_year) AS vintage,
    coalesce(derived, false) AS derived,
    source_table,
    source_line
FROM projects
LEFT JOIN (SELECT doc_id, stage AS doc_stage FROM doc_registry) AS own USING (doc_id)
QUALIFY row_number() OVER (
    PARTITION BY department_id, unit_id, unit_level, project, fiscal_year, stage
    ORDER BY vintage_priority(vintage, fiscal_year, derived) DESC, own.doc_stage = stage DESC NULLS LAST, doc_id
) = 1;
