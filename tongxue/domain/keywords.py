"""Chinese text of the rights desk (issue 4): the words of a case, similar open cases shown before
a student submits (so they can join one with 我也遇到 instead of filing a duplicate), and the top
keywords of the monthly report. Pure functions, no Django import.

Words come from jieba's precise mode with a few campus words added, after NFKC normalisation
(full-width letters and digits become ASCII) and lowercasing of Latin letters. Not words: the
stop words of `data/stopwords_zh.txt` (function words, pronouns, generic complaint words such as
问题/希望/同学), whitespace, punctuation and symbols, single characters, numbers, and a number with
one measure word (三天, 两个, 5楼): they say nothing about what a case is about.

jieba builds a prefix dictionary on first use (about a second) and caches it in a file: in the
system temporary directory, or in the directory named by the environment variable
`TONGXUE_JIEBA_CACHE_DIR`. The cache is written to a temporary file and renamed, so parallel
processes (gunicorn workers, pytest-xdist) may build it at the same time.
"""
from __future__ import annotations

import heapq
import logging
import os
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from functools import cache
from importlib import resources
from typing import TypeVar

import jieba

K = TypeVar("K")

CAMPUS_WORDS = (
    "宿舍", "宿舍楼", "食堂", "空调", "热水", "热水器", "饮水机", "洗衣机", "浴室", "澡堂",
    "教务处", "后勤", "后勤处", "保卫处", "财务处", "学生处", "校医院", "图书馆", "自习室",
    "晚自习", "校园卡", "一卡通", "校园网", "快递", "快递站", "外卖", "门禁", "查寝", "校车",
    "共享单车", "选课", "补考", "重修", "绩点", "四六级", "体测", "奖学金", "助学金", "学生会",
    "辅导员",
)

CACHE_DIR_VARIABLE = "TONGXUE_JIEBA_CACHE_DIR"

_NUMERALS = "0-9零〇一二两三四五六七八九十百千万亿几半多"
_MEASURES = "天号楼层栋间个次回遍年月日周点分秒元块件位名届期门岁"
# a number, alone or with one measure word
_QUANTITY = re.compile(f"[{_NUMERALS}]+[{_MEASURES}]?")

_tokenizer: jieba.Tokenizer | None = None
_lock = threading.Lock()


def tokenizer() -> jieba.Tokenizer:
    """The shared jieba tokenizer, built on first use with the campus words added."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                built = jieba.Tokenizer()
                built.tmp_dir = os.environ.get(CACHE_DIR_VARIABLE) or None
                built.initialize()
                for word in CAMPUS_WORDS:
                    built.add_word(word)
                _tokenizer = built
    return _tokenizer


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@cache
def stop_words() -> frozenset[str]:
    """The stop words shipped in `data/stopwords_zh.txt`, normalised like the text."""
    source = resources.files("tongxue.domain").joinpath("data", "stopwords_zh.txt")
    lines = source.read_text(encoding="utf-8").splitlines()
    return frozenset(normalise(line.strip()) for line in lines if line.strip())


def _is_word(token: str, stop: frozenset[str]) -> bool:
    return (len(token) > 1 and token not in stop
            and any(unicodedata.category(c).startswith("L") for c in token)
            and not token.isnumeric() and not _QUANTITY.fullmatch(token))


def tokenize(text: str) -> list[str]:
    """The words of `text` in order, repeats kept (precise-mode segmentation)."""
    stop = stop_words()
    return [t for t in tokenizer().lcut(normalise(text)) if _is_word(t, stop)]


def terms(text: str) -> frozenset[str]:
    """The words of `text` and the dictionary words inside its longer words (as jieba's search
    mode does), so that 宿舍楼 meets 宿舍 and 热水器 meets 热水. What `rank_similar` compares."""
    stop, words = stop_words(), tokenizer().FREQ
    found = set()
    for token in tokenize(text):
        found.add(token)
        for size in (2, 3):
            if len(token) > size:
                for i in range(len(token) - size + 1):
                    part = token[i:i + size]
                    if words.get(part) and _is_word(part, stop):
                        found.add(part)
    return frozenset(found)


def top_terms(documents: Iterable[Iterable[str]], n: int = 20) -> list[tuple[str, int]]:
    """The `n` words found in the most documents (each document counts a word once), with
    their counts; ties are broken by the word, so the result does not depend on the order."""
    frequency = Counter(word for document in documents for word in set(document))
    return heapq.nsmallest(max(n, 0), frequency.items(), key=lambda item: (-item[1], item[0]))


def top_keywords(texts: Iterable[str], n: int = 20) -> list[tuple[str, int]]:
    """The `n` keywords of `texts`, ranked by the number of texts that contain them."""
    return top_terms((tokenize(text) for text in texts), n)


def similarity(a: Collection[str], b: Collection[str]) -> float:
    """Jaccard similarity of two word collections, in [0, 1]: 0 when either is empty."""
    a, b = set(a), set(b)
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def rank_similar(query: str, candidates: Iterable[tuple[K, str | Collection[str]]],
                 limit: int = 5, threshold: float = 0.2) -> list[tuple[K, float]]:
    """The candidates most similar to `query` with their similarity, best first; candidates
    under `threshold` (or sharing no word) are left out, ties keep the order of `candidates`.
    A candidate is a (key, text) pair; the text may be given as its precomputed `terms`."""
    wanted = terms(query)
    if not wanted or limit <= 0:
        return []
    scored = []
    for position, (key, text) in enumerate(candidates):
        score = similarity(wanted, terms(text) if isinstance(text, str) else text)
        if score > 0 and score >= threshold:
            scored.append((-score, position, key))
    return [(key, -score) for score, _, key in heapq.nsmallest(limit, scored)]
