"""审批流程精简分析器 — Streamlit entry: the bundled sample's headline figures per list."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from approvals.analysis import Analysis, analyze
from approvals.catalog import load_catalog
from approvals.model import DATA_DIR

SAMPLE_DIR = DATA_DIR / "sample"


@st.cache_data(show_spinner="正在读取示例清单……")
def sample_analysis() -> Analysis:
    return analyze(load_catalog(sorted(Path(SAMPLE_DIR).glob("*.xlsx"))))


def pct(value: float) -> str:
    return "—" if value != value else f"{value * 100:.2f}%"


st.set_page_config(page_title="审批流程精简分析器", layout="wide")
st.title("审批流程精简分析器")
analysis = sample_analysis()
st.caption(f"当前数据：示例市（合成示例数据），{len(analysis.catalog.items)} 个事项")
for _, row in analysis.lists.iterrows():
    st.subheader(row["group"])
    left, right = st.columns(2)
    left.metric(
        "精简率", pct(row["streamlining_rate"]), f"目标 {pct(row['streamlining_target'])}", delta_color="off"
    )
    right.metric(
        "缩短率",
        pct(row["shortening_rate"]),
        f"{row['before_avg_days']:.2f} → {row['after_avg_days']:.2f} 个工作日",
        delta_color="off",
    )
