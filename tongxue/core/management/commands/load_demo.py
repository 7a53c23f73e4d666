"""`load_demo`: load the demo universities 示范大学 and 联合大学 (see `tongxue.core.demo`).

Deliberate rule violations in the data, for the reform checks to find: 经济学院学生会 has 34
staff (> 30); 法学院学生会 has 4 presidium members (> 3); one officer of 外国语学院学生会 is 群众;
东校区学生会 has a department named 学生事务中心 (a "centre").

Running it twice without --flush refuses politely (exit status 1) and changes nothing.
"""
import time
from pathlib import Path

from django.conf import settings

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tongxue.core import demo


def logins_file() -> Path:
    return Path(settings.VAR_DIR) / "demo-logins.txt"


class Command(BaseCommand):
    help = (
        "Load a deterministic demo: 示范大学 (code demo; 3 campuses, 20 colleges, N students, unions at every "
        "level, associations, teachers) and 联合大学 (code lianhe). All demo accounts use the password "
        f"{demo.DEMO_PASSWORD}. Deliberate violations for the checks: 经济学院学生会 has 34 staff (>30), "
        "法学院学生会 has 4 presidium members (>3), an officer of 外国语学院学生会 is 群众 (13), and "
        "东校区学生会 has a department named 学生事务中心 (a 'centre'), and 物理学院学生会 last held its congress "
        "15 months ago. Refuses to run twice unless --flush. "
        "加载示范数据；再次运行需加 --flush。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026). 随机种子")
        parser.add_argument("--students", type=int, default=30000,
                            help="Students of 示范大学 (default 30000). 学生人数")
        parser.add_argument("--flush", action="store_true",
                            help="Delete the demo universities first. 先删除已有示范数据")
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing (but print the logins) when the demo is already loaded. 已加载则跳过")

    def handle(self, *args, seed, students, flush, if_empty, **options):
        if students < 200:
            raise CommandError("--students must be at least 200 (学生人数至少 200).")
        started = time.monotonic()
        try:
            with transaction.atomic():  # a failed rebuild keeps the old demo
                if flush and (deleted := demo.flush_demo()):
                    self.stdout.write(f"Deleted {deleted} demo universities in {time.monotonic() - started:.1f} s "
                                      f"(已删除 {deleted} 所示范学校).")
                result = demo.build_demo(seed=seed, students=students)
        except demo.DemoExists:
            if if_empty:
                self.stdout.write("The demo is already loaded (示范数据已存在).")
                if logins_file().exists():
                    self.stdout.write(logins_file().read_text())
                return
            raise CommandError(
                "The demo is already loaded; nothing was changed. Run with --flush to replace it. "
                "示范数据已存在，未做任何修改；如需重建请加 --flush。"
            ) from None
        elapsed = time.monotonic() - started
        counts = ", ".join(f"{value} {key}" for key, value in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded in {elapsed:.1f} s (示范数据已加载): {counts}."))
        self.stdout.write("")
        table = self._table(result.logins)
        self.stdout.write(table)
        logins_file().parent.mkdir(parents=True, exist_ok=True)
        logins_file().write_text(table + "\n")
        self.stdout.write("")
        self.stdout.write("Federation and administrator logins type the full name with '/'; with two universities "
                          "loaded, students and teachers of 示范大学 leave the university choice on 示范大学.")

    @staticmethod
    def _table(logins) -> str:
        header = ("Role 角色", "Login 登录名", "Password 密码", "University 学校", "Sees 可见范围")
        rows = [header] + [(x.role, x.login_id, x.password, x.university, x.sees) for x in logins]

        def width(text: str) -> int:  # CJK characters take two columns in a terminal
            return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

        widths = [max(width(row[i]) for row in rows) for i in range(len(header) - 1)]
        lines = []
        for index, row in enumerate(rows):
            cells = [cell + " " * (w - width(cell)) for cell, w in zip(row, widths)] + [row[-1]]
            lines.append("  ".join(cells).rstrip())
            if index == 0:
                lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 20)
        return "\n".join(lines)
