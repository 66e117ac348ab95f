"""Finding an item as an analyst names it: its code, ``实施部门/事项名称``, or its name alone.

>>> items = pd.DataFrame({"item_key": ["SL-1", "水利局/采砂许可"], "code": ["SL-1", ""],
...                       "name": ["取水许可", "采砂许可"], "department": ["水利局", "水利局"]})
>>> item_matches(items, "水利局/采砂许可")["item_key"].tolist()
['水利局/采砂许可']
>>> find_item(items, "SL-1")["name"]
'取水许可'
"""

from __future__ import annotations

import pandas as pd

from approvals.errors import OptionError
from approvals.text import fold, fold_all, map_distinct

SHOWN_CANDIDATES = 10


def item_matches(items: pd.DataFrame, text: str) -> pd.DataFrame:
    """The items ``text`` names: by item key or code; else by ``部门/名称`` (either slash, spaces
    and full-width forms ignored); else by name alone."""
    wanted = text.strip()
    if not wanted or items.empty:
        return items.iloc[0:0]
    exact = items["item_key"].eq(wanted) | items["code"].eq(wanted)
    if exact.any():
        return items[exact.to_numpy()]
    names = fold_all(items["name"])
    folded = fold(wanted)
    if "/" in folded:  # fold makes a full-width slash plain
        department, _, name = folded.partition("/")
        hit = map_distinct(items["department"], fold).eq(department) & names.eq(name)
        if hit.any():
            return items[hit.to_numpy()]
    return items[names.eq(folded).to_numpy()]


def item_label(item: pd.Series) -> str:
    """How an item is named in a message: 部门/名称（编码）."""
    code = str(item.get("code", "") or "")
    return f"{item['department']}/{item['name']}" + (f"（{code}）" if code else "")


def find_item(items: pd.DataFrame, text: str) -> pd.Series:
    """The one item ``text`` names; an OptionError naming the candidates when it names none or
    several."""
    hit = item_matches(items, text)
    if len(hit) == 1:
        return hit.iloc[0]
    if len(hit) > 1:
        shown = "、".join(item_label(row) for _, row in hit.head(SHOWN_CANDIDATES).iterrows())
        more = f"等 {len(hit)} 项" if len(hit) > SHOWN_CANDIDATES else ""
        raise OptionError(f"“{text}”可能指多个事项：{shown}{more}；请写编码或“实施部门/事项名称”")
    wanted = fold(text.rpartition("/")[2] or text)
    names = fold_all(items["name"])
    near = items[names.str.contains(wanted, regex=False).to_numpy()] if wanted else items.iloc[0:0]
    hint = ""
    if len(near):
        hint = "，相近的有：" + "、".join(
            item_label(row) for _, row in near.head(SHOWN_CANDIDATES).iterrows()
        )
        hint += f"等 {len(near)} 项" if len(near) > SHOWN_CANDIDATES else ""
    raise OptionError(f"找不到事项“{text}”{hint}；请写编码或“实施部门/事项名称”")
