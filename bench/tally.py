"""Bench: the published ballots file and `tongxue tally` on a million ballots.

    python bench/tally.py [--ballots 1000000] [--candidates 15] [--seats 5] [--seed 5] [--keep]

Generates random ballots for a competitive election (a few favourites and a long tail; most
voters mark up to `--seats` "for", some mark against, about 1 % mark too many and are void,
about 2 % write someone in), then times:

* the official count in memory (`count`),
* writing the published file (`dump_published`, sorted by receipt) and its size,
* reading it back and recounting (`load_published` + `count`), checked against the official count,
* `tongxue tally <file>` as a subprocess (the venv's entry point): Python start, Django setup,
  reading, checking, counting and comparing with the result stored in the file; its peak memory.

Prints the figures; asserts only that every recount equals the official count. No database.
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tongxue.domain.tally import (  # noqa: E402
    Ballot, Candidate, CompactMarks, ElectionSpec, count, dump_published, load_published,
)

NAMES = ["王小明", "李娜", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄婷", "周杰", "吴敏", "徐浩", "孙悦", "马骏",
         "胡晓雪", "阿依古丽·买买提", "欧阳文", "朱丹", "郭鹏", "何琳", "高远"]
WRITE_INS = ["林涛", "郑爽", "谢晨", "罗琪"]


def generate(n: int, candidates: int, seats: int, seed: int) -> tuple[ElectionSpec, list[Ballot], float]:
    rng = random.Random(seed)
    spec = ElectionSpec(
        f"第十次学生代表大会主席团选举（{n} 张选票基准）", seats,
        tuple(Candidate(f"c{i + 1:02d}", NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else str(i)))
              for i in range(candidates)),
        issued=n, present=n, due=n + n // 20)
    order = spec.keys
    # a few favourites and a long tail, so that some candidates pass the majority
    popularity = [1 / (0.25 + 0.1 * i * i) for i in range(candidates)]
    rng.shuffle(popularity)
    exponents = [1 / w for w in popularity]
    positions = list(range(candidates))
    alphabet = string.ascii_uppercase + string.digits
    receipts: set[str] = set()
    ballots = []
    started = time.perf_counter()
    for _ in range(n):
        marks = ["-"] * candidates
        roll = rng.random()
        wanted = seats + 1 if roll < 0.01 else rng.randint(max(0, seats - 2), seats)
        # weighted sample without replacement (Efraimidis–Spirakis keys)
        keys = [rng.random() ** e for e in exponents]
        for position in sorted(positions, key=keys.__getitem__)[candidates - wanted:]:
            marks[position] = "F"
        for position in rng.sample(positions, 2):
            if marks[position] == "-" and rng.random() < 0.5:
                marks[position] = "A"
        write_ins = (rng.choice(WRITE_INS),) if 0.01 <= roll < 0.03 else ()
        while (receipt := "".join(rng.choices(alphabet, k=10))) in receipts:
            pass
        receipts.add(receipt)
        ballots.append(Ballot(CompactMarks(order, "".join(marks)), write_ins, receipt))
    return spec, ballots, time.perf_counter() - started


def tongxue_program() -> list[str]:
    entry = Path(sys.executable).parent / "tongxue"
    return [str(entry)] if entry.exists() else [sys.executable, "-m", "tongxue"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--candidates", type=int, default=15)
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory with the file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tongxue-bench-tally-"))
    try:
        spec, ballots, generated = generate(args.ballots, args.candidates, args.seats, args.seed)
        print(f"{args.ballots:,} ballots, {args.candidates} candidates, {args.seats} seats "
              f"(generated in {generated:.1f} s)")

        started = time.perf_counter()
        official = count(spec, ballots)
        print(f"count in memory:           {time.perf_counter() - started:6.2f} s "
              f"(valid {official.valid:,}, void {official.void_ballots:,}, elected {len(official.elected)}, "
              f"run-off {len(official.runoff)})")

        started = time.perf_counter()
        text = dump_published(spec, ballots, official)
        dumped = time.perf_counter() - started
        path = work / "ballots.json"
        started = time.perf_counter()
        path.write_text(text, encoding="utf-8")
        written = time.perf_counter() - started
        size = path.stat().st_size
        print(f"dump_published:            {dumped:6.2f} s (+ {written:.2f} s to write) — "
              f"{size / 1e6:.1f} MB, {size / args.ballots:.0f} bytes per ballot")
        del text, ballots

        started = time.perf_counter()
        loaded_spec, loaded = load_published(path.read_text(encoding="utf-8"))
        loaded_at = time.perf_counter()
        recount = count(loaded_spec, loaded)
        finished = time.perf_counter()
        assert recount == official, "the recount of the file differs from the official count"
        print(f"read + load_published:     {loaded_at - started:6.2f} s")
        print(f"count of the loaded file:  {finished - loaded_at:6.2f} s "
              f"(load + count {finished - started:.2f} s)")
        del loaded

        env = {**os.environ, "TONGXUE_VAR_DIR": str(work / "var"), "TONGXUE_SECRET_KEY": "bench-" + "x" * 50}
        env.pop("TONGXUE_TESTING", None)
        command = [*tongxue_program(), "tally", str(path)]
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=env)
        wall = time.perf_counter() - started
        if done.returncode != 0:
            sys.exit(f"tongxue tally failed ({done.returncode}):\n{done.stderr}")
        assert "复核结果与文件中公布的结果一致" in done.stdout, done.stdout
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"`tongxue tally` wall time: {wall:6.2f} s (peak memory {peak:.0f} MB; recount matches)")
        started = time.perf_counter()
        subprocess.run([*tongxue_program(), "help", "tally"], capture_output=True, env=env, check=True)
        print(f"  of which start-up:       {time.perf_counter() - started:6.2f} s (`tongxue help tally`)")
        print()
        print(done.stdout.rstrip())
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
