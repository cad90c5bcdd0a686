"""claims.rows.records gives what DataFrame.to_dict("records") gives: same values, same types."""
import math

import numpy as np
import pandas as pd
import pytest

from claims.rows import iter_records, records
from claims.schema import TABLES


def _same(found: list[dict], expected: list[dict]) -> None:
    assert len(found) == len(expected)
    for row, other in zip(found, expected):
        assert list(row) == list(other)
        for name in row:
            a, b = row[name], other[name]
            assert type(a) is type(b), (name, a, b)
            assert a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)), (name, a, b)


MIXED = pd.DataFrame({
    "arrow_str": pd.Series(["MS", None, "ALS"], dtype="str"),  # pandas 3 default: NaN when missing
    "string": pd.Series(["HP:0001257", pd.NA, "DOID:2377"], dtype="string"),
    "Int64": pd.Series([1, pd.NA, 3], dtype="Int64"),
    "Float64": pd.Series([0.2, pd.NA, 0.41666666666666663], dtype="Float64"),
    "boolean": pd.Series([True, pd.NA, False], dtype="boolean"),
    "int64": np.array([4, 5, 6]),
    "float64": np.array([0.4, np.nan, 0.8]),
    "bool": np.array([True, False, True]),
    "object": pd.Series([np.int64(7), None, "x"], dtype=object),
    "category": pd.Series(["a", "b", None], dtype="category"),
})


def test_every_kind_of_column_as_to_dict_gives_it():
    _same(records(MIXED), MIXED.to_dict("records"))


def test_rows_converted_a_chunk_at_a_time_are_the_same_rows():
    for rows in (1, 2, 3, 10):
        _same(list(iter_records(MIXED, rows=rows)), MIXED.to_dict("records"))
    assert list(iter_records(MIXED.iloc[:0])) == []


def test_missing_values_as_to_dict_gives_them():
    first, missing, _ = records(MIXED)
    assert missing["string"] is None and missing["Int64"] is None and missing["Float64"] is None and missing["boolean"] is None
    assert math.isnan(missing["arrow_str"]) and math.isnan(missing["float64"]) and missing["object"] is None
    assert type(first["object"]) is int and type(first["int64"]) is int and type(first["Float64"]) is float


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_output_tables_as_to_dict_gives_them(table):
    row = {c.name: {"string": "x", "Int64": 1, "Float64": 0.5, "boolean": True}[c.dtype] for c in table.columns}
    frame = table.conform(pd.DataFrame([row, dict.fromkeys(row)]))  # (a categorical column takes no new value in place)
    _same(records(frame), frame.to_dict("records"))


def test_empty_frames():
    assert records(pd.DataFrame()) == [] and records(pd.DataFrame(index=range(2))) == [{}, {}]
    assert records(MIXED.iloc[:0]) == []
