-- peer_compare: a department against the other departments of the same government, year and stage.
--
-- Question: How does a department compare with its peers this year — in total, in the split between basic and project spending, on 三公 (and 三公 per staff member), and in the share of each function 类 — and where does it rank?
-- Inputs: department_totals (the department's own rows, unit_level 'department') and _best_spending_by_function (the 类 rows, func_level 1).
-- Grain: one row per government, fiscal_year, stage, department_id and metric that the department has.
-- Peers: the departments of one government — the department_id up to its first 省 / 市 and, where one follows within three characters, its 区 / 县 ("深圳市", "上海市普陀区"; a leading 中共 is dropped, so 中共深圳市委宣传部 is of 深圳市) — in the same fiscal_year and stage. The department itself is one of them; peer_count counts them all.
-- Metrics: revenue_total, spending_total, basic_total, project_total and sangong_total (万元); project_share (project_total / (basic_total + project_total)); sangong_per_staff (万元 per person, where staff are known); func_share_<类 code> (the 类's total / the sum of the department's 类). A department without a figure has no row for that metric: the quartiles and the rank are over the departments that have it.
-- Rank: 1 is the largest value among the peers (ties share a rank).
-- Vintage: as department_totals and _best_spending_by_function (the year's own document wins).
-- Not materialized: it compares departments with each other, so it is computed when queried (from the materialized tables).
-- Rounding: value, peer_median, peer_p25 and peer_p75 are DOUBLE (万元, or fractions for shares) rounded to 6 decimals; the exact figures are in department_totals.
-- Columns:
--   government  the government the department belongs to, from its name
--   fiscal_year  the year the figures are for
--   stage  'budget', 'final' or 'actual'
--   department_id  the department's stable id (datasets/departments/names.csv)
--   department  the department as printed
--   metric  revenue_total, spending_total, basic_total, project_total, project_share, sangong_total, sangong_per_staff, or func_share_<类 code>
--   metric_name  the metric in Chinese (the 类 name for a function share)
--   value  the department's figure: 万元, or a fraction for a share
--   peer_count  how many departments of the government have this metric in that year and stage
--   peer_median  the median over them (DOUBLE)
--   peer_p25  the first quartile (DOUBLE)
--   peer_p75  the third quartile (DOUBLE)
--   rank  the department's rank among them, 1 = largest
--   vs_median  value / peer_median; NULL when the median is 0
-- Example:
--   SELECT government, fiscal_year, department, value, peer_median, rank, peer_count
--   FROM peer_compare
--   WHERE metric = 'revenue_total'
--   ORDER BY government, fiscal_year, rank

CREATE OR REPLACE VIEW peer_compare AS
WITH dept AS (
    SELECT
        regexp_extract(regexp_replace(department_id, '^中共', ''), '^(.{2,8}?[省市](?:.{1,3}?[区县])?)', 1) AS government,
        *
    FROM department_totals
    WHERE unit_level = 'department'
),

totals AS (
    SELECT government, fiscal_year, stage, department_id, department, metric, metric_name, value
    FROM dept
    UNPIVOT (
        value FOR metric IN (
            revenue_total, spending_total, basic_total, project_total, sangong_total, sangong_per_staff
        )
    )
    CROSS JOIN LATERAL (
        SELECT CASE metric
            WHEN 'revenue_total' THEN '收入总计'
            WHEN 'spending_total' THEN '支出总计'
            WHEN 'basic_total' THEN '基本支出'
            WHEN 'project_total' THEN '项目支出'
            WHEN 'sangong_total' THEN '三公经费'
            ELSE '人均三公经费'
        END AS metric_name
    )
),

shares AS (
    SELECT
        government, fiscal_year, stage, department_id, department,
        'project_share' AS metric,
        '项目支出占比' AS metric_name,
        project_total::DOUBLE / nullif(basic_total + project_total, 0) AS value
    FROM dept
    WHERE basic_total IS NOT NULL AND project_total IS NOT NULL
),

classes AS (
    SELECT
        regexp_extract(regexp_replace(department_id, '^中共', ''), '^(.{2,8}?[省市](?:.{1,3}?[区县])?)', 1) AS government,
        fiscal_year, stage, department_id, department,
        'func_share_' || func_code AS metric,
        func_name AS metric_name,
        total::DOUBLE / nullif(sum(total) OVER (PARTITION BY department_id, fiscal_year, stage), 0) AS value
    FROM _best_spending_by_function
    WHERE func_level = 1 AND unit_level = 'department'
),

metrics AS (
    SELECT government, fiscal_year, stage, department_id, department, metric, metric_name, value::DOUBLE AS value
    FROM totals
    WHERE value IS NOT NULL
    UNION ALL
    SELECT * FROM shares WHERE value IS NOT NULL
    UNION ALL
    SELECT * FROM classes WHERE value IS NOT NULL
)

SELECT
    government,
    fiscal_year,
    stage,
    department_id,
    department,
    metric,
    metric_name,
    round(value, 6) AS value,
    count(*) OVER peers AS peer_count,
    round(quantile_cont(value, 0.5) OVER peers, 6) AS peer_median,
    round(quantile_cont(value, 0.25) OVER peers, 6) AS peer_p25,
    round(quantile_cont(value, 0.75) OVER peers, 6) AS peer_p75,
    rank() OVER (PARTITION BY government, fiscal_year, stage, metric ORDER BY value DESC) AS rank,
    round(value / nullif(quantile_cont(value, 0.5) OVER peers, 0), 6) AS vs_median
FROM metrics
WINDOW peers AS (PARTITION BY government, fiscal_year, stage, metric);
