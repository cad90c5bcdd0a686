#!/usr/bin/env python3
"""Write the sample Parquet input ``data/raw/table.parquet``.

The three records (columns ``id``, ``text``) are part of the sample corpus
described in ``benchmarks/gold/README.md``; their expected claims are in
``benchmarks/gold/claims_raw.csv`` under ``table.parquet#<id>``.

Usage (from the project root)::

    python scripts/make_sample_parquet.py [--out data/raw/table.parquet]

Only pyarrow is needed (pandas is not used). The file holds no timestamp,
so re-running the script with the same pyarrow version rewrites identical
bytes.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "data" / "raw" / "table.parquet"

RECORDS = [
    {
        "id": "p1",
        "text": (
            "60% of people with lupus have headache at some point during their "
            "illness, most often a tension-type or migraine-like headache."
        ),
    },
    {
        "id": "p2",
        "text": (
            "One in five people with migraine has aura, which usually fades "
            "before the headache reaches its worst."
        ),
    },
    {
        "id": "p3",
        "text": (
            "People with COPD often have a cough that brings up mucus. "
            "Shortness of breath affects about 80 percent of people with COPD."
        ),
    },
]


def build_table() -> pa.Table:
    schema = pa.schema([("id", pa.string()), ("text", pa.string())])
    return pa.Table.from_pylist(RECORDS, schema=schema)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(build_table(), args.out, compression="snappy")
    print(f"wrote {len(RECORDS)} records to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
