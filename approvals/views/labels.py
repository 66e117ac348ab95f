"""The Chinese headers of every table the analyst sees."""

from __future__ import annotations

import pandas as pd

from approvals.model import DECISION_LABELS

ITEM_LABELS: dict[str, str] = {
    "code": "事项编码",
    "name": "事项名称",
    "sub_item": "子项名称",
    "department": "实施部门",
    "category": "事项类型",
    "legal_basis": "设定依据",
    "statutory_text": "法定办结时限",
    "original_text": "原承诺办结时限",
    "committed_text": "承诺办结时限（清理后）",
    "before_days": "清理前时限（工作日）",
    "after_days": "清理后时限（工作日）",
    "item_rate": "缩短率",
    "decision_text": "处理意见（原文）",
    "decision": "处理意见",
    "merge_target": "合并至",
    "fee": "是否收费",
    "fee_standard": "收费标准",
    "fee_basis": "收费依据",
    "materials": "申请材料",
    "visits": "到办事现场次数",
    "remarks": "备注",
    "basic_code": "基本编码",
    "level": "行使层级",
    "dept_code": "部门编码",
    "area_code": "行政区划代码",
    "locality": "行政区划",
    "decision_reason": "清理理由",
    "handling_type": "办件类型",
    "intermediary": "中介服务",
    "service_form": "办理形式",
    "service_object": "服务对象",
    "duties": "责任事项",
    "national_ref": "国家清单序号",
    "special_procedure": "特别程序",
    "scenes": "情形数",
    "edited": "已修改",
    "file": "文件",
    "sheet": "工作表",
    "row": "行号",
}


PROBLEM_LABELS: dict[str, str] = {
    "severity": "级别",
    "file": "文件",
    "sheet": "工作表",
    "row": "行号",
    "column": "列",
    "value": "原值",
    "message": "说明",
}


FIGURE_LABELS: dict[str, str] = {
    "before": "清理前",
    "retained": "保留",
    "streamlined": "精简",
    "undecided": "未决定",
    "streamlining_rate": "精简率",
    "streamlining_target": "精简率目标",
    "streamlining_met": "精简率达标",
    "time_counted_items": "计入时限统计",
    "before_avg_days": "原平均时限",
    "after_avg_days": "新平均时限",
    "shortening_rate": "缩短率",
    "mean_item_shortening_rate": "逐项缩短率均值",
    "shortening_target": "缩短率目标",
    "shortening_met": "缩短率达标",
}


LABEL_DECISIONS: dict[str, str] = {label: key for key, label in DECISION_LABELS.items()}


INTERNAL_COLUMNS = ("edited", "seq")  # the tool's own bookkeeping, not a department's column


NOT_RECOGNISED = "（未识别，原样保留）"


EDITABLE_COLUMNS: dict[str, str] = {"处理意见": "decision", "承诺办结时限（清理后）": "committed"}


STEP_LABELS: dict[str, str] = {
    "step_no": "序号",
    "step_name": "环节名称",
    "office": "责任科室",
    "person": "责任人员",
    "limit_text": "办理时限",
    "days": "工作日",
    "predecessors": "前置环节",
    "counted": "计入时限",
    "materials": "所需材料",
}


DECISION_TEXT_LABELS: dict[str, str] = {
    "text": "处理意见（原文）",
    "count": "事项数",
    "label": "归类",
    "merge_target": "合并至",
    "rule": "匹配的规则",
    "known": "已识别",
}


def item_label(department: str, name: str, sub_item: str = "") -> str:
    """How an item is named wherever one is picked or titled: 部门｜名称（子项）.

    >>> item_label("市水利局", "取水许可"), item_label("市水利局", "取水许可", "延续")
    ('市水利局｜取水许可', '市水利局｜取水许可（延续）')
    """
    label = f"{department}｜{name}"
    return f"{label}（{sub_item}）" if sub_item else label


def item_labels(items: pd.DataFrame) -> dict[int, str]:
    """item_id → :func:`item_label` of each row of ``items`` (in the table's order)."""
    return {
        int(i): item_label(d, n, s)
        for i, d, n, s in zip(
            items["item_id"], items["department"], items["name"], items["sub_item"], strict=True
        )
    }
