"""The offline congress commands `tongxue apportion` and `tongxue tally` (no database)."""
import json
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tongxue.domain.tally import Ballot, Candidate, CompactMarks, ElectionSpec, count, dump_published


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- apportion ---------------------------------------------------------------------------------------

@pytest.fixture
def units_csv(tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("\ufeff单位,人数,最少名额\n法学院,1234,\n经济学院,2345,2\n外国语学院,87,\n艺术学院,3,1\n",
                    encoding="utf-8")
    return path


def test_apportion_by_default_share(units_csv):
    out = run("apportion", str(units_csv))
    lines = out.splitlines()
    assert lines[0] == "名额总数 37（按 1% 比例向上取整），方法：最大余额法。"
    assert lines[1].split() == ["单位", "人数", "份额", "最少", "名额"]
    assert lines[2].split() == ["法学院", "1234", "12.444", "12"]
    assert lines[5].split() == ["艺术学院", "3", "0.030", "1", "1"]
    assert lines[6].split() == ["合计", "3669", "37.000", "37"]


def test_apportion_seats_method_minimum_english(units_csv):
    out = run("apportion", str(units_csv), "--seats", "20", "--method", "sainte_lague", "--minimum", "1",
              "--lang", "en")
    lines = out.splitlines()
    assert lines[0] == "20 seats (given), method: Sainte-Laguë."
    assert [line.split()[-1] for line in lines[2:]] == ["6", "12", "1", "1", "20"]


def test_apportion_json_has_exact_quotas(units_csv):
    data = json.loads(run("apportion", str(units_csv), "--share", "2%", "--json"))
    assert data["seats"] == 74 and data["method"] == "largest_remainder"
    assert data["units"][0] == {"unit": "法学院", "size": 1234, "minimum": 0, "quota": "91316/3669", "seats": 24}
    assert sum(u["seats"] for u in data["units"]) == 74


def test_apportion_reads_gb18030(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("单位,人数\n法学院,100\n经济学院,300\n".encode("gb18030"))
    assert run("apportion", str(path), "--seats", "4").splitlines()[-1].split() == ["合计", "400", "4.000", "4"]


@pytest.mark.parametrize("content, args, message", [
    ("unit,size\nA,x\n", [], "Row 2"),
    ("unit,size,minimum\nA,10,3\nB,10,3\n", ["--seats", "5"], "minimums add up to 6"),
    ("unit,size\nA,10\n", ["--share", "150%"], "between 0 and 1"),
    ("unit,size\nA,10\n", ["--minimum", "-1"], "cannot be negative"),
])
def test_apportion_errors(tmp_path, content, args, message):
    path = tmp_path / "u.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("apportion", str(path), *args)


def test_apportion_missing_file(tmp_path):
    with pytest.raises(CommandError, match="missing.csv"):
        run("apportion", str(tmp_path / "missing.csv"))


# --- tally -------------------------------------------------------------------------------------------

SPEC = ElectionSpec("第十次学生代表大会主席团选举", 2,
                    (Candidate("1", "王小明"), Candidate("2", "李娜"), Candidate("3", "张伟")), issued=7, present=7,
                    due=8)
BALLOTS = [Ballot(CompactMarks(SPEC.keys, code), (), f"R{i}")
           for i, code in enumerate(["FF-", "FF-", "F-F", "FF-", "F-F", "-FF", "FFF"])]


@pytest.fixture
def ballots_file(tmp_path):
    path = tmp_path / "ballots.json"
    path.write_text(dump_published(SPEC, BALLOTS, count(SPEC, BALLOTS)), encoding="utf-8")
    return path


def test_tally_prints_the_result_and_checks_the_published_one(ballots_file):
    out = run("tally", str(ballots_file))
    assert "发出选票 7 张，收回 7 张；有效票 6 张，废票 1 张。" in out
    assert "当选（按得票多少为序）：王小明、李娜" in out
    assert out.rstrip().endswith("复核结果与文件中公布的结果一致。")
    assert "Elected (by votes): 王小明, 李娜" in run("tally", str(ballots_file), "--lang", "en")


def test_tally_json_equals_count(ballots_file):
    data = json.loads(run("tally", str(ballots_file), "--json"))
    assert data["result"] == json.loads(json.dumps(count(SPEC, BALLOTS).to_dict()))
    assert data["matches_published"] is True
    assert data["result"]["elected"] == ["1", "2"]


def test_tally_reports_a_published_result_that_differs(ballots_file):
    data = json.loads(ballots_file.read_text(encoding="utf-8"))
    data["result"]["elected"] = ["1", "3"]
    ballots_file.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match="不一致") as error:
        run("tally", str(ballots_file))
    assert error.value.returncode == 1


def test_tally_without_a_published_result(tmp_path):
    path = tmp_path / "b.json"
    path.write_text(dump_published(SPEC, BALLOTS), encoding="utf-8")
    out = run("tally", str(path))
    assert "王小明、李娜" in out and "复核" not in out
    assert json.loads(run("tally", str(path), "--json"))["matches_published"] is None


def test_tally_errors(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "tongxue-ballots/1", "election": {}}', encoding="utf-8")
    with pytest.raises(CommandError, match="bad.json: election.candidates must be a list"):
        run("tally", str(path))
    with pytest.raises(CommandError, match="missing.json"):
        run("tally", str(tmp_path / "missing.json"))


def test_tally_entry_point(ballots_file):
    """The `tongxue` program runs the command without a database or system checks."""
    done = subprocess.run([sys.executable, "-m", "tongxue", "tally", str(ballots_file), "--lang", "en"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "The recount matches the result published in the file." in done.stdout
