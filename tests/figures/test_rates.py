"""精简率 and 缩短率: the published cases, the items left out, targets and benchmarks."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sample import SETTINGS

from approvals.dataset.decisions import classify_decisions
from approvals.dataset.roles import count_roles
from approvals.errors import SettingsError
from approvals.figures.rates import (
    FIGURE_COLUMNS,
    LEFT_OUT_LABELS,
    benchmark_gap,
    figures,
    item_shortening_rates,
    left_out_reasons,
    shortening_rate,
    streamlining_rate,
)
from approvals.model import ALL_ITEMS, ITEM_COLUMNS, UNSPECIFIED_GROUP, column_dtype, conform
from approvals.settings import load_settings
from approvals.settings.targets import Targets

TARGETS = SETTINGS.targets  # the bundled targets.toml: the province's "三个30%"

# ---------------------------------------------------------------- builders


def item(**fields) -> dict:
    """One item's fields; statuses are "value" and the list has a decision column unless told."""
    return {
        "department": "市局",
        "category": "行政许可",
        "decision": "retained",
        "has_decision": True,
        "statutory_status": "value",
        "original_status": "value",
        "committed_status": "value",
        "before_days": 20.0,
        "after_days": 10.0,
        **fields,
    }


def make_items(rows: list[dict]) -> pd.DataFrame:
    """The item table; how each item counts (``counts_as``) is worked out from its decision as the
    dataset does (count_roles), unless the row says."""
    frame = pd.DataFrame(rows)
    frame["item_id"] = pd.array(range(1, len(frame) + 1), dtype="Int64")
    frame["name"] = [f"事项{i}" for i in range(len(frame))]
    items = conform(frame, ITEM_COLUMNS)
    text = [c for c in ITEM_COLUMNS if column_dtype(c) == "str"]
    items[text] = items[text].fillna("")  # a field only some rows give is blank in the others, as read
    return items.assign(counts_as=items["counts_as"].where(items["counts_as"].ne(""), count_roles(items)))


def many(n: int, **fields) -> list[dict]:
    return [item(**fields) for _ in range(n)]


def around(mean: float, n: int, spread: float) -> list[float]:
    """n values whose mean is ``mean``: pairs mean ± spread, and the mean itself when n is odd."""
    values = [mean + spread, mean - spread] * (n // 2) + [mean] * (n % 2)
    return values


def timed(before: list[float], after: list[float], **fields) -> list[dict]:
    return [item(before_days=b, after_days=a, **fields) for b, a in zip(before, after, strict=True)]


def only_row(table: pd.DataFrame, group: str) -> pd.Series:
    rows = table[table["group"] == group]
    assert len(rows) == 1
    return rows.iloc[0]


# ---------------------------------------------------------------- the published cases


@pytest.fixture(scope="module")
def city_2009() -> pd.DataFrame:
    """A city's 2009 clean-up: licensing 393 → 184 (19.89 → 11.01 days); investment 53 → 29.

    The decisions are written as a list would write them and classified by the rule table.
    Streamlined items carry limits that would move the means if they were wrongly counted.
    """
    licensing = timed(around(19.89, 184, 9.89), around(11.01, 184, 5.0), decision_text="保留")
    licensing += many(120, decision_text="拟取消", before_days=60.0, after_days=1.0)
    licensing += many(60, decision_text="下放至县级", before_days=60.0, after_days=1.0)
    licensing += many(29, decision_text="调整为备案管理", before_days=60.0, after_days=1.0)
    investment = timed(around(41.20, 29, 10.0), around(23.63, 29, 3.0), decision_text="予以保留")
    investment += many(24, decision_text="取消审批", before_days=90.0, after_days=np.nan)
    for row in investment:
        row["category"] = "投资项目审批"
    items = make_items(licensing + investment)
    classes = classify_decisions(items["decision_text"], SETTINGS.decisions)
    assert classes["known"].all()
    classified = items.assign(decision=classes["decision"], merge_target=classes["merge_target"])
    return classified.assign(counts_as=count_roles(classified))


def test_city_licensing_rate_is_53_18_percent(city_2009):
    licensing = city_2009[city_2009["category"] == "行政许可"]
    rate = streamlining_rate(licensing)
    assert round(rate, 4) == 0.5318
    assert f"{rate:.0%}" == "53%"
    row = only_row(figures(city_2009, by="category", targets=TARGETS), "行政许可")
    assert (row["before"], row["retained"], row["streamlined"]) == (393, 184, 209)
    assert round(row["streamlining_rate"], 4) == 0.5318


def test_city_investment_rate_is_45_28_percent(city_2009):
    row = only_row(figures(city_2009, by="category", targets=TARGETS), "投资项目审批")
    assert (row["before"], row["retained"], row["streamlined"]) == (53, 29, 24)
    assert round(row["streamlining_rate"], 4) == 0.4528


def test_city_licensing_limits_19_89_to_11_01_days_is_44_65_percent(city_2009):
    row = only_row(figures(city_2009, by="category", targets=TARGETS), "行政许可")
    assert row["time_counted_items"] == 184
    assert row["before_avg_days"] == pytest.approx(19.89)
    assert row["after_avg_days"] == pytest.approx(11.01)
    assert round(row["shortening_rate"], 4) == 0.4465
    licensing = city_2009[city_2009["category"] == "行政许可"]
    assert shortening_rate(licensing) == pytest.approx(row["shortening_rate"])


def test_mean_of_item_ratios_differs_from_the_ratio_of_means(city_2009):
    licensing = city_2009[city_2009["category"] == "行政许可"]
    by_hand = ((29.78 - 16.01) / 29.78 + (10.0 - 6.01) / 10.0) / 2
    rates = item_shortening_rates(licensing)
    assert rates.notna().sum() == 184
    assert rates.mean() == pytest.approx(by_hand)
    row = only_row(figures(city_2009, by="category", targets=TARGETS), "行政许可")
    assert row["mean_item_shortening_rate"] == pytest.approx(by_hand)
    assert abs(row["mean_item_shortening_rate"] - row["shortening_rate"]) > 0.01


def test_city_investment_limits_41_20_to_23_63_days_is_42_65_percent(city_2009):
    row = only_row(figures(city_2009, by="category", targets=TARGETS), "投资项目审批")
    assert row["before_avg_days"] == pytest.approx(41.20)
    assert row["after_avg_days"] == pytest.approx(23.63)
    assert round(row["shortening_rate"], 4) == 0.4265


def test_11_01_days_is_4_3_percent_below_the_provinces_11_5(city_2009):
    assert f"{benchmark_gap(11.01, 11.5):.1%}" == "4.3%"
    assert benchmark_gap(11.01, 11.5) == pytest.approx(0.49 / 11.5)
    table = figures(city_2009, by="category", targets=TARGETS, benchmarks={"行政许可": 11.5})
    row = only_row(table, "行政许可")
    assert row["benchmark_days"] == 11.5
    assert round(row["benchmark_gap"], 3) == 0.043
    assert np.isnan(only_row(table, "投资项目审批")["benchmark_gap"])


def test_a_limit_above_the_benchmark_has_a_negative_gap():
    assert benchmark_gap(12.0, 10.0) == pytest.approx(-0.2)
    with pytest.raises(ValueError, match="大于 0"):
        benchmark_gap(5.0, 0.0)


def test_another_city_332_retained_65_cancelled_over_41_departments_is_16_37_percent():
    rows = many(332) + many(65, decision="cancelled")
    for i, row in enumerate(rows):
        row["department"] = f"部门{i % 41:02d}"
    items = make_items(rows)
    overall = figures(items, targets=TARGETS)
    assert overall["group"].tolist() == [ALL_ITEMS]
    assert round(overall.loc[0, "streamlining_rate"], 4) == 0.1637
    per_department = figures(items, by="department", targets=TARGETS)
    assert len(per_department) == 41
    assert per_department["before"].sum() == 397
    assert per_department["streamlined"].sum() == 65


def test_county_environmental_bureau_7_items_4_streamlined_is_57_14_percent():
    items = make_items(
        [
            item(before_days=30.0, after_days=7.0),
            item(before_days=20.0, after_days=5.0),
            item(statutory_status="none", original_status="blank", before_days=np.nan),
            item(decision="cancelled"),
            item(decision="cancelled"),
            item(decision="delegated"),
            item(decision="changed"),
        ]
    )
    assert round(streamlining_rate(items), 4) == 0.5714
    rates = item_shortening_rates(items)
    assert [round(r, 3) for r in rates.iloc[:2]] == [0.767, 0.75]
    assert rates.iloc[2:].isna().all()
    row = figures(items, targets=TARGETS).iloc[0]
    assert row["time_counted_items"] == 2
    assert row["left_out"] == {"before_no_limit": 1}
    assert row["shortening_rate"] == pytest.approx(38 / 50)


def test_transport_document_circulation_27_to_6_6_days_is_75_6_percent():
    items = make_items(timed([27.0], [6.6]))
    assert f"{shortening_rate(items):.1%}" == "75.6%"


# ---------------------------------------------------------------- what leaves the figures


def test_undecided_items_leave_the_rate_and_are_counted():
    items = make_items(many(5) + many(3, decision="cancelled") + many(2, decision="undecided"))
    assert streamlining_rate(items) == pytest.approx(3 / 8)
    row = figures(items, targets=TARGETS).iloc[0]
    assert (row["before"], row["decided"], row["undecided"], row["n_undecided"]) == (10, 8, 2, 2)
    assert row["streamlining_rate"] == pytest.approx(3 / 8)


def test_merge_of_three_into_a_new_item_streamlines_two():
    rows = many(3, decision="merged", merge_target="建设项目用地规划许可")
    items = make_items(rows + many(1))
    row = figures(items, targets=TARGETS).iloc[0]
    assert (row["retained"], row["streamlined"], row["n_merged"]) == (2, 2, 3)
    assert row["streamlining_rate"] == pytest.approx(0.5)


def test_merge_into_an_existing_retained_item_streamlines_all_merged():
    items = make_items(many(1) + many(3, decision="merged", merge_target="事项0"))
    row = figures(items, targets=TARGETS).iloc[0]
    assert (row["retained"], row["streamlined"], row["n_merged"], row["n_retained"]) == (1, 3, 3, 1)
    assert row["streamlining_rate"] == pytest.approx(0.75)


def test_current_catalog_has_no_streamlining_rate_and_compares_committed_with_statutory():
    rows = timed(
        [20.0, 20.0, 15.0], [10.0, 5.0, 15.0], has_decision=False, decision="", original_status="blank"
    )
    items = make_items(rows)
    assert streamlining_rate(items) is None
    assert shortening_rate(items) == pytest.approx((55 - 30) / 55)
    row = figures(items, targets=TARGETS).iloc[0]
    assert np.isnan(row["streamlining_rate"])
    assert row["streamlining_met"] is None
    assert (row["before"], row["retained"], row["n_retained"], row["n_undecided"]) == (3, 3, 3, 0)
    assert row["shortening_met"] is True


def test_nothing_decided_has_no_rate_rather_than_zero():
    items = make_items(many(4, decision="undecided"))
    assert streamlining_rate(items) is None
    assert np.isnan(figures(items, targets=TARGETS).loc[0, "streamlining_rate"])


LEFT_OUT_CASES = [
    ({"statutory_status": "none", "original_status": "blank", "before_days": np.nan}, "before_no_limit"),
    ({"statutory_status": "none", "original_status": "", "before_days": np.nan}, "before_no_limit"),
    ({"statutory_status": "blank", "original_status": "blank", "before_days": np.nan}, "before_blank"),
    ({"statutory_status": "invalid", "original_status": "blank", "before_days": np.nan}, "before_invalid"),
    ({"statutory_status": "none", "original_status": "invalid", "before_days": np.nan}, "before_invalid"),
    ({"statutory_status": "value", "original_status": "blank", "before_days": np.nan}, "before_unusable"),
    ({"committed_status": "blank", "after_days": np.nan}, "after_blank"),
    ({"committed_status": "none", "after_days": np.nan}, "after_no_limit"),
    ({"committed_status": "invalid", "after_days": np.nan}, "after_invalid"),
    ({"committed_status": "value", "after_days": np.nan}, "after_unusable"),
    (
        {
            "before_days": np.nan,
            "after_days": np.nan,
            "statutory_status": "blank",
            "original_status": "blank",
            "committed_status": "blank",
        },
        "before_blank",
    ),
]


@pytest.mark.parametrize(("fields", "reason"), LEFT_OUT_CASES)
def test_items_left_out_of_the_time_figures_are_counted_by_reason(fields, reason):
    items = make_items(many(3) + [item(**fields)] * 2)
    assert left_out_reasons(items).tolist() == ["", "", "", reason, reason]
    row = figures(items, targets=TARGETS).iloc[0]
    assert row["time_counted_items"] == 3
    assert row["left_out"] == {reason: 2}
    assert row["shortening_rate"] == pytest.approx(0.5)


def test_every_reason_has_a_chinese_label():
    reasons = {reason for _, reason in LEFT_OUT_CASES}
    assert reasons <= set(LEFT_OUT_LABELS)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in LEFT_OUT_LABELS.values())


def test_streamlined_items_without_limits_are_not_reported_as_left_out():
    items = make_items(many(2) + many(2, decision="cancelled", before_days=np.nan, after_days=np.nan))
    assert left_out_reasons(items).tolist() == ["", "", "", ""]
    assert figures(items, targets=TARGETS).loc[0, "left_out"] == {}


def test_immediate_items_count_in_the_ratio_of_means_not_in_the_item_mean():
    items = make_items(timed([0.0, 10.0], [0.0, 4.0]))
    assert shortening_rate(items) == pytest.approx((5 - 2) / 5)
    assert item_shortening_rates(items).tolist()[1] == pytest.approx(0.6)
    assert np.isnan(item_shortening_rates(items).iloc[0])
    assert figures(items, targets=TARGETS).loc[0, "mean_item_shortening_rate"] == pytest.approx(0.6)


# ---------------------------------------------------------------- targets


def test_bundled_targets_are_the_provinces_three_30_percents():
    targets = SETTINGS.targets
    for category in ("行政许可", "非行政许可审批", "投资项目审批"):
        assert targets.streamlining_for(category) == 0.30
    assert targets.streamlining_for() == 0.30
    assert targets.shortening_for() == 0.30
    assert targets.streamlining_for(" 行政许可 ") == 0.30


def test_targets_load_from_another_file(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text(
        '[streamlining]\ndefault = 0.2\n[streamlining.by_category]\n"行政许可" = 0.5\n',
        encoding="utf-8",
    )
    targets = load_settings(tmp_path, year=2026).targets
    assert targets.streamlining_for("行政许可") == 0.5
    assert targets.streamlining_for("投资项目审批") == 0.2
    assert targets.shortening_for("行政许可") is None


def test_targets_written_as_percent_are_refused(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text("[streamlining]\ndefault = 30\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=re.escape("0.30 即 30%")) as raised:
        load_settings(tmp_path, year=2026)
    assert (raised.value.file, raised.value.key, raised.value.value) == (
        "targets.toml",
        "streamlining.default",
        30,
    )


def test_targets_pass_and_fail_per_list(city_2009):
    strict = Targets(streamlining={"行政许可": 0.50, "投资项目审批": 0.50}, shortening_default=0.44)
    table = figures(city_2009, by="category", targets=strict)
    licensing, investment = only_row(table, "行政许可"), only_row(table, "投资项目审批")
    assert (licensing["streamlining_target"], licensing["streamlining_met"]) == (0.50, True)
    assert (investment["streamlining_target"], investment["streamlining_met"]) == (0.50, False)
    assert (licensing["shortening_met"], investment["shortening_met"]) == (True, False)
    bundled = figures(city_2009, by="category", targets=TARGETS)  # the bundled targets.toml
    assert bundled["streamlining_target"].tolist() == [0.30, 0.30]
    assert bundled["streamlining_met"].tolist() == [True, True]
    assert bundled["shortening_met"].tolist() == [True, True]


def test_departments_are_held_to_the_default_target():
    rows = many(3, department="市发改委") + many(7, department="市发改委", decision="cancelled")
    rows += many(8, department="市教育局") + many(2, department="市教育局", decision="cancelled")
    items = make_items(rows)
    targets = Targets(streamlining={"行政许可": 0.9}, streamlining_default=0.3)
    table = figures(items, by="department", targets=targets)
    assert table["group"].tolist() == ["市发改委", "市教育局"]
    assert table["streamlining_target"].tolist() == [0.3, 0.3]
    assert table["streamlining_rate"].tolist() == pytest.approx([0.7, 0.2])
    assert table["streamlining_met"].tolist() == [True, False]
    by_list = figures(items, by="category", targets=targets)
    assert by_list["streamlining_target"].tolist() == [0.9]
    assert by_list["streamlining_met"].tolist() == [False]


def test_a_rate_exactly_on_target_meets_it():
    items = make_items(many(7) + many(3, decision="cancelled"))
    assert figures(items, targets=Targets(streamlining_default=0.3)).loc[0, "streamlining_met"] is True


def test_no_target_means_no_verdict():
    items = make_items(many(2) + many(2, decision="cancelled"))
    row = figures(items, targets=Targets(streamlining_default=None)).iloc[0]
    assert np.isnan(row["streamlining_target"])
    assert row["streamlining_met"] is None


# ---------------------------------------------------------------- the table's shape


def test_figures_columns_and_blank_groups():
    items = make_items(many(2, category="") + many(1, category="行政许可"))
    table = figures(items, by="category", targets=TARGETS)
    assert table.columns.tolist() == FIGURE_COLUMNS
    assert table["group"].tolist() == [UNSPECIFIED_GROUP, "行政许可"]


def test_an_empty_table_has_one_overall_row_of_zeros():
    row = figures(make_items([]), targets=TARGETS).iloc[0]
    assert (row["group"], row["before"], row["decided"], row["time_counted_items"]) == (ALL_ITEMS, 0, 0, 0)
    assert np.isnan(row["streamlining_rate"]) and np.isnan(row["shortening_rate"])
    assert row["left_out"] == {}


def test_counts_by_decision_class_add_up():
    decisions = ["retained"] * 4 + ["cancelled"] * 3 + ["delegated"] * 2 + ["changed", "undecided"]
    items = make_items([item(decision=d) for d in decisions])
    row = figures(items, targets=TARGETS).iloc[0]
    counts = Counter(decisions)
    for decision in ("retained", "cancelled", "delegated", "changed", "undecided"):
        assert row[f"n_{decision}"] == counts[decision]
    assert row["streamlined"] == 6
    assert row["before"] == row["decided"] + row["undecided"] + row["current"]


def test_a_current_catalog_beside_a_clean_up_list_leaves_the_rate_of_all_items_unchanged():
    # The county environmental bureau's 7 items, 4 streamlined (57.14%), uploaded with a
    # current catalog of 20 items that has no decision column.
    clean_up = [item(decision="retained")] * 3 + [item(decision="cancelled")] * 4
    catalog = [item(decision="", has_decision=False, category="政务服务事项")] * 20
    items = make_items(clean_up + catalog)
    overall = figures(items, targets=TARGETS).iloc[0]
    assert (overall["before"], overall["current"], overall["decided"]) == (27, 20, 7)
    assert overall["streamlining_rate"] == pytest.approx(4 / 7)
    assert streamlining_rate(items) == pytest.approx(4 / 7)
    lists = figures(items, by="category", targets=TARGETS).set_index("group")
    assert np.isnan(lists.loc["政务服务事项", "streamlining_rate"])


def test_figures_count_each_item_as_its_counts_as_says_not_by_its_decision():
    items = make_items(many(4) + many(4, decision="merged", merge_target="新事项"))
    assert items["counts_as"].tolist() == ["retained"] * 5 + ["streamlined"] * 3  # one new item of 4 merged
    items.loc[items.index[0], "counts_as"] = "streamlined"  # the analyst's override
    row = figures(items, targets=TARGETS).iloc[0]
    assert (row["retained"], row["streamlined"]) == (4, 4)


# ---------------------------------------------------------------- properties

ROLES = st.sampled_from(["retained", "streamlined", "undecided"])


@given(st.lists(st.tuples(ROLES, st.booleans()), max_size=60))
def test_streamlining_rate_is_streamlined_over_decided(rows):
    items = pd.DataFrame(rows, columns=["counts_as", "has_decision"])
    rate = streamlining_rate(items)
    counts = Counter(role for role, has in rows if has or role != "retained")
    decided = counts["retained"] + counts["streamlined"]  # a current catalog's kept items never count
    if not any(has for _, has in rows) or decided == 0:
        assert rate is None
    else:
        assert 0.0 <= rate <= 1.0
        assert rate == counts["streamlined"] / decided


DAYS = st.floats(min_value=0.5, max_value=200, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["甲局", "乙局", "丙局"]), ROLES, DAYS, DAYS),
        min_size=1,
        max_size=40,
    )
)
def test_departments_add_up_to_the_overall_row(rows):
    items = make_items([item(department=d, counts_as=r, before_days=b, after_days=a) for d, r, b, a in rows])
    overall = figures(items, targets=TARGETS).iloc[0]
    per_department = figures(items, by="department", targets=TARGETS)
    for column in ("before", "retained", "streamlined", "undecided", "time_counted_items"):
        assert per_department[column].sum() == overall[column]
    rate = streamlining_rate(items)
    if rate is None:
        assert np.isnan(overall["streamlining_rate"])
    else:
        assert overall["streamlining_rate"] == pytest.approx(rate)
    retained = [(b, a) for _, r, b, a in rows if r == "retained"]
    if retained:
        before, after = (sum(x) for x in zip(*retained, strict=True))
        assert overall["shortening_rate"] == pytest.approx((before - after) / before)
