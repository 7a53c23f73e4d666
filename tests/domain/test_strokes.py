"""Surname stroke order (conventions.md) from the shipped Unihan kTotalStrokes data."""
from hypothesis import given
from hypothesis import strategies as st

from tongxue.domain.strokes import stroke_key, stroke_sorted, strokes


def test_counts_from_unihan():
    assert [strokes(ch) for ch in "一丁王张欧龘"] == [1, 2, 4, 7, 8, 48]
    assert strokes("奡") == 12 and strokes("\U00020000") == 2   # rare and supplementary-plane characters
    assert strokes("A") is None


def test_official_order_by_surname_then_following_characters():
    names = ["张伟", "王芳", "丁一", "王二", "欧阳娜娜", "Alice", "马"]
    assert stroke_sorted(names) == ["丁一", "马", "王二", "王芳", "张伟", "欧阳娜娜", "Alice"]


def test_minority_name_dot_is_ignored():
    assert stroke_key("阿依古丽·买买提")[0] == stroke_key("阿依古丽买买提")[0]


@given(st.lists(st.text(alphabet="王李张刘陈杨赵黄周吴丁一二三芳伟娜·ab ", min_size=1, max_size=4), max_size=12))
def test_order_is_total_and_independent_of_input_order(names):
    assert stroke_sorted(names) == stroke_sorted(list(reversed(names)))
    assert sorted(stroke_sorted(names)) == sorted(names)
