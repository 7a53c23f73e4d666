"""The default categories and offices a university starts with (issue 4, item 1); each university
edits them in the administration."""
from django.db import transaction

from .models import Category, Office

CATEGORIES = [
    # code, name, English name, sensitive
    ("dorm", "宿舍", "Dormitory", False),
    ("canteen", "食堂", "Canteen", False),
    ("teaching", "教学", "Teaching", False),
    ("exams", "考试", "Exams", False),
    ("fees", "收费", "Fees", False),
    ("facilities", "设施", "Facilities", False),
    ("safety", "安全", "Safety", True),
    ("health", "健康", "Health", True),
    ("other", "其他", "Other", False),
]

OFFICES = [
    ("logistics", "后勤保障处"),
    ("academic", "教务处"),
    ("security", "保卫处"),
    ("finance", "财务处"),
    ("student_affairs", "学生工作部（处）"),
    ("it", "信息化办公室"),
]


@transaction.atomic
def ensure_defaults(university) -> None:
    """Create the default categories and offices a university does not have yet (by code)."""
    have = set(Category.objects.filter(university=university).values_list("code", flat=True))
    Category.objects.bulk_create([
        Category(university=university, code=code, name=name, name_en=name_en, is_sensitive=sensitive, order=i)
        for i, (code, name, name_en, sensitive) in enumerate(CATEGORIES) if code not in have
    ])
    have = set(Office.objects.filter(university=university).values_list("code", flat=True))
    Office.objects.bulk_create([Office(university=university, code=code, name=name)
                                for code, name in OFFICES if code not in have])
