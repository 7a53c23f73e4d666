"""`tongxue apportion`: seats per unit from a CSV of units and sizes (rules.md §4), offline.

    tongxue apportion units.csv [--seats N | --share 1%] [--method largest_remainder|sainte_lague]
                                [--minimum 1] [--lang zh|en] [--json]

The CSV has the header `unit,size[,minimum]` or `单位,人数,最少名额`, in UTF-8 (with or without a
byte-order mark; GB18030 as saved by a Chinese Excel is accepted too); `-` reads standard input.
Without --seats, the total is --share (default 1 %) of all students, rounded up. --minimum is a
floor for every unit (a unit's own minimum counts when larger). The database is not used: the
preparatory committee can check the allocation anywhere with the same code as the platform.
"""
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongxue.domain.apportion import (
    DEFAULT_SHARE, ApportionmentError, Method, Unit, apportion, read_units_csv, seats_for_share,
)
from tongxue.domain.tally import TallyError, pad, display_width, parse_share

HEAD = {
    "zh": ("单位", "人数", "份额", "名额", "合计", "最少", "名额总数 {seats}（{how}），方法：{method}。",
           "按 {share} 比例向上取整", "指定", {"largest_remainder": "最大余额法", "sainte_lague": "圣拉古法"}),
    "en": ("Unit", "Size", "Quota", "Seats", "Total", "Min", "{seats} seats ({how}), method: {method}.",
           "{share} of the students, rounded up", "given", {"largest_remainder": "largest remainder",
                                                           "sainte_lague": "Sainte-Laguë"}),
}


def read_text(path: str) -> str:
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise CommandError(f"{path}: neither UTF-8 nor GB18030 text. 文件编码无法识别。") from None


def share_text(share) -> str:
    percent = share * 100
    return f"{float(percent):g}%"


class Command(BaseCommand):
    help = ("Apportion congress seats among the units of a CSV file (unit,size[,minimum] or 单位,人数,最少名额) "
            "and print the table; the database is not used. 按单位人数分配学代会代表名额（不使用数据库）。")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("csv", help="CSV file of units, or - for standard input. 单位名单 CSV 文件")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--seats", type=int, help="Total seats. 名额总数")
        group.add_argument("--share", help="Share of the students (default 1%%), e.g. 1%%, 0.01, 1/100. 代表比例")
        parser.add_argument("--method", choices=[m.value for m in Method], default=Method.LARGEST_REMAINDER.value,
                            help="largest_remainder (default) or sainte_lague. 分配方法")
        parser.add_argument("--minimum", type=int, default=0, help="Seats every unit gets at least. 每单位最少名额")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="Language of the table. 语言")
        parser.add_argument("--json", action="store_true", help="Machine-readable output. 输出 JSON")

    def handle(self, *args, csv, seats, share, method, minimum, lang, json: bool, **options):
        if minimum < 0:
            raise CommandError("--minimum cannot be negative. 最少名额不能为负。")
        try:
            units = read_units_csv(read_text(csv))
        except OSError as error:
            raise CommandError(f"{csv}: {error.strerror or error}") from None
        except ApportionmentError as error:
            raise CommandError(str(error)) from None
        units = [Unit(u.key, u.size, max(u.minimum, minimum)) for u in units]
        total = sum(u.size for u in units)
        text = HEAD[lang]
        if seats is None:
            try:
                fraction = parse_share(share) if share is not None else DEFAULT_SHARE
            except TallyError as error:
                raise CommandError(str(error)) from None
            seats = seats_for_share(total, fraction)
            how = text[7].format(share=share_text(fraction))
        else:
            how = text[8]
        try:
            rows = apportion(units, seats, Method(method))
        except ApportionmentError as error:
            raise CommandError(str(error)) from None
        if json:
            self.stdout.write(dump_json(rows, units, seats, method))
            return
        self.stdout.write(text[6].format(seats=seats, how=how, method=text[9][method]))
        minimums = {u.key: u.minimum for u in units}
        table = [(r.key, str(r.size), f"{float(r.quota):.3f}", str(minimums[r.key] or ""), str(r.seats))
                 for r in rows]
        table.append((text[4], str(total), f"{seats:.3f}", "", str(sum(r.seats for r in rows))))
        columns = (text[0], text[1], text[2], text[5], text[3])
        widths = [max(display_width(c) for c in column) for column in zip(columns, *table)]
        for cells in [columns, *table]:
            self.stdout.write("  ".join(pad(c, w, right=i > 0) for i, (c, w) in enumerate(zip(cells, widths))))


def dump_json(rows, units, seats, method) -> str:
    minimums = {u.key: u.minimum for u in units}
    return json.dumps({
        "seats": seats, "method": method,
        "units": [{"unit": r.key, "size": r.size, "minimum": minimums[r.key], "quota": str(r.quota),
                   "seats": r.seats} for r in rows],
    }, ensure_ascii=False, indent=2)
