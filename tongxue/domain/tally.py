"""Counting congress votes (rules.md §4, §5; the configurable defaults of §8).

No Django import: the elections app, the `tongxue tally` command and the tests count with the
same functions, so the official result and anyone's recount of the published ballots agree.

Elections (§5)
--------------
* A ballot marks each candidate for, against or abstain (a candidate left unmarked abstains)
  and may write in other people (另选他人); a write-in counts as "for" that person. A write-in
  equal to a listed candidate's name (after normalising: NFC, trimmed, inner spaces collapsed
  and dropped next to Chinese characters, the dot variants of minority names made U+00B7) is
  a "for" that candidate, whatever the ballot marked for them.
* A ballot with more "for" votes (distinct people, write-ins included) than seats is void
  (废票); the others are valid.
* More ballots returned than issued voids the whole vote: it must be repeated, nobody is
  elected (`Result.is_void`).
* A candidate is elected only with "for" votes from more than half of the base: the delegates
  present (default), the valid ballots, or the delegates due to attend (`MajorityBase`). The
  threshold is the least whole number above half: base // 2 + 1.
* When more candidates reach the threshold than there are seats, the seats go to the highest
  counts; candidates tied at the last seat(s) are not elected but go to a run-off
  (`Result.runoff`); seats not filled are in `Result.unfilled` (the congress decides whether
  to vote again among the best-placed or leave them vacant).
* `minimum_candidates(seats, surplus)`: the candidates a competitive (差额) election needs;
  `entry_mismatches(spec, first, second)`: the paper ballots two tellers entered differently.
* Rows are ordered by "for" votes, then listed candidates in ballot order (the committee lists
  them in stroke order), then write-ins by name. Nothing depends on the order of the ballots.

Resolutions and quorum (§4)
---------------------------
`has_quorum` (at least two thirds of the delegates present), `resolution_passes` (more than
half of the delegates present; charter amendments at least two thirds, `strict=False`) and
`parse_share` ("2/3", "0.6", "60%", "三分之二").

The published ballots file (format "tongxue-ballots/1")
-------------------------------------------------------
A UTF-8 JSON document that anyone can recount with `tongxue tally`::

    {
      "format": "tongxue-ballots/1",
      "election": {"title": "…", "seats": 5,
                   "candidates": [{"key": "c01", "name": "王小明"}, …],
                   "issued": 200, "present": 200, "due": 210, "majority_base": "present"},
      "marks": "<legend>",
      "result": {…},                       (optional: the official result, for comparison)
      "ballots": [
        {"receipt": "K7Q2M9XP", "marks": "F-A-F…"},
        {"receipt": "Z3H8R2LD", "marks": "F----…", "write_ins": ["李四"]},
        …
      ]
    }

To keep a million ballots small and fast, a ballot's marks are one string with one character
per candidate in the order of `election.candidates`: `F` for, `A` against, `-` abstain (the
`marks` legend in the file says so). A loader also accepts the long form
`{"c01": "for", "c02": "against"}` (missing candidates abstain). `write_ins` is left out when
empty. Each ballot is one line, and ballots are sorted by receipt (then marks), so the file
carries no trace of the order in which votes were cast. Keys are written in the fixed order
above; `ensure_ascii` is off so names stay readable. Receipts, when present, are unique.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

FORMAT = "tongxue-ballots/1"
WRITE_IN_PREFIX = "write-in:"    # key of a write-in row: WRITE_IN_PREFIX + normalised name
MARKS_LEGEND = ("one character per candidate, in the order of election.candidates: "
                "F = for (赞成), A = against (反对), - = abstain (弃权)")
QUORUM = Fraction(2, 3)
ORDINARY = Fraction(1, 2)
CHARTER = Fraction(2, 3)


class TallyError(ValueError):
    """Input that cannot be counted; the message says why and where."""


class Mark(StrEnum):
    FOR = "for"
    AGAINST = "against"
    ABSTAIN = "abstain"


class MajorityBase(StrEnum):
    PRESENT = "present"   # more than half of the delegates present (default)
    VALID = "valid"       # … of the valid ballots
    DUE = "due"           # … of the delegates due to attend


_CODE = {Mark.FOR: "F", Mark.AGAINST: "A", Mark.ABSTAIN: "-"}
_MARK_OF_CODE = {"F": Mark.FOR, "A": Mark.AGAINST, "-": Mark.ABSTAIN}

_DOTS = str.maketrans({"•": "\u00b7", "・": "\u00b7", "．": "\u00b7", "‧": "\u00b7", "∙": "\u00b7"})
_SPACES = re.compile(r"\s+")
_WIDE_SPACE = re.compile(r"(?<=[\u2e80-\U0003ffff\u00b7]) | (?=[\u2e80-\U0003ffff\u00b7])")


def normalise_name(name: str) -> str:
    """The form in which names are compared (same idea as `core.models.normalise_name`): NFC,
    trimmed, dot variants made U+00B7, spaces collapsed, and no space next to a Chinese
    character or the dot ("赵 六" = "赵六"; "John  Smith" = "John Smith")."""
    name = _SPACES.sub(" ", unicodedata.normalize("NFC", name).strip().translate(_DOTS))
    return _WIDE_SPACE.sub("", name)


class CompactMarks(Mapping):
    """A ballot's marks as one string over a fixed candidate order ("F-A…"): a read-only
    mapping candidate key → Mark that costs a few dozen bytes, for millions of ballots."""

    __slots__ = ("order", "code")

    def __init__(self, order: tuple[str, ...], code: str):
        if len(code) != len(order) or code.strip("FA-"):
            raise TallyError(f"Marks {code!r} do not fit {len(order)} candidates (use F, A and -).")
        self.order = order
        self.code = code

    @classmethod
    def trusted(cls, order: tuple[str, ...], code: str) -> CompactMarks:
        """Without the check, for a loader that has checked already."""
        self = object.__new__(cls)
        self.order = order
        self.code = code
        return self

    def __getitem__(self, key: str) -> Mark:
        try:
            return _MARK_OF_CODE[self.code[self.order.index(key)]]
        except ValueError:
            raise KeyError(key) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.order)

    def __len__(self) -> int:
        return len(self.order)

    def __repr__(self) -> str:
        return f"CompactMarks({self.code!r})"


@dataclass(frozen=True, slots=True)
class Candidate:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Ballot:
    marks: Mapping[str, Mark]          # candidate key -> mark; a missing candidate abstains
    write_ins: tuple[str, ...] = ()    # names written in; each is a "for" that person
    receipt: str = ""                  # the voter's receipt code (online ballots); no link to the voter


class BallotList(Sequence):
    """A read-only, list-like sequence of ballots kept as columns (one marks string per ballot
    over `order`, the receipts, the few write-ins by position): what `load_published` returns,
    so that a million ballots take tens of megabytes and `count` reads the columns directly.
    Items are `Ballot`s made on access; `list(ballots)` gives a real list."""

    __slots__ = ("order", "codes", "receipts", "write_ins")

    def __init__(self, order: tuple[str, ...], codes: list[str], receipts: list[str],
                 write_ins: dict[int, tuple[str, ...]] | None = None):
        if len(codes) != len(receipts):
            raise TallyError("Each ballot needs its marks and its receipt.")
        self.order = order
        self.codes = codes
        self.receipts = receipts
        self.write_ins = write_ins or {}

    def __len__(self) -> int:
        return len(self.codes)

    def _ballot(self, i: int) -> Ballot:
        return Ballot(CompactMarks.trusted(self.order, self.codes[i]), self.write_ins.get(i, ()), self.receipts[i])

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self._ballot(j) for j in range(*i.indices(len(self)))]
        return self._ballot(range(len(self))[i])

    def __iter__(self) -> Iterator[Ballot]:
        return map(self._ballot, range(len(self)))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None

    def __repr__(self) -> str:
        return f"<BallotList of {len(self)} ballots>"


@dataclass(frozen=True)
class ElectionSpec:
    title: str
    seats: int
    candidates: tuple[Candidate, ...]
    issued: int
    present: int
    due: int
    majority_base: MajorityBase = MajorityBase.PRESENT

    def __post_init__(self):
        object.__setattr__(self, "candidates", tuple(self.candidates))
        try:
            object.__setattr__(self, "majority_base", MajorityBase(self.majority_base))
        except ValueError:
            raise TallyError(f"Unknown majority base {self.majority_base!r} "
                             f"(use {', '.join(m.value for m in MajorityBase)}).") from None
        for name in ("seats", "issued", "present", "due"):
            value = getattr(self, name)
            if type(value) is not int or value < 0:
                raise TallyError(f"{name} must be a whole number ≥ 0, not {value!r}.")
        if self.seats < 1:
            raise TallyError("An election needs at least one seat.")
        keys, names = set(), set()
        for candidate in self.candidates:
            if not isinstance(candidate.key, str) or not candidate.key:
                raise TallyError(f"Candidate {candidate!r} has no key.")
            if candidate.key in keys:
                raise TallyError(f"Candidate key {candidate.key!r} appears twice.")
            if not isinstance(candidate.name, str) or not normalise_name(candidate.name):
                raise TallyError(f"Candidate {candidate.key!r} has no name.")
            if normalise_name(candidate.name) in names:
                raise TallyError(f"Two candidates are named {candidate.name!r}: add what tells them apart "
                                 "(e.g. the college) to the names on the ballot.")
            keys.add(candidate.key)
            names.add(normalise_name(candidate.name))

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.candidates)

    def base(self, valid: int) -> int:
        return {MajorityBase.PRESENT: self.present, MajorityBase.VALID: valid, MajorityBase.DUE: self.due}[
            self.majority_base]


@dataclass(frozen=True)
class CandidateRow:
    key: str
    name: str
    for_: int
    against: int
    abstain: int
    is_write_in: bool = False

    @property
    def votes_for(self) -> int:
        return self.for_


@dataclass(frozen=True)
class Result:
    seats: int
    issued: int
    returned: int
    is_void: bool          # more returned than issued: the vote is void and must be repeated
    valid: int
    void_ballots: int
    majority_base: MajorityBase
    base: int              # the number the majority is taken of
    threshold: int         # least "for" votes needed: more than half of the base
    rows: tuple[CandidateRow, ...]
    elected: tuple[str, ...]
    runoff: tuple[str, ...]
    unfilled: int

    def row(self, key: str) -> CandidateRow:
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)

    def to_dict(self) -> dict:
        return {
            "seats": self.seats, "issued": self.issued, "returned": self.returned, "is_void": self.is_void,
            "valid": self.valid, "void_ballots": self.void_ballots, "majority_base": str(self.majority_base),
            "base": self.base, "threshold": self.threshold,
            "candidates": [{"key": r.key, "name": r.name, "for": r.for_, "against": r.against,
                            "abstain": r.abstain, "is_write_in": r.is_write_in} for r in self.rows],
            "elected": list(self.elected), "runoff": list(self.runoff), "unfilled": self.unfilled,
        }


def threshold_for(base: int) -> int:
    """The least whole number of votes that is more than half of `base`."""
    return base // 2 + 1


def _encode(marks: Mapping[str, Mark], order: tuple[str, ...], index: Mapping[str, int]) -> str:
    if type(marks) is CompactMarks and (marks.order is order or marks.order == order):
        return marks.code
    code = ["-"] * len(order)
    for key, mark in marks.items():
        position = index.get(key)
        if position is None:
            raise TallyError(f"A ballot marks {key!r}, who is not a candidate.")
        try:
            code[position] = _CODE[Mark(mark)]
        except ValueError:
            raise TallyError(f"A ballot marks {key!r} with {mark!r} (use for, against or abstain).") from None
    return "".join(code)


def ballot_for_votes(spec: ElectionSpec, ballot: Ballot) -> int:
    """The "for" votes of a ballot (distinct people, write-ins included)."""
    order = spec.keys
    code = _encode(ballot.marks, order, {k: i for i, k in enumerate(order)})
    names = {normalise_name(c.name): i for i, c in enumerate(spec.candidates)}
    written = {normalise_name(w) for w in ballot.write_ins} - {""}
    listed = {names[w] for w in written if w in names}
    return sum(1 for i, c in enumerate(code) if c == "F" or i in listed) + len(written - names.keys())


def is_valid_ballot(spec: ElectionSpec, ballot: Ballot) -> bool:
    return ballot_for_votes(spec, ballot) <= spec.seats


def count(spec: ElectionSpec, ballots: Iterable[Ballot]) -> Result:
    """Count the ballots of an election by the rules in the module docstring."""
    order = spec.keys
    n = len(order)
    index = {k: i for i, k in enumerate(order)}
    names = {normalise_name(c.name): i for i, c in enumerate(spec.candidates)}
    seats = spec.seats
    codes: list[str] = []
    written_in: Counter[str] = Counter()
    void = 0

    def with_write_ins(code: str, write_ins: tuple[str, ...]) -> None:
        nonlocal void
        others = set()
        for name in write_ins:
            name = normalise_name(name)
            if not name:
                continue
            position = names.get(name)
            if position is None:
                others.add(name)
            else:
                code = code[:position] + "F" + code[position + 1:]
        if code.count("F") + len(others) > seats:
            void += 1
        else:
            codes.append(code)
            written_in.update(others)

    if isinstance(ballots, BallotList) and (ballots.order is order or ballots.order == order):
        # the columns of a loaded file: no Ballot objects at all
        returned = len(ballots)
        plain = ballots.codes
        if ballots.write_ins:
            plain = [c for i, c in enumerate(plain) if i not in ballots.write_ins]
            for i, write_ins in ballots.write_ins.items():
                with_write_ins(ballots.codes[i], write_ins)
        before = len(codes)
        codes.extend(c for c in plain if c.count("F") <= seats)
        void += len(plain) - (len(codes) - before)
    else:
        returned = 0
        for ballot in ballots:
            returned += 1
            marks = ballot.marks
            if type(marks) is CompactMarks and marks.order is order:
                code = marks.code
            else:
                code = _encode(marks, order, index)
            if ballot.write_ins:
                with_write_ins(code, ballot.write_ins)
            elif code.count("F") > seats:
                void += 1
            else:
                codes.append(code)
    valid = len(codes)
    joined = "".join(codes)
    codes.clear()
    rows = []
    for position, candidate in enumerate(spec.candidates):
        column = joined[position::n] if n else ""
        for_, against = column.count("F"), column.count("A")
        rows.append((-for_, 0, position, CandidateRow(candidate.key, candidate.name, for_, against,
                                                      valid - for_ - against)))
    for name, votes in written_in.items():
        rows.append((-votes, 1, name, CandidateRow(WRITE_IN_PREFIX + name, name, votes, 0, 0, True)))
    rows.sort(key=lambda r: r[:3])
    ordered = tuple(r[3] for r in rows)

    is_void = returned > spec.issued
    base = spec.base(valid)
    threshold = threshold_for(base)
    elected: list[CandidateRow] = []
    runoff: list[CandidateRow] = []
    if not is_void:
        reached = [r for r in ordered if r.for_ >= threshold]
        if len(reached) <= seats:
            elected = reached
        else:
            last = reached[seats - 1].for_
            if reached[seats].for_ == last:
                elected = [r for r in reached if r.for_ > last]
                runoff = [r for r in reached if r.for_ == last]
            else:
                elected = reached[:seats]
    return Result(
        seats=seats, issued=spec.issued, returned=returned, is_void=is_void, valid=valid, void_ballots=void,
        majority_base=spec.majority_base, base=base, threshold=threshold, rows=ordered,
        elected=tuple(r.key for r in elected), runoff=tuple(r.key for r in runoff),
        unfilled=seats - len(elected),
    )


def minimum_candidates(seats: int, surplus: Fraction = Fraction(1, 5)) -> int:
    """Candidates a competitive (差额) election needs: at least `surplus` more than the seats
    (e.g. 20 %: 5 seats → 6 candidates, 1 seat → 2), rounded up; and always more than the seats."""
    return max(seats + 1, -(-seats * (1 + Fraction(surplus)) // 1))


def is_competitive(seats: int, candidates: int) -> bool:
    """差额 (more candidates than seats) rather than 等额 (as many)."""
    return candidates > seats


@dataclass(frozen=True)
class Mismatch:
    number: int               # the ballot's number in the tellers' entry order, from 1
    first: Ballot | None      # as the first teller entered it (None: missing in that entry)
    second: Ballot | None


def _entry_form(spec: ElectionSpec, ballot: Ballot | None, index: Mapping[str, int]):
    if ballot is None:
        return None
    return (_encode(ballot.marks, spec.keys, index),
            tuple(sorted({normalise_name(w) for w in ballot.write_ins} - {""})))


def entry_mismatches(spec: ElectionSpec, first: Sequence[Ballot], second: Sequence[Ballot]) -> list[Mismatch]:
    """Paper ballots entered twice by two tellers, independently and in the same order: the
    ballots whose two entries differ (marks, or write-ins after normalising names), or that only
    one teller entered. The count is accepted only when this is empty."""
    index = {k: i for i, k in enumerate(spec.keys)}
    mismatches = []
    for number in range(max(len(first), len(second))):
        a = first[number] if number < len(first) else None
        b = second[number] if number < len(second) else None
        if _entry_form(spec, a, index) != _entry_form(spec, b, index):
            mismatches.append(Mismatch(number + 1, a, b))
    return mismatches


# --- quorum and resolutions ---------------------------------------------------------------------

def has_quorum(present: int, delegates: int, share: Fraction = QUORUM) -> bool:
    """The congress may sit: present ≥ share × delegates (two thirds by default). A body without
    delegates has no quorum."""
    return delegates > 0 and present >= Fraction(share) * delegates


def resolution_passes(for_: int, present: int, share: Fraction = ORDINARY, strict: bool = True) -> bool:
    """Ordinary resolutions: for > ½ of the delegates present (strict). Charter amendments:
    `share=Fraction(2, 3), strict=False`, i.e. for ≥ ⅔ of the delegates present."""
    if present <= 0:
        return False
    needed = Fraction(share) * present
    return for_ > needed if strict else for_ >= needed


_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS[text]


def parse_share(text) -> Fraction:
    """A share between 0 and 1 from "2/3", "0.6", "60%", "三分之二" (full-width forms accepted)."""
    if isinstance(text, Fraction | int):
        value = Fraction(text)
    else:
        cleaned = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
        try:
            if match := re.fullmatch(r"(\d+|[一二两三四五六七八九十])分之(\d+|[一二两三四五六七八九十])", cleaned):
                value = Fraction(_number(match[2]), _number(match[1]))
            elif cleaned.endswith("%"):
                value = Fraction(cleaned[:-1]) / 100
            else:
                value = Fraction(cleaned)
        except (ValueError, ZeroDivisionError, KeyError):
            raise TallyError(f"Not a share: {text!r} (write 2/3, 0.6 or 60%).") from None
    if not 0 <= value <= 1:
        raise TallyError(f"A share must be between 0 and 1, not {text!r}.")
    return value


# --- the published ballots file ------------------------------------------------------------------

_SAFE = re.compile(r"[A-Za-z0-9_.\-]*\Z").match


def _quote(text: str) -> str:
    return f'"{text}"' if _SAFE(text) else json.dumps(text, ensure_ascii=False)


def _spec_dict(spec: ElectionSpec) -> dict:
    return {"title": spec.title, "seats": spec.seats,
            "candidates": [{"key": c.key, "name": c.name} for c in spec.candidates],
            "issued": spec.issued, "present": spec.present, "due": spec.due,
            "majority_base": str(spec.majority_base)}


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _object_lines(data: dict, indent: str) -> str:
    """A JSON object with one key per line and each list item (e.g. a candidate) on a line."""
    parts = []
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = f",\n{indent}    ".join(_json(v) for v in value)
            parts.append(f'{indent}  {_json(key)}: [\n{indent}    {items}\n{indent}  ]')
        else:
            parts.append(f"{indent}  {_json(key)}: {_json(value)}")
    return "{\n" + ",\n".join(parts) + f"\n{indent}}}"


def dump_published(spec: ElectionSpec, ballots: Iterable[Ballot], result: Result | None = None) -> str:
    """The published ballots file (see the module docstring), as text."""
    order = spec.keys
    if isinstance(ballots, BallotList) and ballots.order == order:
        extra = ballots.write_ins
        entries = sorted((r, c, extra[i] if i in extra else ()) if extra else (r, c, ())
                         for i, (r, c) in enumerate(zip(ballots.receipts, ballots.codes)))
    else:
        index = {k: i for i, k in enumerate(order)}
        entries = sorted((b.receipt, _encode(b.marks, order, index), tuple(b.write_ins)) for b in ballots)
    receipts = [e[0] for e in entries if e[0]]
    if len(set(receipts)) != len(receipts):
        raise TallyError("Two ballots carry the same receipt.")
    head = [f'  "format": "{FORMAT}"', f'  "election": {_object_lines(_spec_dict(spec), "  ")}',
            f'  "marks": {_json(MARKS_LEGEND)}']
    if result is not None:
        head.append(f'  "result": {_object_lines(result.to_dict(), "  ")}')
    body = [
        f'    {{"receipt": {_quote(receipt)}, "marks": "{code}", "write_ins": {_json(list(write_ins))}}}'
        if write_ins else f'    {{"receipt": {_quote(receipt)}, "marks": "{code}"}}'
        for receipt, code, write_ins in entries
    ]
    del entries
    ballots_text = '  "ballots": [\n' + ",\n".join(body) + "\n  ]" if body else '  "ballots": []'
    return "{\n" + ",\n".join(head) + ",\n" + ballots_text + "\n}\n"


@dataclass
class Published:
    spec: ElectionSpec
    ballots: BallotList
    result: dict | None = field(default=None)   # the official result stored in the file, if any


_BALLOT_KEYS = frozenset({"receipt", "marks", "write_ins"})


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise TallyError(message)


def _spec_from(data) -> ElectionSpec:
    _require(isinstance(data, dict), 'The file has no "election" object.')
    candidates = data.get("candidates")
    _require(isinstance(candidates, list), 'election.candidates must be a list.')
    parsed = []
    for number, c in enumerate(candidates, start=1):
        _require(isinstance(c, dict) and isinstance(c.get("key"), str) and isinstance(c.get("name"), str),
                 f'Candidate {number}: needs a "key" and a "name" (text).')
        parsed.append(Candidate(c["key"], c["name"]))
    for name in ("seats", "issued", "present", "due"):
        _require(name in data, f'election.{name} is missing.')
    title = data.get("title", "")
    _require(isinstance(title, str), "election.title must be text.")
    return ElectionSpec(title=title, seats=data["seats"], candidates=tuple(parsed), issued=data["issued"],
                        present=data["present"], due=data["due"],
                        majority_base=data.get("majority_base", MajorityBase.PRESENT))


def load_published_document(text: str) -> Published:
    """Read and check a published ballots file; errors name the ballot (counting from 1)."""
    try:
        data = json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as error:
        raise TallyError(f"Not a JSON document: {error}.") from None
    _require(isinstance(data, dict), "The file must hold one JSON object.")
    _require(data.get("format") == FORMAT,
             f'Unknown format {data.get("format")!r}: expected "{FORMAT}".')
    spec = _spec_from(data.get("election"))
    raw = data.get("ballots")
    _require(isinstance(raw, list), '"ballots" must be a list.')
    result = data.get("result")
    _require(result is None or isinstance(result, dict), '"result" must be an object.')
    order = spec.keys
    n = len(order)
    index = {k: i for i, k in enumerate(order)}
    codes: list[str] = []
    receipts: list[str] = []
    write_ins: dict[int, tuple[str, ...]] = {}
    add_code, add_receipt = codes.append, receipts.append
    for number, entry in enumerate(raw, start=1):
        if type(entry) is not dict or not entry.keys() <= _BALLOT_KEYS:
            raise TallyError(f"Ballot {number}: must be an object with receipt, marks and write_ins only.")
        marks = entry.get("marks", "")
        if type(marks) is str:
            if len(marks) != n or marks.strip("FA-"):
                raise TallyError(f"Ballot {number}: marks {marks!r} must have one of F, A, - for each of the "
                                 f"{n} candidates.")
        elif type(marks) is dict:
            try:
                marks = _encode(marks, order, index)
            except TallyError as error:
                raise TallyError(f"Ballot {number}: {error}") from None
        else:
            raise TallyError(f"Ballot {number}: marks must be text or an object.")
        receipt = entry.get("receipt", "")
        if type(receipt) is not str:
            raise TallyError(f"Ballot {number}: the receipt must be text.")
        names = entry.get("write_ins")
        if names:
            if type(names) is not list or not all(type(w) is str for w in names):
                raise TallyError(f"Ballot {number}: write_ins must be a list of names.")
            write_ins[number - 1] = tuple(names)
        add_code(marks)
        add_receipt(receipt)
    del data, raw
    given = [r for r in receipts if r]
    if len(set(given)) != len(given):
        seen: set[str] = set()
        for number, receipt in enumerate(receipts, start=1):
            if receipt and receipt in seen:
                raise TallyError(f"Ballot {number}: receipt {receipt!r} appears twice.")
            seen.add(receipt)
    return Published(spec, BallotList(order, codes, receipts, write_ins), result)


def load_published(text: str) -> tuple[ElectionSpec, BallotList]:
    """The election and its ballots from a published ballots file (a list-like `BallotList`)."""
    published = load_published_document(text)
    return published.spec, published.ballots


# --- the plain-text report -------------------------------------------------------------------------

def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int, right: bool = False) -> str:
    space = " " * max(0, width - display_width(text))
    return space + text if right else text + space


_TEXT = {
    "zh": {
        "title": "选举：{title}",
        "seats": "应选 {seats} 名；应到 {due} 人，实到 {present} 人。",
        "ballots": "发出选票 {issued} 张，收回 {returned} 张；有效票 {valid} 张，废票 {void} 张。",
        "void": "收回选票多于发出选票，本次选举无效，应重新投票。",
        "threshold": "当选须得赞成票超过{base_name}的半数，即至少 {threshold} 票。",
        "base_present": "实到代表（{base} 人）", "base_valid": "有效票（{base} 张）", "base_due": "应到代表（{base} 人）",
        "columns": ("名次", "候选人", "赞成", "反对", "弃权", "结果"),
        "elected_mark": "当选", "runoff_mark": "同票，另行投票", "write_in": "（另选他人）",
        "elected": "当选（按得票多少为序）：{names}",
        "none_elected": "无人当选。",
        "runoff": "末位同票，须在以下人员中另行投票：{names}",
        "unfilled": "尚缺 {unfilled} 名，由大会决定是否另行选举。",
        "sep": "、",
    },
    "en": {
        "title": "Election: {title}",
        "seats": "Seats: {seats}; delegates due: {due}, present: {present}.",
        "ballots": "Ballots issued: {issued}, returned: {returned}; valid: {valid}, void: {void}.",
        "void": "More ballots were returned than issued: the vote is void and must be repeated.",
        "threshold": "Elected only with more than half of {base_name} for: at least {threshold} vote{plural}.",
        "base_present": "the delegates present ({base})", "base_valid": "the valid ballots ({base})",
        "base_due": "the delegates due to attend ({base})",
        "columns": ("Rank", "Candidate", "For", "Against", "Abstain", "Result"),
        "elected_mark": "elected", "runoff_mark": "tied: run-off", "write_in": " (write-in)",
        "elected": "Elected (by votes): {names}",
        "none_elected": "Nobody is elected.",
        "runoff": "Tie at the last seat: run-off between {names}",
        "unfilled": "Seats left unfilled: {unfilled}; the congress decides whether to vote again.",
        "sep": ", ",
    },
}


def format_result(spec: ElectionSpec, result: Result, lang: str = "zh") -> str:
    """The result as a plain-text report (Chinese by default, English with lang="en")."""
    t = _TEXT["en" if lang.startswith("en") else "zh"]
    lines = [t["title"].format(title=spec.title),
             t["seats"].format(seats=spec.seats, due=spec.due, present=spec.present),
             t["ballots"].format(issued=result.issued, returned=result.returned, valid=result.valid,
                                 void=result.void_ballots)]
    if result.is_void:
        lines.append(t["void"])
    base_name = t[f"base_{result.majority_base}"].format(base=result.base)
    lines.append(t["threshold"].format(base_name=base_name, threshold=result.threshold,
                                       plural="" if result.threshold == 1 else "s"))
    lines.append("")
    elected, runoff = set(result.elected), set(result.runoff)
    table = []
    for rank, row in enumerate(result.rows, start=1):
        outcome = t["elected_mark"] if row.key in elected else t["runoff_mark"] if row.key in runoff else ""
        name = row.name + (t["write_in"] if row.is_write_in else "")
        table.append((str(rank), name, str(row.for_), "" if row.is_write_in else str(row.against),
                      "" if row.is_write_in else str(row.abstain), outcome))
    columns = t["columns"]
    widths = [max([display_width(columns[i])] + [display_width(r[i]) for r in table]) for i in range(len(columns))]
    numeric = (True, False, True, True, True, False)
    for cells in [columns, *table]:
        lines.append("  ".join(pad(c, w, right) for c, w, right in zip(cells, widths, numeric)).rstrip())
    lines.append("")
    names = {r.key: r.name for r in result.rows}
    if result.elected:
        lines.append(t["elected"].format(names=t["sep"].join(names[k] for k in result.elected)))
    else:
        lines.append(t["none_elected"])
    if result.runoff:
        lines.append(t["runoff"].format(names=t["sep"].join(names[k] for k in result.runoff)))
    if result.unfilled and not result.is_void:
        lines.append(t["unfilled"].format(unfilled=result.unfilled))
    return "\n".join(lines) + "\n"
