"""A national roll-up: many provincial plans -> Parquet -> DuckDB, checked against egovplan.

    python examples/national_rollup.py [--provinces 34] [--years 5] [--lines 500]
                                       [--out DIR] [--keep]

1. Generates one yearly plan per province and year (34 × 5 = 170 plans by default, each
   with ``--lines`` budget lines) with the benchmark generator (bench/generate.py, written
   with egovplan's public API).
2. Writes every plan's tables as Parquet with :func:`egovplan.arrow.write_parquet`:
   ``DIR/budget_lines/<plan>.parquet``, ``DIR/sources/<plan>.parquet``, ...
3. Aggregates all of them with DuckDB in SQL: national totals by funding source and year,
   by source kind (a join with the sources table), and the five provinces with the most.
4. Checks every DuckDB total against egovplan's own breakdowns (``breakdown(plan,
   "source", "year")`` summed over the plans, and ``combine`` of the per-plan breakdowns
   by kind) **exactly**, to the last đồng: amounts are ``decimal128(38, 0)`` in Parquet and
   ``DECIMAL(38, 0)`` in DuckDB, never floats.

The same files feed Spark (``spark.read.parquet("DIR/budget_lines")``), Polars, BigQuery
or any Arrow engine when one machine is not enough; see docs/scaling.md.

Needs the optional extras ``egovplan[arrow,duckdb]`` (pyarrow and duckdb).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

import duckdb

from egovplan.arrow import write_parquet
from egovplan.breakdowns import breakdown, combine
from egovplan.money import Money

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate

Key = tuple[str, int]


def plan_id(province: int, year: int) -> str:
    return f"p{province:02d}-{year}"


def egovplan_totals(plans: list) -> tuple[dict[Key, Decimal], dict[str, Decimal]]:
    """National totals by (source, year) and by source kind, from egovplan's breakdowns."""
    by_source_year: dict[Key, Decimal] = {}
    for plan in plans:
        pivot = breakdown(plan, "source", "year")
        for row in pivot.rows:
            for column in pivot.columns:
                cell = pivot.cell(row.key, column.key).amount
                if cell:
                    key = (str(row.key), int(str(column.key)))
                    by_source_year[key] = by_source_year.get(key, Decimal(0)) + cell
    kinds = combine(breakdown(plan, "kind", basis="lines") for plan in plans)
    by_kind = {str(row.key): row.amount.amount for row in kinds.rows}
    return by_source_year, by_kind


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--provinces", type=int, default=34)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--first-year", type=int, default=2021)
    parser.add_argument("--lines", type=int, default=500, help="budget lines per plan")
    parser.add_argument("--out", type=Path, help="the Parquet directory (default: temporary)")
    args = parser.parse_args(argv)

    out = args.out or Path(tempfile.mkdtemp(prefix="egovplan-rollup-"))
    started = time.perf_counter()
    plans = []
    for province in range(1, args.provinces + 1):
        for year in range(args.first_year, args.first_year + args.years):
            plan = generate(
                args.lines,
                seed=province * 10_000 + year,
                plan_id=plan_id(province, year),
                first_year=year,
                years=1,
            )
            write_parquet(plan, out)
            plans.append(plan)
    lines = sum(len(p.funding.lines) for p in plans)
    print(
        f"{len(plans)} plans, {lines:,} budget lines written to {out}"
        f" in {time.perf_counter() - started:.1f} s"
    )

    con = duckdb.connect()
    budget = f"read_parquet('{out / 'budget_lines' / '*.parquet'}')"
    sources = f"read_parquet('{out / 'sources' / '*.parquet'}')"
    started = time.perf_counter()
    by_source_year: dict[Key, Decimal] = {
        (source, year): total
        for source, year, total in con.sql(
            f"SELECT source, year, sum(amount) FROM {budget} GROUP BY source, year"
        ).fetchall()
    }
    by_kind: dict[str, Decimal] = dict(
        con.sql(
            f"""SELECT s.kind, sum(l.amount)
                FROM {budget} AS l JOIN {sources} AS s ON l.plan = s.plan AND l.source = s.id
                GROUP BY s.kind"""
        ).fetchall()
    )
    top = con.sql(
        f"""SELECT split_part(plan, '-', 1) AS province, sum(amount) AS total
            FROM {budget} GROUP BY province ORDER BY total DESC, province LIMIT 5"""
    ).fetchall()
    print(f"DuckDB aggregated them in {time.perf_counter() - started:.2f} s")

    years = sorted({year for _, year in by_source_year})
    print("\nNational total by source and year (billion VND)")
    print(f"{'source':<12}" + "".join(f"{y:>10}" for y in years) + f"{'total':>12}")
    for source in sorted({s for s, _ in by_source_year}):
        cells = [by_source_year.get((source, y), Decimal(0)) for y in years]
        print(
            f"{source:<12}"
            + "".join(f"{c / 10**9:>10,.0f}" for c in cells)
            + f"{sum(cells) / 10**9:>12,.0f}"
        )
    grand = sum(by_source_year.values(), Decimal(0))
    print(f"{'total':<12}{'':>{10 * len(years)}}{grand / 10**9:>12,.0f}")
    print("\nTop five provinces:", ", ".join(f"{p} {t / 10**9:,.0f}" for p, t in top))

    started = time.perf_counter()
    expected_cells, expected_kinds = egovplan_totals(plans)
    print(f"\negovplan's own breakdowns took {time.perf_counter() - started:.2f} s")
    if by_source_year != expected_cells or by_kind != expected_kinds:
        print("MISMATCH between DuckDB and egovplan's breakdown", file=sys.stderr)
        return 1
    exact = Money(grand, "VND")
    print(
        f"checked: all {len(by_source_year)} (source, year) totals and {len(by_kind)} kind totals"
        f" equal egovplan's breakdown exactly (grand total {exact})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
