"""``export``: the published catalogs, the analysis workbook and the item report, from files or
a round."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from approvals.cli.commands import Source, source_of
from approvals.errors import OptionError
from approvals.publish.catalogs import LIST_KINDS, CatalogOptions, Place, catalog_place, catalog_title
from approvals.publish.documents import (
    find_items,
    list_documents,
    report_document,
    titled_options,
    workbook_document,
)
from approvals.read.verdicts import read_verdicts
from approvals.views.flags import keyed_verdicts


def catalog_options(args: argparse.Namespace, source: Source, place: Place) -> CatalogOptions:
    """The catalog options the command line gives; the region and level not given are the round's
    or what the lists' own titles say, else export.toml's level."""
    order: str | list[str] = args.order
    if args.order not in ("listed", "count"):
        order = [name.strip() for name in args.order.replace("，", ",").split(",") if name.strip()]
    try:
        return CatalogOptions(
            region=place.region if args.region is None else args.region,
            level=args.level if args.level is not None else (source.level or place.level or None),
            department_order=order,
            numbering=args.numbering,
            extras=args.extra,
            subtitle=args.subtitle,
            source=source.line,
            holds=args.holds.strip(),
            limits_as_written=args.limits_as_written,
        )
    except ValueError as exc:  # an order or numbering the catalog cannot take
        raise OptionError(str(exc)) from None


def title_line(args: argparse.Namespace, source: Source, place: Place, title: str, default: str) -> str:
    """What the catalogs are titled, and where the region and level came from."""
    if args.level is not None:
        why = ""
    elif source.level:
        why = "（层级取自清理批次）"
    elif place.level:
        what = "地区和层级" if args.region is None and place.region else "层级"
        why = f"（{what}取自{place.found_in}）"
    else:
        why = f"（清单中看不出层级，用了 export.toml 的默认层级“{default}”；可用 --level 指定）"
    return f"目录标题：{title}{why}"


def list_kinds(text: str) -> list[str]:
    """--lists as list kinds; the Chinese names (保留, 取消事项目录, …) are understood too."""
    kinds = []
    for token in (k.strip() for k in text.replace("，", ",").replace("、", ",").split(",")):
        kind = (
            token
            if token in LIST_KINDS
            else next((k for k, v in LIST_KINDS.items() if token and v.startswith(token)), None)
        )
        if kind is None:
            choices = "、".join(f"{k}（{v}）" for k, v in LIST_KINDS.items())
            raise OptionError(f"--lists 中的“{token}”不是目录名称，可选：{choices}")
        kinds.append(kind)
    return kinds


def write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as exc:
        raise OptionError(f"无法写入“{path}”：{exc.strerror or exc}") from None
    print(f"已写出：{path}")


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OptionError(f"无法读取“{path}”：{exc.strerror or exc}") from None


def export_command(args: argparse.Namespace) -> int:
    outputs = (args.catalog, args.docx, args.csv, args.report, args.workbook)
    if not any(outputs):
        raise OptionError("请至少指定一个输出文件：--catalog、--docx、--csv、--report 或 --workbook")
    kinds = list_kinds(args.lists)
    given: dict[str, str] | None = None
    if args.verdicts:
        given, bad = read_verdicts(args.verdicts.name, read_bytes(args.verdicts))
        for row in bad.itertuples(index=False):
            print(f"{row.file} 第{row.row}行：{row.message}（{row.value}）", file=sys.stderr)
    source = source_of(args)
    analysis = source.analysis
    items = analysis.dataset.items
    place = catalog_place(items, analysis.settings)
    options = catalog_options(args, source, place)
    verdicts = source.verdicts if given is None else keyed_verdicts(given, analysis.flags)
    layout = analysis.settings.export
    if args.catalog or args.docx or args.csv:
        title = catalog_title("retained", titled_options(options, items, layout), layout=layout)
        print(title_line(args, source, place, title, layout.level))
    try:
        for path, fmt in ((args.catalog, "xlsx"), (args.docx, "docx"), (args.csv, "csv")):
            if path is None:
                continue
            for n, document in enumerate(list_documents(items, kinds, fmt, options, analysis.settings)):
                # the first list goes to the path given, the others beside it under their names
                label = LIST_KINDS.get(document.kind, "")
                write(path.with_name(f"{path.stem}（{label}）{path.suffix}") if n else path, document.data)
    except ValueError as exc:  # an --extra column the lists do not have
        raise OptionError(str(exc)) from None
    if args.workbook:
        write(args.workbook, workbook_document(analysis, verdicts, source=source.line).data)
    if args.report:
        chosen, missing = find_items(items, args.item)
        if missing:
            raise OptionError(f"--item 找不到这些事项：{'、'.join(missing)}")
        write(args.report, report_document(analysis, verdicts, chosen, source=source.line).data)
    return 0
