"""Rebuild tongxue/domain/data/strokes.txt, the total stroke counts (kTotalStrokes) of the Unihan
database, used to sort official lists by surname stroke count (conventions.md).

Source: Unihan_IRGSources.txt of the Unicode Character Database, as shipped by Debian's
`unicode-data` package (apt-get install unicode-data; 15.0.0 at the time of writing):

    python scripts/build_strokes.py [/usr/share/unicode/Unihan_IRGSources.txt.bz2]

Format of the output: a header of comment lines, then one line per run of consecutive code points
that all have a count: the first code point in hex, a tab, and one character per code point,
chr(0x20 + strokes) (counts 1–84 become "!"…"t"). Where kTotalStrokes gives two values, the
first (the one for simplified Chinese, zh-Hans) is taken.
"""
import bz2
import sys
from pathlib import Path

SOURCE = "/usr/share/unicode/Unihan_IRGSources.txt.bz2"
TARGET = Path(__file__).resolve().parent.parent / "tongxue" / "domain" / "data" / "strokes.txt"


def main(source: str = SOURCE) -> None:
    opener = bz2.open if source.endswith(".bz2") else open
    counts: dict[int, int] = {}
    version = ""
    with opener(source, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.startswith("# Unicode version:"):
                version = line[1:].strip()
            if line.startswith("U+") and "\tkTotalStrokes\t" in line:
                code, _field, value = line.rstrip("\n").split("\t")
                counts[int(code[2:], 16)] = int(value.split()[0])
    runs: list[tuple[int, list[str]]] = []
    for point in sorted(counts):
        char = chr(0x20 + counts[point])
        if runs and runs[-1][0] + len(runs[-1][1]) == point:
            runs[-1][1].append(char)
        else:
            runs.append((point, [char]))
    with TARGET.open("w", encoding="ascii", newline="\n") as out:
        out.write("# Total stroke counts (Unihan kTotalStrokes, first value), built by scripts/build_strokes.py\n")
        out.write(f"# from {Path(source).name} ({version or 'Unicode 15.0'}); {len(counts)} characters.\n")
        out.write("# Each line: first code point (hex), TAB, one character per code point = chr(0x20 + strokes).\n")
        for start, chars in runs:
            out.write(f"{start:X}\t{''.join(chars)}\n")
    print(f"{len(counts)} characters in {len(runs)} runs -> {TARGET}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
