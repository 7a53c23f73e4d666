"""Words of Chinese case texts, similar cases and top keywords (tongxue.domain.keywords)."""
import os
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxue.domain import keywords as kw

# The suite runs in parallel on busy machines: no deadline, no too-slow health check.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
PHRASES = ["宿舍热水器坏了", "三号宿舍楼没有热水", "食堂饭菜太贵", "图书馆自习室空调不制冷",
           "校园卡充值失败", "教务处选课系统崩溃", "快递站排队太久", "洗衣机收费太贵", "门禁刷不开",
           "希望学校尽快解决这个问题", "有没有同学也遇到", "WiFi 连不上", "3楼", "！！！", ""]
texts = st.lists(st.sampled_from(PHRASES), max_size=4).map("，".join)
any_texts = st.one_of(texts, st.text(max_size=40))
word_sets = st.frozensets(st.sampled_from(["宿舍", "热水", "食堂", "空调", "快递", "门禁"]), max_size=6)


def test_tokenize_keeps_the_words_that_say_what_a_case_is_about():
    assert kw.tokenize("宿舍热水器坏了三天没有热水") == ["宿舍", "热水器", "热水"]
    assert kw.tokenize("图书馆自习室空调不制冷，希望学校尽快维修！") == ["图书馆", "自习室", "空调", "制冷", "维修"]
    assert kw.tokenize("教务处选课系统崩溃了，有没有同学也遇到这个问题？") == ["教务处", "选课", "系统", "崩溃", "遇到"]


def test_tokenize_normalises_width_and_case_and_drops_numbers():
    # full-width Latin letters and digits (NFKC), upper case, a floor number, a count of days
    assert kw.tokenize("校园卡ＷｉＦｉ和The NETWORK在３楼2024年都坏了两天 123") == ["校园卡", "wifi", "network"]
    assert kw.tokenize("") == [] and kw.tokenize(" \n\t。，！？") == []


def test_campus_words_stay_whole():
    for word in ["校园卡", "自习室", "教务处", "洗衣机", "门禁", "快递站"]:
        assert word in kw.tokenize(f"关于{word}的事情")


def test_stop_words_are_shipped_with_the_package():
    stop = kw.stop_words()
    assert len(stop) > 300
    assert {"问题", "希望", "同学", "学校", "一下", "有没有", "the", "的"} <= stop
    assert {kw.normalise(p) for p in "，。、！？（）,.!?"} <= stop
    assert "宿舍" not in stop and "空调" not in stop


@relaxed
@given(any_texts)
def test_tokens_are_normalised_words_of_two_characters_or_more(text):
    stop = kw.stop_words()
    for token in kw.tokenize(text):
        assert len(token) >= 2 and token not in stop and token.strip() == token
        assert token == kw.normalise(token) and not token.isnumeric()
        assert kw.normalise(token) in kw.normalise(text)
    assert set(kw.tokenize(text)) <= kw.terms(text)


def test_terms_include_the_words_inside_longer_words():
    assert kw.terms("三号宿舍楼热水一直没有") == {"宿舍楼", "宿舍", "热水"}


def test_top_keywords_count_texts_not_repeats():
    texts = ["热水热水热水", "宿舍没有热水", "宿舍空调坏了", "食堂", "空调太吵，宿舍好热"]
    # ties in code point order: 热 (U+70ED) before 空 (U+7A7A), 太 before 食
    assert kw.top_keywords(texts) == [("宿舍", 3), ("热水", 2), ("空调", 2), ("太吵", 1), ("食堂", 1)]
    assert kw.top_keywords(texts, n=2) == [("宿舍", 3), ("热水", 2)]
    assert kw.top_keywords(texts, n=0) == [] and kw.top_keywords([]) == []


@relaxed
@given(st.lists(texts, max_size=8), st.integers(min_value=0, max_value=10), st.randoms())
def test_top_keywords_are_deterministic_and_ranked(texts, n, random):
    top = kw.top_keywords(texts, n)
    assert len(top) <= n
    assert [(-c, w) for w, c in top] == sorted((-c, w) for w, c in top)
    for word, count in top:
        assert count == sum(word in kw.tokenize(t) for t in texts) >= 1
    shuffled = list(texts)
    random.shuffle(shuffled)
    assert kw.top_keywords(shuffled, n) == top


def test_similarity_examples():
    assert kw.similarity({"宿舍", "热水"}, ["热水", "宿舍", "宿舍"]) == 1.0
    assert kw.similarity({"宿舍", "热水"}, {"热水", "食堂"}) == 1 / 3
    assert kw.similarity(set(), set()) == 0.0 and kw.similarity({"宿舍"}, []) == 0.0


@given(word_sets, word_sets)
def test_similarity_is_symmetric_and_bounded(a, b):
    s = kw.similarity(a, b)
    assert s == kw.similarity(b, a)
    assert 0.0 <= s <= 1.0
    assert (s == 1.0) == (bool(a) and a == b)
    assert (s == 0.0) == (not a & b)


def test_similar_cases_rank_the_dorm_hot_water_case_first():
    candidates = [("canteen", "食堂饭菜太贵"), ("hot-water", "三号宿舍楼热水一直没有"),
                  ("air-con", "宿舍空调坏了")]
    ranked = kw.rank_similar("宿舍热水器坏了三天没有热水", candidates)
    assert [key for key, _ in ranked] == ["hot-water", "air-con"]
    assert ranked[0][1] > ranked[1][1] >= 0.2
    assert kw.rank_similar("宿舍热水器坏了三天没有热水", candidates, threshold=0.3) == [("hot-water", 0.4)]
    assert kw.rank_similar("食堂饭菜太贵", [("books", "图书馆自习室空调不制冷")], threshold=0) == []
    assert kw.rank_similar("希望尽快解决！", candidates, threshold=0) == []   # no word at all


def test_rank_similar_accepts_precomputed_terms_and_respects_the_limit():
    candidates = [(n, kw.terms("宿舍热水")) for n in range(8)]
    assert kw.rank_similar("宿舍没有热水", candidates, limit=3) == [(0, 1.0), (1, 1.0), (2, 1.0)]
    assert kw.rank_similar("宿舍没有热水", candidates, limit=0) == []


@relaxed
@given(texts, st.lists(texts, max_size=8), st.integers(min_value=0, max_value=5),
       st.floats(min_value=0, max_value=1))
def test_rank_similar_properties(query, texts, limit, threshold):
    candidates = list(enumerate(texts))
    ranked = kw.rank_similar(query, candidates, limit=limit, threshold=threshold)
    assert len(ranked) <= limit
    scores = [s for _, s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert all(threshold <= s <= 1 and s > 0 for s in scores)
    for (k1, s1), (k2, s2) in zip(ranked, ranked[1:]):
        assert s1 > s2 or k1 < k2                      # ties keep the input order
    for key, score in ranked:
        assert score == kw.similarity(kw.terms(query), kw.terms(texts[key]))
    # nothing left out scores better than the last one kept
    kept = {key for key, _ in ranked}
    best_left = max((kw.similarity(kw.terms(query), kw.terms(t)) for k, t in candidates if k not in kept),
                    default=0.0)
    if len(ranked) == limit:
        assert not ranked or best_left <= scores[-1]
    else:
        assert best_left == 0 or best_left < threshold


def test_two_processes_build_the_dictionary_cache_at_once(tmp_path):
    """pytest-xdist workers and gunicorn workers may build jieba's cache in parallel."""
    script = "from tongxue.domain.keywords import tokenize; print(' '.join(tokenize('宿舍没有热水')))"
    env = {**os.environ, kw.CACHE_DIR_VARIABLE: str(tmp_path)}
    root = Path(kw.__file__).parents[2]
    runs = [subprocess.Popen([sys.executable, "-c", script], env=env, cwd=root, text=True,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [run.communicate(timeout=60) for run in runs]
    assert [(out.strip(), run.returncode) for run, (out, _) in zip(runs, results)] == [("宿舍 热水", 0)] * 2
    assert all(err == "" for _, err in results)
    assert (tmp_path / "jieba.cache").is_file()
