-- composition: what each whole is made of, by function, economic class, basic / project, procurement type and 三公 category.
--
-- Question: What share of its parent (or of the whole) does each part of a unit's spending make up in a year?
-- Inputs: _best_spending_by_function, _best_spending_by_economic, _best_budget_totals, _best_procurement (A / B / C rows), _best_sangong.
-- Grain: one row per department_id, unit_id, unit_level, fiscal_year, stage, dimension and code. Filter on level to avoid double counting.
-- Dimensions: 'function' (code = func_code, every level); 'economic' (code = econ_code, 类 and 款, basic and project added together); 'spending_type' (code 'basic' / 'project' from basic_total / project_total); 'procurement_type' (code 'goods' / 'works' / 'services'); 'sangong' (code = category).
-- Parent: parent_amount is the amount of the parent code (款 → 类, 项 → 款) in the same unit and year; for the top level it is the whole: the sum of the dimension's top-level amounts, except for spending_type where it is the stated spending_total (else basic + project). A parent that no document states leaves parent_amount and share NULL.
-- Vintage: the figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one (vintage_priority).
-- Codes: function codes after the crosswalk; names are the latest names of the codes.
-- Rounding: money exact (DECIMAL(20,6)); share is a DOUBLE fraction rounded to 4 decimals in the view.
-- Columns:
--   department  the department as printed
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   dimension  'function', 'economic', 'spending_type', 'procurement_type' or 'sangong'
--   code  the part's code within its dimension
--   name  the part's name
--   amount  DECIMAL(20,6) 万元
--   parent_amount  the parent's amount, or the whole for the top level
--   share  amount / parent_amount, rounded to 4 decimals
--   level  1 for the top level; 2 and 3 for 款 / 项 (function) and 款 (economic) (added column)
--   parent_code  the parent's code; NULL at the top level (added column)
--   department_id  the department's stable id (datasets/departments/names.csv) (added in v2)
--   unit_id  the unit's stable id: the department_id for a consolidated figure, else the unit (or its alias's id) (added in v2)
-- Example:
--   SELECT dimension, code, name, amount, parent_amount, share
--   FROM composition
--   WHERE unit_level = 'department' AND fiscal_year = 2021 AND level = 1
--   ORDER BY dimension, code

CREATE OR REPLACE VIEW composition AS
WITH tree AS (
    SELECT
        department_id,
        department,
        unit_id,
        unit,
        unit_level,
        fiscal_year,
        stage,
        'function' AS dimension,
        func_code AS code,
        func_name AS name,
        total AS amount,
        func_level AS level,
        func_parent_code AS parent_code
    FROM _best_spending_by_function
    UNION ALL
    SELECT
        department_id,
        min(department) AS department,
        unit_id,
        min(unit) AS unit,
        unit_level,
        fiscal_year,
        stage,
        'economic' AS dimension,
        econ_code AS code,
        econ_name AS name,
        sum(amount) AS amount,
        econ_level AS level,
        CASE WHEN econ_level > 1 THEN left(econ_code, 3) END AS parent_code
    FROM _best_spending_by_economic
    WHERE econ_code IS NOT NULL
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage, econ_code, econ_name, econ_level
),

tree_whole AS (
    SELECT department_id, unit_id, unit_level, fiscal_year, stage, dimension, sum(amount) AS whole
    FROM tree
    WHERE level = 1
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage, dimension
),

tree_parts AS (
    SELECT
        t.department_id,
        t.department,
        t.unit_id,
        t.unit,
        t.unit_level,
        t.fiscal_year,
        t.stage,
        t.dimension,
        t.code,
        t.name,
        t.amount,
        CASE WHEN t.level = 1 THEN w.whole ELSE p.amount END AS parent_amount,
        t.level,
        t.parent_code
    FROM tree AS t
    LEFT JOIN tree AS p
        ON
            p.department_id = t.department_id
            AND p.unit_id = t.unit_id
            AND p.unit_level = t.unit_level
            AND p.fiscal_year = t.fiscal_year
            AND p.stage = t.stage
            AND p.dimension = t.dimension
            AND p.code = t.parent_code
    LEFT JOIN tree_whole AS w
        ON
            w.department_id = t.department_id
            AND w.unit_id = t.unit_id
            AND w.unit_level = t.unit_level
            AND w.fiscal_year = t.fiscal_year
            AND w.stage = t.stage
            AND w.dimension = t.dimension
),

totals AS (
    SELECT
        department_id,
        min(department) AS department,
        unit_id,
        min(unit) AS unit,
        unit_level,
        fiscal_year,
        stage,
        max(amount) FILTER (WHERE measure = 'spending_total') AS spending_total,
        max(amount) FILTER (WHERE measure = 'basic_total') AS basic_total,
        max(amount) FILTER (WHERE measure = 'project_total') AS project_total
    FROM _best_budget_totals
    WHERE measure IN ('spending_total', 'basic_total', 'project_total')
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage
),

spending_type AS (
    SELECT
        department_id,
        department,
        unit_id,
        unit,
        unit_level,
        fiscal_year,
        stage,
        'spending_type' AS dimension,
        part.code,
        part.name,
        part.amount,
        coalesce(spending_total, basic_total + project_total) AS parent_amount,
        1 AS level,
        NULL AS parent_code
    FROM totals,
        unnest([
            {'code': 'basic', 'name': '基本支出', 'amount': basic_total},
            {'code': 'project', 'name': '项目支出', 'amount': project_total}
        ]) AS u(part)
    WHERE part.amount IS NOT NULL
),

flat AS (
    SELECT
        department_id,
        min(department) AS department,
        unit_id,
        min(unit) AS unit,
        unit_level,
        fiscal_year,
        stage,
        'procurement_type' AS dimension,
        procurement_type AS code,
        CASE procurement_type WHEN 'goods' THEN '货物' WHEN 'works' THEN '工程' WHEN 'services' THEN '服务' END AS name,
        sum(amount) AS amount
    FROM _best_procurement
    WHERE item_level = 1
    GROUP BY department_id, unit_id, unit_level, fiscal_year, stage, procurement_type
    UNION ALL
    SELECT
        department_id,
        department,
        unit_id,
        unit,
        unit_level,
        fiscal_year,
        stage,
        'sangong' AS dimension,
        category AS code,
        category_name AS name,
        amount
    FROM _best_sangong
),

flat_parts AS (
    SELECT
        *,
        sum(amount) OVER (PARTITION BY department_id, unit_id, unit_level, fiscal_year, stage, dimension) AS parent_amount,
        1 AS level,
        NULL AS parent_code
    FROM flat
),

parts AS (
    SELECT * FROM tree_parts
    UNION ALL BY NAME
    SELECT * FROM spending_type
    UNION ALL BY NAME
    SELECT * FROM flat_parts
)

SELECT
    department,
    unit,
    unit_level,
    fiscal_year,
    stage,
    dimension,
    code,
    name,
    amount::DECIMAL(20, 6) AS amount,
    parent_amount::DECIMAL(20, 6) AS parent_amount,
    round(share(amount, parent_amount), 4) AS share,
    level::INTEGER AS level,
    parent_code::VARCHAR AS parent_code,
    department_id,
    unit_id
FROM parts;
