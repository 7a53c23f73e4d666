"""`tongxue tally`: recount an election from its published ballots file (rules.md §5), offline.

    tongxue tally ballots.json [--json] [--lang zh|en]

Reads the file the platform publishes with the result ("tongxue-ballots/1", see
`tongxue.domain.tally`), counts it with the same function as the platform and prints the
result. When the file also carries the official result, the recount is compared with it: a
difference is reported and the command exits with status 1. The database is not used.
"""
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from tongxue.domain.tally import TallyError, count, format_result, load_published_document

MESSAGES = {
    "zh": ("复核结果与文件中公布的结果一致。", "复核结果与文件中公布的结果不一致！"),
    "en": ("The recount matches the result published in the file.",
           "The recount differs from the result published in the file!"),
}


class Command(BaseCommand):
    help = ("Recount an election from its published ballots file and print the result; the database is not "
            "used. 根据公布的选票文件复核选举结果（不使用数据库）。")
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("ballots", help="Published ballots file (JSON), or - for standard input. 选票文件")
        parser.add_argument("--json", action="store_true", help="Machine-readable output. 输出 JSON")
        parser.add_argument("--lang", choices=["zh", "en"], default="zh", help="Language of the report. 语言")

    def handle(self, *args, ballots, json: bool, lang, **options):
        try:
            if ballots == "-":
                text = sys.stdin.buffer.read().decode("utf-8-sig")
            else:
                with open(ballots, encoding="utf-8-sig") as file:   # one copy of the text, not bytes + text
                    text = file.read()
            published = load_published_document(text)
            del text
        except OSError as error:
            raise CommandError(f"{ballots}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{ballots}: not UTF-8 text. 文件不是 UTF-8 编码。") from None
        except TallyError as error:
            raise CommandError(f"{ballots}: {error}") from None
        result = count(published.spec, published.ballots)
        recount = result.to_dict()
        matches = None if published.result is None else _normalised(recount) == _normalised(published.result)
        if json:
            self.stdout.write(_dumps({"election": published.spec.title, "result": recount,
                                      "matches_published": matches}))
        else:
            self.stdout.write(format_result(published.spec, result, lang), ending="")
            if matches is not None:
                self.stdout.write(MESSAGES[lang][0 if matches else 1])
        if matches is False:
            raise CommandError(MESSAGES[lang][1], returncode=1)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _normalised(value):
    return json.loads(json.dumps(value, sort_keys=True))
