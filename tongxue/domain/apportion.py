"""Congress seats (rules.md §4, defaults in §8): how many delegates, and how many per unit.

No Django import: the congress app, the `tongxue apportion` command and the tests use these
functions on plain data.

* `seats_for_share(served, share)`: the number of delegates — at least the configured share
  (default 1 %) of the students the union serves, rounded up, and at least 1.
* `apportion(units, seats, method)`: the seats of each unit (college, grade, association …)
  in proportion to its size, with a minimum per unit, computed exactly with fractions:

  - **Largest remainder (Hamilton), the default.** A unit whose exact quota
    `size × seats / total` is below its minimum gets its minimum and leaves the calculation;
    the quotas of the others are recomputed over the seats still to give, and again until no
    unit is below its minimum. The remaining units get the whole part of their quota, and
    the seats left over go to the largest fractional remainders. With no minimums every unit
    ends within one seat of its exact quota (floor or ceiling).
  - **Sainte-Laguë** (highest averages, divisors 1, 3, 5, …). Minimums the same way: units
    whose quota is below their minimum are fixed at it; then, if the divisor method gives a
    unit fewer seats than its minimum, that unit is fixed too and the rest recounted.

  Ties (equal remainders, equal averages) go to the larger unit, then to the smaller key in
  text order — deterministic, and written down so that anyone can check it; a committee that
  prefers lots can reorder by hand.
* `composition(delegates, body)`: the make-up of the delegates against the student body
  (gender, ethnicity, … per value) and the share of delegates who are not union cadres
  (at least 60 % by default).
* `read_units_csv(text)`: the units of a CSV file (`unit,size[,minimum]`, or the Chinese
  headers 单位,人数,最少名额), with errors that name the row.
"""
from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
import heapq

DEFAULT_SHARE = Fraction(1, 100)
NON_CADRE_MIN = Fraction(3, 5)


class ApportionmentError(ValueError):
    """Input that cannot be apportioned; the message says why (English and Chinese)."""


@dataclass(frozen=True)
class Unit:
    key: str
    size: int
    minimum: int = 0


class Method(StrEnum):
    LARGEST_REMAINDER = "largest_remainder"
    SAINTE_LAGUE = "sainte_lague"


@dataclass(frozen=True)
class Allocation:
    key: str
    size: int
    quota: Fraction   # the plain exact quota size × seats / total size, before any minimum
    seats: int


def seats_for_share(served: int, share: Fraction = DEFAULT_SHARE) -> int:
    """Delegates for `served` students: ⌈served × share⌉, at least 1 when anyone is served."""
    if served < 0:
        raise ApportionmentError(f"The number of students served cannot be negative ({served}). 服务学生数不能为负。")
    share = Fraction(share)
    if not 0 <= share <= 1:
        raise ApportionmentError(f"The share must be between 0 and 1 ({share}). 比例须在 0 与 1 之间。")
    if served == 0:
        return 0
    return max(1, math.ceil(served * share))


def _validate(units: Sequence[Unit], seats: int) -> None:
    if seats < 0:
        raise ApportionmentError(f"The number of seats cannot be negative ({seats}). 名额总数不能为负。")
    seen: set[str] = set()
    for unit in units:
        if unit.key in seen:
            raise ApportionmentError(f"Unit {unit.key!r} appears twice. 单位“{unit.key}”重复。")
        seen.add(unit.key)
        if unit.size < 0:
            raise ApportionmentError(f"Unit {unit.key!r} has a negative size ({unit.size}). 单位“{unit.key}”人数为负。")
        if unit.minimum < 0:
            raise ApportionmentError(
                f"Unit {unit.key!r} has a negative minimum ({unit.minimum}). 单位“{unit.key}”最少名额为负。")
    minimums = sum(u.minimum for u in units)
    if minimums > seats:
        raise ApportionmentError(
            f"The minimums add up to {minimums}, more than the {seats} seats. 各单位最少名额之和 {minimums} 超过名额总数 {seats}。")
    if seats > 0 and sum(u.size for u in units) == 0 and minimums < seats:
        raise ApportionmentError(
            f"There are {seats} seats but no students in any unit. 各单位人数均为 0，无法分配 {seats} 个名额。")


def _tie_key(unit: Unit) -> tuple:
    return (-unit.size, unit.key)


def _largest_remainder(free: list[Unit], seats: int) -> dict[str, int]:
    total = sum(u.size for u in free)
    if seats == 0 or total == 0:
        return {u.key: 0 for u in free}
    result, remainders = {}, []
    for unit in free:
        whole, rest = divmod(unit.size * seats, total)   # quota = whole + rest/total
        result[unit.key] = whole
        remainders.append((-rest, _tie_key(unit), unit.key))
    left = seats - sum(result.values())
    for _, _, key in sorted(remainders)[:left]:
        result[key] += 1
    return result


def _sainte_lague(free: list[Unit], seats: int) -> dict[str, int]:
    result = {u.key: 0 for u in free}
    heap = [(-Fraction(u.size, 1), _tie_key(u), u) for u in free if u.size > 0]
    heapq.heapify(heap)
    for _ in range(seats):
        if not heap:
            break
        _, tie, unit = heapq.heappop(heap)
        result[unit.key] += 1
        heapq.heappush(heap, (-Fraction(unit.size, 2 * result[unit.key] + 1), tie, unit))
    return result


def apportion(units: Sequence[Unit], seats: int, method: Method = Method.LARGEST_REMAINDER) -> list[Allocation]:
    """The seats of each unit, in the order of `units` (see the module docstring for the rules)."""
    units = list(units)
    _validate(units, seats)
    method = Method(method)
    fixed: dict[str, int] = {}
    while True:
        free = [u for u in units if u.key not in fixed]
        left = seats - sum(fixed.values())
        total = sum(u.size for u in free)
        # quota of u among the free units: u.size * left / total; below the minimum → fixed at it
        below = [u for u in free if u.minimum and (total == 0 or u.size * left < u.minimum * total)]
        if below:
            fixed.update((u.key, u.minimum) for u in below)
            continue
        counted = (_largest_remainder if method == Method.LARGEST_REMAINDER else _sainte_lague)(free, left)
        short = [u for u in free if counted[u.key] < u.minimum]   # only possible with Sainte-Laguë
        if short:
            fixed.update((u.key, u.minimum) for u in short)
            continue
        break
    allocated = {**counted, **fixed}
    grand_total = sum(u.size for u in units)
    return [
        Allocation(u.key, u.size, Fraction(u.size * seats, grand_total) if grand_total else Fraction(0),
                   allocated[u.key])
        for u in units
    ]


# --- composition --------------------------------------------------------------------------------

_FALSE = {"", "0", "false", "no", "n", "f", "否", "不是", "非"}


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE
    return bool(value)


@dataclass(frozen=True)
class ShareRow:
    value: str
    delegates: int
    delegate_share: Fraction
    body: int
    body_share: Fraction

    @property
    def difference(self) -> Fraction:
        """Delegate share minus body share: positive = over-represented."""
        return self.delegate_share - self.body_share


@dataclass
class CompositionReport:
    delegates: int
    non_cadre: int
    non_cadre_share: Fraction
    non_cadre_min: Fraction
    meets_non_cadre: bool
    attributes: dict[str, list[ShareRow]] = field(default_factory=dict)   # attribute -> one row per value


def _share(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(0)


def composition(delegates: Sequence[Mapping[str, str | bool]], body: Mapping[str, Mapping[str, int]],
                non_cadre_min: Fraction = NON_CADRE_MIN) -> CompositionReport:
    """The delegates' make-up against the student body.

    `delegates`: one mapping per delegate, e.g. {"gender": "女", "ethnicity": "汉族", "is_cadre": False};
    `body`: attribute -> {value: number of students}. For each attribute of `body` the report
    has a row per value (the body's values in their order, then values only delegates have;
    a delegate without the attribute counts under ""). A delegate is a cadre when "is_cadre" is
    true ("0", "false", "否" and "" are false).
    """
    delegates = list(delegates)
    n = len(delegates)
    non_cadre = sum(1 for d in delegates if not _truthy(d.get("is_cadre", False)))
    non_cadre_min = Fraction(non_cadre_min)
    report = CompositionReport(
        delegates=n, non_cadre=non_cadre, non_cadre_share=_share(non_cadre, n), non_cadre_min=non_cadre_min,
        meets_non_cadre=n > 0 and non_cadre >= non_cadre_min * n,
    )
    for attribute, counts in body.items():
        body_total = sum(counts.values())
        counted: dict[str, int] = {}
        for d in delegates:
            value = str(d.get(attribute, "") or "")
            counted[value] = counted.get(value, 0) + 1
        values = list(counts) + [v for v in counted if v not in counts]
        report.attributes[attribute] = [
            ShareRow(value, counted.get(value, 0), _share(counted.get(value, 0), n),
                     counts.get(value, 0), _share(counts.get(value, 0), body_total))
            for value in values
        ]
    return report


# --- CSV ----------------------------------------------------------------------------------------

_HEADERS = {
    "unit": "unit", "单位": "unit", "name": "unit", "名称": "unit",
    "size": "size", "人数": "size", "students": "size", "学生数": "size",
    "minimum": "minimum", "min": "minimum", "最少名额": "minimum", "最低名额": "minimum",
}


def _whole(text: str, what: str, row: int) -> int:
    cleaned = text.strip().replace(",", "").replace("，", "")
    try:
        value = int(cleaned)
    except ValueError:
        raise ApportionmentError(
            f"Row {row}: {what[0]} must be a whole number, not {text!r}. 第 {row} 行：{what[1]}须为整数，而不是“{text}”。"
        ) from None
    if value < 0:
        raise ApportionmentError(f"Row {row}: {what[0]} cannot be negative. 第 {row} 行：{what[1]}不能为负。")
    return value


def read_units_csv(text: str) -> list[Unit]:
    """Units from CSV text with the header `unit,size[,minimum]` (or 单位,人数,最少名额).

    A UTF-8 byte-order mark is ignored, as are blank lines; commas, semicolons or tabs separate
    the fields. Row numbers in errors count the header as row 1, as a spreadsheet does.
    """
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",\t;", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header, columns, units, seen = None, {}, [], {}
    for row_number, row in enumerate(reader, start=1):
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = row
            for index, name in enumerate(row):
                canonical = _HEADERS.get(name.strip().lower())
                if canonical and canonical not in columns:
                    columns[canonical] = index
            missing = [c for c in ("unit", "size") if c not in columns]
            if missing:
                raise ApportionmentError(
                    f"Row {row_number}: the header needs the columns unit and size (found {', '.join(row)}). "
                    f"第 {row_number} 行：表头须包含“单位”和“人数”两列。")
            continue

        def cell(name: str) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        key = cell("unit")
        if not key:
            raise ApportionmentError(f"Row {row_number}: the unit name is empty. 第 {row_number} 行：单位名称为空。")
        if key in seen:
            raise ApportionmentError(
                f"Row {row_number}: unit {key!r} already appears in row {seen[key]}. "
                f"第 {row_number} 行：单位“{key}”与第 {seen[key]} 行重复。")
        seen[key] = row_number
        size = _whole(cell("size"), ("the size", "人数"), row_number)
        minimum = _whole(cell("minimum"), ("the minimum", "最少名额"), row_number) if cell("minimum") else 0
        units.append(Unit(key, size, minimum))
    if header is None:
        raise ApportionmentError("The file is empty. 文件为空。")
    return units
