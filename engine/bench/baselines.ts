/**
 * Hand-written DuckDB queries over the base tables (fact_*, code_crosswalk, code_function) that compute the
 * same rows as each analysis view of sql/: the baseline the views are measured against. They apply the
 * same vintage rule (own-year document first, then the latest vintage, printed before derived, then doc_id)
 * and the same code crosswalk, but written the direct way: filters pushed below the window, the previous
 * year by lag() instead of a self-join, the crosswalk by an ASOF join, no provenance columns carried.
 * The bench checks that each pair returns the same rows (count and checksum) before it times them.
 */
import { Engine, quote } from '../engine.ts';

/** ORDER BY of the vintage rule (vintage_priority … DESC, doc_id) over raw fact columns. */
const VINTAGE = (t = '') =>
  `(coalesce(${t}vintage, ${t}fiscal_year) = ${t}fiscal_year) DESC, coalesce(${t}vintage, ${t}fiscal_year) DESC, coalesce(${t}derived, false), ${t}doc_id`;

/**
 * The vintage rule as a QUALIFY clause: of the rows of one fact (same department, unit, unit_level and `keys`),
 * the best one. `t` prefixes the columns of the vintage rule (a table alias).
 */
const BEST_BY_VINTAGE = (keys: string, t = '') =>
  `QUALIFY row_number() OVER (PARTITION BY ${t}department, ${t}unit, ${t}unit_level, ${keys} ORDER BY ${VINTAGE(t)}) = 1`;

/**
 * spending_by_function after the crosswalk, one merged row per document and code, then the vintage rule.
 * `where` filters merged rows before the window (only on partition columns).
 */
function bestFunction(opts: { where?: string; names: boolean; department?: string }): string {
  const crosswalk = (from: string) => `${from}
    ASOF LEFT JOIN code_crosswalk AS x
        ON x.old_code = f.func_code AND x.from_year > coalesce(f.vintage, f.fiscal_year)`;
  return `
mapped AS (
    SELECT
        f.doc_id, f.department, f.unit, f.unit_level, f.fiscal_year, f.stage, f.func_code, f.func_name, f.func_level, f.total,
        coalesce(f.vintage, f.fiscal_year) AS v,
        coalesce(f.derived, false) AS is_derived,
        coalesce(x.new_code, f.func_code) AS code
    FROM ${crosswalk(`${scoped('fact_spending_by_function', opts.department)} AS f`)}
),
merged AS (
    SELECT
        doc_id, department, unit, unit_level, fiscal_year, stage, code, v,
        bool_or(is_derived) AS derived,
        sum(total)::DECIMAL(20, 6) AS total,
        any_value(func_level) AS printed_level
    FROM mapped
    ${opts.where ? `WHERE ${opts.where}` : ''}
    GROUP BY doc_id, department, unit, unit_level, fiscal_year, stage, code, v
),
best_f AS (
    SELECT
        department, unit, unit_level, fiscal_year, stage, code, total,
        CASE length(code) WHEN 3 THEN 1 WHEN 5 THEN 2 WHEN 7 THEN 3 ELSE printed_level END AS func_level
    FROM merged
    QUALIFY row_number() OVER (
        PARTITION BY department, unit, unit_level, code, fiscal_year, stage
        ORDER BY (v = fiscal_year) DESC, v DESC, derived, doc_id
    ) = 1
)${
    opts.names
      ? `,
names AS (
    SELECT
        code,
        first(func_name ORDER BY v DESC, fiscal_year DESC, func_name) FILTER (WHERE code = func_code) AS own_name,
        first(func_name ORDER BY v DESC, fiscal_year DESC, func_name) AS any_name
    FROM ${
      opts.department === undefined
        ? 'mapped'
        : `(
        SELECT f.func_code, f.func_name, f.fiscal_year, coalesce(f.vintage, f.fiscal_year) AS v,
            coalesce(x.new_code, f.func_code) AS code
        FROM ${crosswalk('fact_spending_by_function AS f')}
    )`
    }
    GROUP BY code
)`
      : ''
  }`;
}

/** A base table, or only its rows of one department (names and other lookups always read every row). */
function scoped(table: string, department: string | undefined): string {
  return department === undefined ? table : `(SELECT * FROM ${table} WHERE department = ${quote(department)})`;
}

/**
 * The hand-written query of a view; with `department`, the same rows as \`SELECT * FROM view WHERE
 * department = …\`, the filter applied by hand to every base-table scan.
 */
export function baselineSql(view: string, department?: string): string {
  const T = (table: string) => scoped(table, department);
  const sql: Record<string, string> = {
    spending_growth: `
WITH ${bestFunction({ where: "stage = 'budget'", names: true, department })},
cur AS (
    SELECT
        b.department, b.unit, b.unit_level, b.code AS func_code,
        coalesce(n.own_name, c.name, n.any_name) AS func_name,
        b.func_level, b.fiscal_year, b.total,
        CASE WHEN lag(b.fiscal_year) OVER w = b.fiscal_year - 1 THEN lag(b.total) OVER w END AS prev_total
    FROM best_f AS b
    LEFT JOIN names AS n ON n.code = b.code
    LEFT JOIN code_function AS c ON c.code = b.code
    WINDOW w AS (PARTITION BY b.department, b.unit, b.unit_level, b.code ORDER BY b.fiscal_year)
)
SELECT
    department, unit, unit_level, func_code, func_name, func_level, fiscal_year, total, prev_total,
    (total - prev_total)::DECIMAL(20, 6) AS change,
    round(yoy(total, prev_total), 4) AS pct_change
FROM cur`,

    department_totals: `
WITH ${bestFunction({ where: 'length(code) NOT IN (5, 7)', names: false, department })},
stated AS (
    SELECT
        department, unit, unit_level, fiscal_year, stage,
        max(amount) FILTER (WHERE measure = 'revenue_total') AS revenue_total,
        max(amount) FILTER (WHERE measure = 'spending_total') AS spending_total,
        max(amount) FILTER (WHERE measure = 'basic_total') AS basic_total,
        max(amount) FILTER (WHERE measure = 'project_total') AS project_total,
        max(amount) FILTER (WHERE measure = 'sangong_total') AS sangong_total,
        max(amount) FILTER (WHERE measure = 'procurement_total') AS procurement_total
    FROM (
        SELECT department, unit, unit_level, fiscal_year, stage, measure, amount
        FROM ${T('fact_budget_totals')}
        ${BEST_BY_VINTAGE('measure, fiscal_year, stage')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage
),
by_function AS (
    SELECT department, unit, unit_level, fiscal_year, stage, sum(total) AS spending_total
    FROM best_f
    WHERE func_level = 1
    GROUP BY department, unit, unit_level, fiscal_year, stage
),
by_sangong AS (
    SELECT department, unit, unit_level, fiscal_year, stage, sum(amount) AS sangong_total
    FROM (
        SELECT department, unit, unit_level, fiscal_year, stage, amount
        FROM ${T('fact_sangong')}
        ${BEST_BY_VINTAGE('category, fiscal_year, stage')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage
),
by_procurement AS (
    SELECT department, unit, unit_level, fiscal_year, stage, sum(amount) AS procurement_total
    FROM (
        SELECT department, unit, unit_level, fiscal_year, stage, amount
        FROM ${T('fact_procurement')}
        WHERE item_level = 1
        ${BEST_BY_VINTAGE('procurement_type, item_level, coalesce(item_code, item_name), fiscal_year, stage')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage
),
staff AS (
    SELECT
        department, unit, unit_level, fiscal_year, stage,
        coalesce(
            max(value) FILTER (WHERE fact = 'staff_actual'),
            sum(value) FILTER (WHERE fact IN ('admin_actual', 'institution_actual'))
        ) AS staff_actual
    FROM (
        SELECT department, unit, unit_level, fiscal_year, stage, fact, value
        FROM ${T('fact_unit_facts')}
        WHERE fact IN ('staff_actual', 'admin_actual', 'institution_actual')
        ${BEST_BY_VINTAGE('fact, fiscal_year, stage')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage
),
staff_any_stage AS (
    SELECT
        department, unit, unit_level, fiscal_year,
        first(staff_actual ORDER BY CASE stage WHEN 'budget' THEN 1 WHEN 'final' THEN 2 ELSE 3 END) AS staff_actual
    FROM staff
    GROUP BY department, unit, unit_level, fiscal_year
),
keys AS (
    SELECT department, unit, unit_level, fiscal_year, stage FROM stated
    UNION SELECT department, unit, unit_level, fiscal_year, stage FROM by_function
    UNION SELECT department, unit, unit_level, fiscal_year, stage FROM by_sangong
    UNION SELECT department, unit, unit_level, fiscal_year, stage FROM by_procurement
),
totals AS (
    SELECT
        k.department, k.unit, k.unit_level, k.fiscal_year, k.stage,
        s.revenue_total::DECIMAL(20, 6) AS revenue_total,
        coalesce(s.spending_total, f.spending_total)::DECIMAL(20, 6) AS spending_total,
        s.basic_total::DECIMAL(20, 6) AS basic_total,
        s.project_total::DECIMAL(20, 6) AS project_total,
        coalesce(s.sangong_total, g.sangong_total)::DECIMAL(20, 6) AS sangong_total,
        coalesce(s.procurement_total, p.procurement_total)::DECIMAL(20, 6) AS procurement_total,
        coalesce(st.staff_actual, sa.staff_actual)::DECIMAL(20, 6) AS staff_actual
    FROM keys AS k
    LEFT JOIN stated AS s USING (department, unit, unit_level, fiscal_year, stage)
    LEFT JOIN by_function AS f USING (department, unit, unit_level, fiscal_year, stage)
    LEFT JOIN by_sangong AS g USING (department, unit, unit_level, fiscal_year, stage)
    LEFT JOIN by_procurement AS p USING (department, unit, unit_level, fiscal_year, stage)
    LEFT JOIN staff AS st USING (department, unit, unit_level, fiscal_year, stage)
    LEFT JOIN staff_any_stage AS sa USING (department, unit, unit_level, fiscal_year)
)
SELECT
    *,
    CASE WHEN staff_actual > 0 THEN (spending_total / staff_actual)::DECIMAL(20, 6) END AS spending_per_staff,
    CASE WHEN staff_actual > 0 THEN (sangong_total / staff_actual)::DECIMAL(20, 6) END AS sangong_per_staff
FROM totals`,

    composition: `
WITH ${bestFunction({ names: true, department })},
econ_names AS (
    SELECT econ_code, first(econ_name ORDER BY coalesce(vintage, fiscal_year) DESC, fiscal_year DESC, econ_name) AS latest_name
    FROM fact_spending_by_economic
    WHERE econ_code IS NOT NULL
    GROUP BY econ_code
),
tree AS MATERIALIZED (
    SELECT
        b.department, b.unit, b.unit_level, b.fiscal_year, b.stage, 'function' AS dimension, b.code,
        coalesce(n.own_name, c.name, n.any_name) AS name, b.total AS amount, b.func_level AS level,
        CASE length(b.code) WHEN 5 THEN left(b.code, 3) WHEN 7 THEN left(b.code, 5) END AS parent_code
    FROM best_f AS b
    LEFT JOIN names AS n ON n.code = b.code
    LEFT JOIN code_function AS c ON c.code = b.code
    UNION ALL
    SELECT
        department, unit, unit_level, fiscal_year, stage, 'economic' AS dimension, econ_code AS code, name,
        sum(amount) AS amount, econ_level AS level,
        CASE WHEN econ_level > 1 THEN left(econ_code, 3) END AS parent_code
    FROM (
        SELECT e.department, e.unit, e.unit_level, e.fiscal_year, e.stage, e.econ_code, e.econ_level, e.amount,
            coalesce(n.latest_name, e.econ_name) AS name
        FROM ${T('fact_spending_by_economic')} AS e
        LEFT JOIN econ_names AS n ON n.econ_code = e.econ_code
        WHERE e.econ_code IS NOT NULL
        ${BEST_BY_VINTAGE('e.spending_type, e.econ_code, e.fiscal_year, e.stage', 'e.')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage, econ_code, name, econ_level
),
tree_parts AS (
    SELECT
        t.department, t.unit, t.unit_level, t.fiscal_year, t.stage, t.dimension, t.code, t.name, t.amount,
        CASE WHEN t.level = 1
            THEN sum(t.amount) FILTER (WHERE t.level = 1) OVER (PARTITION BY t.department, t.unit, t.unit_level, t.fiscal_year, t.stage, t.dimension)
            ELSE p.amount
        END AS parent_amount,
        t.level, t.parent_code
    FROM tree AS t
    LEFT JOIN tree AS p
        ON p.department = t.department AND p.unit = t.unit AND p.unit_level = t.unit_level
        AND p.fiscal_year = t.fiscal_year AND p.stage = t.stage AND p.dimension = t.dimension AND p.code = t.parent_code
),
totals AS (
    SELECT
        department, unit, unit_level, fiscal_year, stage,
        max(amount) FILTER (WHERE measure = 'spending_total') AS spending_total,
        max(amount) FILTER (WHERE measure = 'basic_total') AS basic_total,
        max(amount) FILTER (WHERE measure = 'project_total') AS project_total
    FROM (
        SELECT department, unit, unit_level, fiscal_year, stage, measure, amount
        FROM ${T('fact_budget_totals')}
        WHERE measure IN ('spending_total', 'basic_total', 'project_total')
        ${BEST_BY_VINTAGE('measure, fiscal_year, stage')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage
),
spending_type AS (
    SELECT
        department, unit, unit_level, fiscal_year, stage, 'spending_type' AS dimension,
        part.code, part.name, part.amount,
        coalesce(spending_total, basic_total + project_total) AS parent_amount,
        1 AS level, NULL AS parent_code
    FROM totals,
        unnest([
            {'code': 'basic', 'name': '基本支出', 'amount': basic_total},
            {'code': 'project', 'name': '项目支出', 'amount': project_total}
        ]) AS u(part)
    WHERE part.amount IS NOT NULL
),
flat AS (
    SELECT
        department, unit, unit_level, fiscal_year, stage, 'procurement_type' AS dimension, procurement_type AS code,
        CASE procurement_type WHEN 'goods' THEN '货物' WHEN 'works' THEN '工程' WHEN 'services' THEN '服务' END AS name,
        sum(amount) AS amount
    FROM (
        SELECT department, unit, unit_level, fiscal_year, stage, procurement_type, amount
        FROM ${T('fact_procurement')}
        WHERE item_level = 1
        ${BEST_BY_VINTAGE('procurement_type, item_level, coalesce(item_code, item_name), fiscal_year, stage')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, stage, procurement_type
    UNION ALL
    SELECT department, unit, unit_level, fiscal_year, stage, 'sangong' AS dimension, category AS code, category_name AS name, amount
    FROM ${T('fact_sangong')}
    ${BEST_BY_VINTAGE('category, fiscal_year, stage')}
),
flat_parts AS (
    SELECT
        *,
        sum(amount) OVER (PARTITION BY department, unit, unit_level, fiscal_year, stage, dimension) AS parent_amount,
        1 AS level, NULL AS parent_code
    FROM flat
),
parts AS (
    SELECT * FROM tree_parts
    UNION ALL BY NAME SELECT * FROM spending_type
    UNION ALL BY NAME SELECT * FROM flat_parts
)
SELECT
    department, unit, unit_level, fiscal_year, stage, dimension, code, name,
    amount::DECIMAL(20, 6) AS amount,
    parent_amount::DECIMAL(20, 6) AS parent_amount,
    round(share(amount, parent_amount), 4) AS share,
    level::INTEGER AS level,
    parent_code::VARCHAR AS parent_code
FROM parts`,

    sangong_trend: `
WITH b AS (
    SELECT department, unit, unit_level, fiscal_year, category, amount
    FROM ${T('fact_sangong')}
    WHERE stage = 'budget'
    ${BEST_BY_VINTAGE('category, fiscal_year')}
),
cur AS (
    SELECT
        *,
        CASE WHEN lag(fiscal_year) OVER w = fiscal_year - 1 THEN lag(amount) OVER w END AS prev_amount,
        sum(amount) OVER (PARTITION BY department, unit, unit_level, fiscal_year) AS year_total
    FROM b
    WINDOW w AS (PARTITION BY department, unit, unit_level, category ORDER BY fiscal_year)
)
SELECT
    department, unit, unit_level, fiscal_year, category, amount, prev_amount,
    (amount - prev_amount)::DECIMAL(20, 6) AS change,
    round(yoy(amount, prev_amount), 4) AS pct_change,
    round(share(amount, year_total), 4) AS share_of_total
FROM cur`,

    procurement_mix: `
WITH types AS (
    SELECT department, unit, unit_level, fiscal_year, procurement_type, sum(amount)::DECIMAL(20, 6) AS amount
    FROM (
        SELECT department, unit, unit_level, fiscal_year, procurement_type, amount
        FROM ${T('fact_procurement')}
        WHERE stage = 'budget' AND item_level = 1
        ${BEST_BY_VINTAGE('procurement_type, item_level, coalesce(item_code, item_name), fiscal_year')}
    )
    GROUP BY department, unit, unit_level, fiscal_year, procurement_type
)
SELECT
    department, unit, unit_level, fiscal_year, procurement_type, amount,
    round(share(amount, sum(amount) OVER (PARTITION BY department, unit, unit_level, fiscal_year)), 4) AS share
FROM types`,

    // Equivalent for the contract's stages (budget, final, actual): the previous year's figure at the same
    // stage, else final, else actual, else budget.
    project_trend: `
WITH best AS MATERIALIZED (
    SELECT department, unit, unit_level, fiscal_year, stage, project, amount
    FROM ${T('fact_projects')}
    ${BEST_BY_VINTAGE('project, fiscal_year, stage')}
),
py AS (
    SELECT
        department, unit, unit_level, project, fiscal_year,
        bool_or(stage = 'final') AS has_final, max(amount) FILTER (WHERE stage = 'final') AS final,
        bool_or(stage = 'actual') AS has_actual, max(amount) FILTER (WHERE stage = 'actual') AS actual,
        bool_or(stage = 'budget') AS has_budget, max(amount) FILTER (WHERE stage = 'budget') AS budget
    FROM best
    GROUP BY department, unit, unit_level, project, fiscal_year
),
joined AS (
    SELECT
        c.*,
        CASE
            WHEN (c.stage = 'final' AND p.has_final) OR (c.stage = 'actual' AND p.has_actual) OR (c.stage = 'budget' AND p.has_budget) THEN c.stage
            WHEN p.has_final THEN 'final'
            WHEN p.has_actual THEN 'actual'
            WHEN p.has_budget THEN 'budget'
        END AS prev_stage,
        p.final, p.actual, p.budget
    FROM best AS c
    LEFT JOIN py AS p
        ON p.department = c.department AND p.unit = c.unit AND p.unit_level = c.unit_level
        AND p.project = c.project AND p.fiscal_year = c.fiscal_year - 1
),
cur AS (
    SELECT
        *,
        CASE prev_stage WHEN 'final' THEN final WHEN 'actual' THEN actual WHEN 'budget' THEN budget END AS prev_amount
    FROM joined
)
SELECT
    department, unit, project, fiscal_year, stage, amount, prev_amount,
    (amount - prev_amount)::DECIMAL(20, 6) AS change,
    round(yoy(amount, prev_amount), 4) AS pct_change,
    unit_level, prev_stage
FROM cur`,
  };
  const out = sql[view];
  if (out === undefined) throw new Error(`no baseline for ${view}`);
  return out;
}

/** Every analysis view of sql/ (one without a baseline above makes the bench fail, by name). */
export const VIEWS = Engine.analysisViews();

/** Row count and an order-independent checksum of a query's rows (each row's text form, hashed and summed). */
export function checksumSql(sql: string): string {
  return `SELECT count(*)::BIGINT AS n, coalesce(sum(hash(t::VARCHAR)), 0)::VARCHAR AS h FROM (${sql}) AS t`;
}
