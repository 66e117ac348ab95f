"""A table as a JSON array of records, written column by column.

The command line's JSON holds a record per process, flag, problem and benchmark gap: hundreds of
thousands at a province's size. Making a Python dict per record and serialising them took longer
than the analysis of some rules; here every column's distinct values are written once by orjson
(so the text is the one orjson writes for the same values) and the records are put together by
pyarrow, with no Python loop per row. :class:`Records` stand for such an array in an object:
:func:`json_bytes` copies their text in, :func:`write_json` writes it chunk by chunk, so a
province's document is never held whole beside its parts.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import IO, Any

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NULL = b"null"
_BINARY = pa.large_binary()
# Records put together at a time: the text of one chunk stays far below what one array holds.
CHUNK_ROWS = 100_000


def _json_default(value: Any) -> Any:
    """What orjson cannot write itself: pandas' NA and NaT as null, other scalars unwrapped."""
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, Records):
        return orjson.Fragment(b"".join(value.chunks()))
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_bytes(value: Any) -> bytes:
    """``value`` as one line of strict UTF-8 JSON, written in one piece: a NaN or an infinity (at
    any depth), which JSON has no number for, becomes null; numpy scalars and arrays are numbers
    and lists; :class:`Records` are their text.

    >>> json_bytes({"before_avg_days": float("inf"), "days": np.int64(3), "name": "取水许可"}).decode()
    '{"before_avg_days":null,"days":3,"name":"取水许可"}'
    """
    return orjson.dumps(value, default=_json_default, option=orjson.OPT_SERIALIZE_NUMPY)


def column_json(values: pd.Series) -> pa.Array:
    """Each value of ``values`` as JSON text (binary): a missing value as null, a tuple or a list
    as an array. Each distinct value is written once.

    >>> column_json(pd.Series([1.5, None, 1.5, 2.0])).to_pylist()
    [b'1.5', b'null', b'1.5', b'2.0']
    >>> steps = pd.Series([("受理", "决定"), [], "一\\"二"], dtype=object)
    >>> [t.decode() for t in column_json(steps).to_pylist()]
    ['["受理","决定"]', '[]', '"一\\\\"二"']
    """
    try:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # lists among the values: the same steps as tuples
        values = values.map(lambda v: tuple(v) if isinstance(v, list | np.ndarray) else v)
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
    written = [json_bytes(v) for v in distinct.tolist()]
    texts = pa.array([*written, _NULL], type=_BINARY)
    return texts.take(pa.array(np.where(codes < 0, len(written), codes)))


class Records:
    """The rows of ``table`` as a JSON array of objects, ``fields`` giving each key and the column
    it is read from, in order; written when the document is.

    >>> table = pd.DataFrame({"n": [3, 4], "name": ["甲", "乙"]})
    >>> json_bytes({"rows": Records(table, [("name", "name"), ("days", "n")])}).decode()
    '{"rows":[{"name":"甲","days":3},{"name":"乙","days":4}]}'
    >>> json_bytes(Records(table.iloc[:0], [("name", "name")]))
    b'[]'
    """

    __slots__ = ("fields", "table")  # not a dataclass: orjson would write its fields

    def __init__(self, table: pd.DataFrame, fields: Sequence[tuple[str, str]]) -> None:
        self.table, self.fields = table, fields

    def chunks(self) -> Iterator[bytes]:
        """The array's text in pieces of :data:`CHUNK_ROWS` records at most."""
        table, fields = self.table, self.fields
        if table.empty or not fields:
            yield b"[" + b",".join([b"{}"] * len(table)) + b"]"
            return
        keys = [
            pa.scalar((b"{" if n == 0 else b",") + json_bytes(key) + b":", type=_BINARY)
            for n, (key, _) in enumerate(fields)
        ]
        end, nothing = pa.scalar(b"},", type=_BINARY), pa.scalar(b"", type=_BINARY)
        for start in range(0, len(table), CHUNK_ROWS):
            rows = table.iloc[start : start + CHUNK_ROWS]
            values = [column_json(rows[column]) for _, column in fields]
            parts = [part for pair in zip(keys, values, strict=True) for part in pair]
            text = _joined(pc.binary_join_element_wise(*parts, end, nothing))
            last = start + CHUNK_ROWS >= len(table)
            yield (b"[" if start == 0 else b"") + (text[:-1] + b"]" if last else text)


def write_json(value: dict[str, Any], out: IO[bytes]) -> None:
    """``value`` written to ``out`` as :func:`json_bytes` writes it, one key at a time and
    :class:`Records` chunk by chunk.

    >>> import io
    >>> out = io.BytesIO()
    >>> write_json({"n": 1, "rows": Records(pd.DataFrame({"a": [1.5]}), [("a", "a")])}, out)
    >>> out.getvalue()
    b'{"n":1,"rows":[{"a":1.5}]}'
    """
    out.write(b"{")
    for n, (key, inner) in enumerate(value.items()):
        out.write((b"," if n else b"") + json_bytes(key) + b":")
        if isinstance(inner, Records):
            for chunk in inner.chunks():
                out.write(chunk)
        else:
            out.write(json_bytes(inner))
    out.write(b"}")


def _joined(texts: pa.Array) -> bytes:
    """Every value of a large binary array one after another, read from the array's own data
    (no Python object per value)."""
    offsets = np.frombuffer(texts.buffers()[1], dtype=np.int64, count=len(texts) + 1, offset=texts.offset * 8)
    data = texts.buffers()[2]
    return data[int(offsets[0]) : int(offsets[-1])].to_pybytes() if data is not None else b""
