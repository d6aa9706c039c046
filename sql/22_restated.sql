-- restated: function-class series restated to the latest classification edition, with every change a series crosses named.
--
-- Question: Can a department's spending by function 类 / 款 / 项 be compared across years when the 政府收支分类科目 changed in between — and where it cannot be trusted, which change is in the way?
-- Inputs: _best_spending_by_function (codes renumbered by the crosswalk, the vintage rule), spending_by_function (the printed rows, for the amounts a renumbering moves), code_crosswalk (datasets/classification/function-crosswalk.csv), classification_function (the 2021 edition's names).
-- Grain: one row per department_id, unit_id, unit_level, func_code, fiscal_year and stage, as _best_spending_by_function, plus the 类 / 款 rows a renumbering creates in a year that printed none.
-- Restating: a 项 a document printed under an old code (its vintage before the crosswalk row's from_year) counts under the new code (as in _best_spending_by_function); its amount also leaves the old code's 类 and 款 and joins the new code's, where they differ, so 类 and 款 totals of old documents are those of the latest edition. restated_by names the moves applied to a row.
-- Changes: a series (department_id, unit_id, unit_level, func_code, stage) crosses a change where its first year is before the change's year and its last year is at or after it. Three kinds are named: a crosswalk row whose from_year is not verified against the published 科目 ('mapped, unverified'); a crosswalk row with no new code ('unmapped': the change is known, the amounts cannot be moved); a code printed under another name than in an earlier year, the 2021 edition's name counting as the name of 2021 ('renamed, not in the crosswalk': its content may have changed). crosses_change is true where any is crossed: read the series across that year with care.
-- Vintage: as _best_spending_by_function (the year's own document wins).
-- Not materialized: it reads the printed rows of every department to find renamed codes, so it is computed when queried.
-- Rounding: none; amounts DECIMAL(20,6) 万元.
-- Columns:
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed in the chosen document
--   unit_id  the unit's stable id
--   unit  the budget unit, or the department's name for a consolidated figure
--   unit_level  'department' or 'unit'
--   fiscal_year  the year the figure is for
--   stage  'budget', 'final' or 'actual'
--   func_code  the function code in the latest edition (after the crosswalk)
--   func_name  the code's name (as _best_spending_by_function)
--   func_level  1 = 类, 2 = 款, 3 = 项
--   total  the restated amount, DECIMAL(20,6) 万元
--   basic  the restated 基本支出, where known
--   project  the restated 项目支出, where known
--   printed_total  the amount printed for this code in the document; NULL where the row is created by restating
--   restated  true where total differs from printed_total or the row counts codes printed under other numbers
--   restated_by  the moves applied ('2100501→2101101'), or NULL
--   crosses_change  true where the series crosses a change that is unmapped, unverified or a rename not in the crosswalk
--   change_note  the changes the series crosses, each with its year and kind; NULL where none
--   doc_id  the document the figure comes from
--   source_table  where in that document
--   source_line  1-based line in that document (NULL for a created row)
-- Example:
--   SELECT fiscal_year, func_code, func_name, printed_total, total, restated_by, change_note
--   FROM restated
--   WHERE department_id = '深圳市龙岗区政务服务数据管理局' AND unit_level = 'department' AND func_level = 1
--   ORDER BY func_code, fiscal_year

CREATE OR REPLACE VIEW restated AS
WITH moves AS (
    -- The 项 / 款 amounts printed under a code the crosswalk renumbers, with the one crosswalk row that applies;
    -- only from the document the vintage rule chose for the new code (another document's would count twice).
    SELECT
        f.doc_id, f.department_id, f.unit_id, f.unit_level, f.fiscal_year, f.stage,
        f.func_code AS old_code, x.new_code, f.total, f.basic, f.project
    FROM spending_by_function AS f
    JOIN code_crosswalk AS x
        ON x.old_code = f.func_code AND coalesce(f.vintage, f.fiscal_year) < x.from_year AND x.new_code IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY f.doc_id, f.unit_id, f.unit_level, f.fiscal_year, f.stage, f.func_code ORDER BY x.from_year
    ) = 1
),

chosen_moves AS (
    SELECT m.*
    FROM moves AS m
    JOIN _best_spending_by_function AS b
        ON
            b.doc_id = m.doc_id AND b.unit_id = m.unit_id AND b.unit_level = m.unit_level
            AND b.fiscal_year = m.fiscal_year AND b.stage = m.stage AND b.func_code = m.new_code
),

adjustments AS (
    -- A move leaves the old code's 类 / 款 and joins the new code's, where they differ (only levels above the code).
    SELECT
        m.doc_id, m.department_id, m.unit_id, m.unit_level, m.fiscal_year, m.stage,
        a.code,
        sum(a.sign * m.total) AS total,
        CASE WHEN count(m.basic) = count(*) THEN sum(a.sign * m.basic) END AS basic,
        CASE WHEN count(m.project) = count(*) THEN sum(a.sign * m.project) END AS project,
        string_agg(DISTINCT m.old_code || '→' || m.new_code, ', ' ORDER BY m.old_code || '→' || m.new_code) AS moves
    FROM chosen_moves AS m,
        unnest([
            {'code': left(m.old_code, 3), 'sign': -1}, {'code': left(m.old_code, 5), 'sign': -1},
            {'code': left(m.new_code, 3), 'sign': 1}, {'code': left(m.new_code, 5), 'sign': 1}
        ]) AS u(a)
    WHERE
        (a.sign = -1 AND length(a.code) < length(m.old_code) AND NOT starts_with(m.new_code, a.code))
        OR (a.sign = 1 AND length(a.code) < length(m.new_code) AND NOT starts_with(m.old_code, a.code))
    GROUP BY ALL
),

rows AS (
    SELECT
        coalesce(b.department_id, a.department_id) AS department_id,
        b.department,
        coalesce(b.unit_id, a.unit_id) AS unit_id,
        b.unit,
        coalesce(b.unit_level, a.unit_level) AS unit_level,
        coalesce(b.fiscal_year, a.fiscal_year) AS fiscal_year,
        coalesce(b.stage, a.stage) AS stage,
        coalesce(b.func_code, a.code) AS func_code,
        b.func_name,
        (b.total + coalesce(a.total, 0))::DECIMAL(20, 6) AS total,
        (b.basic + CASE WHEN a.code IS NULL THEN 0 ELSE a.basic END)::DECIMAL(20, 6) AS basic,
        (b.project + CASE WHEN a.code IS NULL THEN 0 ELSE a.project END)::DECIMAL(20, 6) AS project,
        CASE WHEN b.func_code IS NOT NULL AND b.printed_code = b.func_code THEN b.total END AS printed_total,
        concat_ws(
            ', ',
            CASE WHEN b.printed_code <> b.func_code THEN b.printed_code || '→' || b.func_code END,
            a.moves
        ) AS restated_by,
        coalesce(b.doc_id, a.doc_id) AS doc_id,
        b.source_table,
        b.source_line,
        a.total AS created_total,
        a.basic AS created_basic,
        a.project AS created_project
    FROM _best_spending_by_function AS b
    FULL JOIN adjustments AS a
        ON
            a.doc_id = b.doc_id
            AND a.unit_id = b.unit_id
            AND a.unit_level = b.unit_level
            AND a.fiscal_year = b.fiscal_year
            AND a.stage = b.stage
            AND a.code = b.func_code
    -- A created 类 / 款 stands only where no document gives the code for that year (the vintage rule chose none).
    WHERE
        b.func_code IS NOT NULL
        OR NOT EXISTS (
            SELECT 1 FROM _best_spending_by_function AS o
            WHERE
                o.unit_id = a.unit_id AND o.unit_level = a.unit_level AND o.fiscal_year = a.fiscal_year
                AND o.stage = a.stage AND o.func_code = a.code
        )
),

names AS (
    SELECT code, name FROM classification_function
    UNION ALL
    SELECT func_code, min(func_name) FROM _best_spending_by_function
    WHERE func_code NOT IN (SELECT code FROM classification_function)
    GROUP BY func_code
),

year_names AS (
    -- The name a code was printed under each year (the commonest, spaces and bracket widths aside), and the 2021 edition's.
    SELECT func_code AS code, fiscal_year AS year, mode(replace(replace(replace(func_name, ' ', ''), '(', '（'), ')', '）')) AS name
    FROM spending_by_function
    GROUP BY func_code, fiscal_year
    UNION ALL
    SELECT code, 2021, replace(replace(replace(name, ' ', ''), '(', '（'), ')', '）') FROM classification_function
    WHERE code NOT IN (SELECT func_code FROM spending_by_function WHERE fiscal_year = 2021)
),

renames AS (
    SELECT code, year, previous || ' → ' || name AS what
    FROM (SELECT *, lag(name) OVER (PARTITION BY code ORDER BY year) AS previous FROM year_names)
    WHERE previous IS NOT NULL AND previous <> name
),

changes AS (
    -- An unverified move touches its new code and the 类 / 款 it leaves or joins.
    SELECT DISTINCT
        touched.code AS code, x.from_year AS year, x.old_code || '→' || x.new_code AS what, 'mapped, unverified' AS status
    FROM code_crosswalk AS x,
        unnest([x.new_code, left(x.new_code, 5), left(x.old_code, 5), left(x.new_code, 3), left(x.old_code, 3)]) AS touched(code)
    WHERE
        x.new_code IS NOT NULL AND NOT coalesce(x.verified, false)
        AND (touched.code = x.new_code OR NOT (starts_with(x.old_code, touched.code) AND starts_with(x.new_code, touched.code)))
    UNION ALL
    SELECT prefix.code, x.from_year, x.old_code || ' (no new code)', 'unmapped'
    FROM code_crosswalk AS x, unnest([x.old_code, left(x.old_code, 5), left(x.old_code, 3)]) AS prefix(code)
    WHERE x.new_code IS NULL
    UNION ALL
    SELECT code, year, what, 'renamed, not in the crosswalk'
    FROM renames
    WHERE NOT EXISTS (SELECT 1 FROM code_crosswalk AS x WHERE renames.code IN (x.old_code, x.new_code))
),

series AS (
    SELECT
        *,
        min(fiscal_year) OVER s AS first_year,
        max(fiscal_year) OVER s AS last_year
    FROM rows
    WINDOW s AS (PARTITION BY department_id, unit_id, unit_level, func_code, stage)
),

crossed AS (
    SELECT
        s.department_id, s.unit_id, s.unit_level, s.func_code, s.stage,
        string_agg(DISTINCT c.year || ' ' || c.what || ' (' || c.status || ')', '; ') AS change_note
    FROM (SELECT DISTINCT department_id, unit_id, unit_level, func_code, stage, first_year, last_year FROM series) AS s
    JOIN changes AS c ON c.code = s.func_code AND s.first_year < c.year AND c.year <= s.last_year
    GROUP BY ALL
)

SELECT
    s.department_id,
    coalesce(s.department, s.department_id) AS department,
    s.unit_id,
    coalesce(s.unit, s.unit_id) AS unit,
    s.unit_level,
    s.fiscal_year,
    s.stage,
    s.func_code,
    coalesce(s.func_name, n.name) AS func_name,
    CASE length(s.func_code) WHEN 3 THEN 1 WHEN 5 THEN 2 ELSE 3 END AS func_level,
    coalesce(s.total, s.created_total)::DECIMAL(20, 6) AS total,
    coalesce(s.basic, s.created_basic)::DECIMAL(20, 6) AS basic,
    coalesce(s.project, s.created_project)::DECIMAL(20, 6) AS project,
    s.printed_total,
    coalesce(s.restated_by, '') <> '' AS restated,
    nullif(s.restated_by, '') AS restated_by,
    c.change_note IS NOT NULL AS crosses_change,
    c.change_note,
    s.doc_id,
    s.source_table,
    s.source_line
FROM series AS s
LEFT JOIN crossed AS c USING (department_id, unit_id, unit_level, func_code, stage)
LEFT JOIN names AS n ON n.code = s.func_code;
