-- macros: the scalar macros yoy, cagr, share, func_class, vintage_priority and real_amount, for the views and for ad-hoc SQL.
--
-- Question: The small calculations every trend or share query repeats, written once.
-- Inputs: none but their arguments; real_amount also reads the table deflator (China's CPI by year, datasets/deflators/china-cpi.csv, each year with its source; cpi_index chained from the yearly changes, 2010 = 100).
-- Rounding: none here, but real_amount: an estimate (nominal amount × CPI ratio, computed in DOUBLE), rounded to DECIMAL(20,6) 万元. The views round pct_change and share to 4 decimals, ad-hoc queries round as they like.
-- Vintage: vintage_priority(vintage, fiscal_year, derived) is the one place the vintage rule is written: among the rows of one fact the row with the highest priority wins. The figure printed in that year's own document (vintage = fiscal_year) wins; otherwise the latest document's figure fills the gap; at equal vintage a printed figure beats a derived one. The priority is a list [own-year, vintage, printed], compared element by element, highest first. At equal priority the _best_* tables take the figure of the document whose own stage is the row's (a 预算's budget figure before the 预算数 column a 决算 prints), then the smallest doc_id.
-- Macros:
--   yoy(cur, prev)  (cur - prev) / prev as a DOUBLE fraction (0.25 = 25%); NULL when prev is NULL or 0
--   cagr(first, last, years)  compound annual growth rate (last / first)^(1 / years) - 1; NULL unless first > 0, last >= 0 and years > 0
--   share(part, whole)  part / whole as a DOUBLE fraction; NULL when whole is NULL or 0
--   func_class(code)  the 类 of a function code: its first 3 characters ('2010301' → '201')
--   vintage_priority(vintage, fiscal_year, derived)  the sort key of the vintage rule, a list of 3 integers; order by it DESC
--   real_amount(amount, fiscal_year, base_year)  the amount of fiscal_year in base_year's prices: amount × cpi_index(base_year) / cpi_index(fiscal_year), DECIMAL(20,6) 万元; NULL where the deflator has no CPI for either year (the CPI of a year is published in the next year's 公报)
-- Example:
--   SELECT round(yoy(7920, 6928), 4) AS yoy, round(cagr(6928, 7920, 1), 4) AS cagr,
--          round(share(7128, 7920), 4) AS share, func_class('2010301') AS class,
--          real_amount(100, 2023, 2025) AS real_2025

CREATE OR REPLACE MACRO yoy(cur, prev) AS
    CASE WHEN prev IS NULL OR prev = 0 THEN NULL ELSE (cur - prev)::DOUBLE / prev END;

CREATE OR REPLACE MACRO cagr(first, last, years) AS
    CASE
        WHEN first IS NULL OR last IS NULL OR years IS NULL OR first <= 0 OR last < 0 OR years <= 0 THEN NULL
        ELSE pow(last::DOUBLE / first, 1.0 / years) - 1
    END;

CREATE OR REPLACE MACRO share(part, whole) AS
    CASE WHEN whole IS NULL OR whole = 0 THEN NULL ELSE part::DOUBLE / whole END;

CREATE OR REPLACE MACRO func_class(code) AS left(code::VARCHAR, 3);

CREATE OR REPLACE MACRO vintage_priority(vintage, fiscal_year, derived) AS [
    CASE WHEN coalesce(vintage, fiscal_year) = fiscal_year THEN 1 ELSE 0 END,
    coalesce(vintage, fiscal_year),
    CASE WHEN coalesce(derived, false) THEN 0 ELSE 1 END
];

CREATE OR REPLACE MACRO real_amount(amount, fiscal_year, base_year) AS (
    amount::DOUBLE
    * (SELECT d.cpi_index FROM deflator AS d WHERE d.year = base_year)
    / (SELECT d.cpi_index FROM deflator AS d WHERE d.year = fiscal_year)
)::DECIMAL(20, 6);
