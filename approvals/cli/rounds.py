"""The commands on rounds in the database: ``round create|list|rename``, ``import``, ``decide``,
``snapshot``, ``compare``, ``history`` and ``roles``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

import pandas as pd

from approvals.cli.inputs import settings_of, spreadsheet_files
from approvals.dataset.edits import EDITABLE_FIELDS, decided_edits
from approvals.dataset.lookup import find_item, item_label
from approvals.errors import OptionError, ReadError
from approvals.store.compare import compare_states
from approvals.store.db import shown_url
from approvals.store.records import ROLE_LABELS, Round, local_time
from approvals.store.rounds import Store, shown_value
from approvals.views.command_line import json_text
from approvals.views.rounds import (
    comparison_json,
    comparison_text,
    history_records,
    history_text,
    round_records,
    rounds_text,
)
from approvals.workspace import analyze_workspace


def open_store(args: argparse.Namespace) -> Store:
    """The store ``--db`` names (else the default); an upgrade of its schema is said on stderr."""
    store = Store.open(getattr(args, "db", None))
    if store.opened.note:
        print(store.opened.note, file=sys.stderr)
    return store


def print_warnings(failures: Sequence[ReadError]) -> None:
    """Files of a round that cannot be read: kept in the round, left out of its figures."""
    for failure in failures:
        print(f"注意：{failure}（该文件已保存在清理批次中，未计入结果）", file=sys.stderr)


def print_json(value: Any) -> None:
    sys.stdout.write(json_text(value) + "\n")


def round_command(args: argparse.Namespace) -> int:
    store = open_store(args)
    if args.action == "create":
        if args.year is not None and not 2000 <= args.year <= 2100:
            raise OptionError(f"--year 应为四位年份，实为“{args.year}”")
        made = store.create_round(args.name, settings_of(args), level=args.level, by=args.by)
        level = f"{made.level}，" if made.level else ""
        where = shown_url(str(store.engine.url))
        print(f"已建立清理批次“{made.name}”（{level}{made.year} 年），数据库：{where}")
    elif args.action == "rename":
        renamed = store.rename_round(store.round(args.name), args.new_name, by=args.by)
        print(f"清理批次“{args.name}”已改名为“{renamed.name}”")
    else:
        listed = store.rounds()
        active = {r.id: len(store.imports(r)) for r in listed}
        snapshots = {r.id: store.snapshots(r) for r in listed}
        if args.json:
            print_json(round_records(listed, active, snapshots))
        else:
            print(rounds_text(listed, active, snapshots))
    return 0


def import_command(args: argparse.Namespace) -> int:
    store = open_store(args)
    current = store.round(args.round)
    paths = list(spreadsheet_files(args.paths))
    files = []
    for path in paths:
        try:
            files.append((path.name, path.read_bytes()))
        except OSError as exc:
            raise OptionError(f"无法读取“{path}”：{exc.strerror or exc}") from None
    result = store.import_files(current, files, by=args.by)
    for record in result.added:
        print(f"已导入：{record.name}（{record.size:,} 字节）")
    for name in result.already:
        print(f"已有相同内容的文件，未重复保存：{name}")
    for old, new in result.replaced:
        print(f"已替换：{old} → {new}（部门重新报送，原文件保留在历史中）")
    if result.unreadable:
        name, reason = result.unreadable[0]
        more = f"（另有 {len(result.unreadable) - 1} 个文件也无法读取）" if len(result.unreadable) > 1 else ""
        print(f"文件“{name}”已保存，但无法读取：{reason}{more}", file=sys.stderr)
        return 2
    return 0


def _current_items(store: Store, current: Round) -> pd.DataFrame:
    analysis, failures = analyze_workspace(store.state(current).workspace())
    print_warnings(failures)
    return analysis.dataset.items


def decide_command(args: argparse.Namespace) -> int:
    if args.decision is None and args.limit is None:
        raise OptionError("请用 --decision 给出处理意见，或用 --limit 给出承诺办结时限")
    store = open_store(args)
    current = store.round(args.round)
    item = find_item(_current_items(store, current), args.item)
    key = str(item["item_key"])
    expected = store.item_version(current, key)
    changes = decided_edits(item, current.settings, decision=args.decision, limit=args.limit)
    if not changes:
        print(f"{item_label(item)}：与现有处理意见和时限相同，未作修改")
        return 0
    old = {
        "decision": str(item["decision"]),
        "merge_target": str(item["merge_target"]),
        "committed": str(item["committed_text"]),
    }
    store.edit_item(
        current, key, changes, old=old, item=str(item["name"]), department=str(item["department"]),
        by=args.by, reason=args.reason, expected=expected,
    )  # fmt: skip
    done = "，".join(
        f"{EDITABLE_FIELDS[name]} {_shown(name, old[name])} → {_shown(name, value)}"
        for name, value in changes.items()
    )
    print(f"已修改：{item_label(item)}：{done}")
    return 0


def _shown(name: str, value: str) -> str:
    return shown_value(name, value) or "（空）"


def snapshot_command(args: argparse.Namespace) -> int:
    store = open_store(args)
    current = store.round(args.round)
    made = store.snapshot(current, args.label, by=args.by)
    print(f"已保存快照“{made.label}”（清理批次“{current.name}”）")
    return 0


def compare_command(args: argparse.Namespace) -> int:
    store = open_store(args)
    comparison = compare_states(store, store.round(args.round), args.source.strip(), args.target.strip())
    print_warnings(comparison.failures)
    if args.json:
        print_json(comparison_json(comparison))
    else:
        print(comparison_text(comparison))
    return 0


def history_command(args: argparse.Namespace) -> int:
    store = open_store(args)
    current = store.round(args.round)
    item_key = None
    if args.item:
        item_key = _history_key(store, current, args.item)
    history = store.history(current, item_key=item_key)
    if args.json:
        print_json(history_records(history))
    else:
        print(history_text(history))
    return 0


def _history_key(store: Store, current: Round, text: str) -> str:
    """The item ``--item`` names: one of the round now, else one its history knows (an item
    since removed keeps its history)."""
    try:
        return str(find_item(_current_items(store, current), text)["item_key"])
    except OptionError as missing:
        audit = store.history(current)
        audit = audit[audit["item_key"].ne("")]
        named = (
            audit["item_key"].eq(text)
            | audit["item"].eq(text)
            | (audit["department"] + "/" + audit["item"]).eq(text)
        )
        keys = audit.loc[named.to_numpy(), "item_key"].unique()
        if len(keys) == 1:
            return str(keys[0])
        raise missing from None


def roles_command(args: argparse.Namespace) -> int:
    """List, grant or revoke who may only read and who may edit (a round, or all rounds)."""
    store = open_store(args)
    current = store.round(args.round) if args.round else None
    if args.action == "list":
        grants = store.roles(current)
        if not grants:
            print("尚未设置权限：所有人都可以修改。")
        for g in grants:
            when = local_time(g.granted_at)
            print(f"{g.user}\t{g.scope}\t{ROLE_LABELS[g.role]}\t{g.granted_by} 于 {when} 设置")
        return 0
    role = args.role if args.action == "grant" else None
    store.set_role(current, args.user, role, by=args.by)
    scope = f"清理批次“{current.name}”" if current is not None else "所有清理批次"
    if role is None:
        print(f"已收回 {' '.join(args.user.split())} 在{scope}的权限")
    else:
        print(f"已设置 {' '.join(args.user.split())} 在{scope}的权限：{ROLE_LABELS[role]}")
    return 0
