"""Standard code tables used by rosters: 民族 (GB 3304) and 政治面貌 (GB/T 4762).

Rosters carry either the code or the name (conventions.md, Rosters); `ethnicity_code` and
`political_status_code` accept both and return the value stored on `Student`, or None.
"""
from .models import PoliticalStatus

# GB 3304-91 (中国各民族名称的罗马字母拼写法和代码), plus 97 and 98 for students of
# other backgrounds (the standard's own extension codes used by academic-affairs systems).
ETHNICITIES: dict[str, str] = {
    "01": "汉族", "02": "蒙古族", "03": "回族", "04": "藏族", "05": "维吾尔族", "06": "苗族", "07": "彝族",
    "08": "壮族", "09": "布依族", "10": "朝鲜族", "11": "满族", "12": "侗族", "13": "瑶族", "14": "白族",
    "15": "土家族", "16": "哈尼族", "17": "哈萨克族", "18": "傣族", "19": "黎族", "20": "傈僳族", "21": "佤族",
    "22": "畲族", "23": "高山族", "24": "拉祜族", "25": "水族", "26": "东乡族", "27": "纳西族", "28": "景颇族",
    "29": "柯尔克孜族", "30": "土族", "31": "达斡尔族", "32": "仫佬族", "33": "羌族", "34": "布朗族",
    "35": "撒拉族", "36": "毛南族", "37": "仡佬族", "38": "锡伯族", "39": "阿昌族", "40": "普米族",
    "41": "塔吉克族", "42": "怒族", "43": "乌孜别克族", "44": "俄罗斯族", "45": "鄂温克族", "46": "德昂族",
    "47": "保安族", "48": "裕固族", "49": "京族", "50": "塔塔尔族", "51": "独龙族", "52": "鄂伦春族",
    "53": "赫哲族", "54": "门巴族", "55": "珞巴族", "56": "基诺族",
    "97": "其他", "98": "外国血统中国籍人士",
}

_ETHNICITY_BY_NAME: dict[str, str] = {}
for _code, _name in ETHNICITIES.items():
    _ETHNICITY_BY_NAME[_name] = _code
    if _name.endswith("族"):
        _ETHNICITY_BY_NAME.setdefault(_name[:-1], _code)  # "汉", "维吾尔"
_ETHNICITY_BY_NAME.update({"穿青人": "97", "未识别民族": "97", "外国血统": "98"})

# GB/T 4762-1984 政治面貌代码. The eight democratic parties (04–11) are one value on Student:
# union work needs to know that a student belongs to one, not which.
POLITICAL_STATUS_CODES: dict[str, str] = {
    "01": PoliticalStatus.PARTY_MEMBER,
    "02": PoliticalStatus.PROBATIONARY_PARTY_MEMBER,
    "03": PoliticalStatus.LEAGUE_MEMBER,
    **{f"{n:02d}": PoliticalStatus.DEMOCRATIC_PARTY for n in range(4, 12)},
    "12": PoliticalStatus.NON_PARTISAN,
    "13": PoliticalStatus.MASSES,
}

_POLITICAL_STATUS_BY_NAME: dict[str, str] = {
    "中共党员": "01", "中国共产党党员": "01", "党员": "01", "正式党员": "01",
    "中共预备党员": "02", "中国共产党预备党员": "02", "预备党员": "02",
    "共青团员": "03", "中国共产主义青年团团员": "03", "团员": "03",
    "民革会员": "04", "民革党员": "04", "中国国民党革命委员会会员": "04",
    "民盟盟员": "05", "中国民主同盟盟员": "05",
    "民建会员": "06", "中国民主建国会会员": "06",
    "民进会员": "07", "中国民主促进会会员": "07",
    "农工党党员": "08", "中国农工民主党党员": "08",
    "致公党党员": "09", "中国致公党党员": "09",
    "九三学社社员": "10",
    "台盟盟员": "11", "台湾民主自治同盟盟员": "11",
    "民主党派": "04", "民主党派成员": "04", "民主党派人士": "04",
    "无党派人士": "12", "无党派民主人士": "12", "无党派": "12",
    "群众": "13",
}


def _two_digit(value: str) -> str | None:
    if value.isdigit() and 1 <= len(value) <= 2:
        return value.zfill(2)
    return None


def ethnicity_code(value: str) -> str | None:
    """The GB 3304 code for a name (汉族, 汉) or a code (01, 1); None when unknown."""
    value = value.strip()
    code = _two_digit(value)
    if code is not None:
        return code if code in ETHNICITIES else None
    return _ETHNICITY_BY_NAME.get(value)


def political_status_code(value: str) -> str | None:
    """The `PoliticalStatus` value for a GB/T 4762 name or code; None when unknown."""
    value = value.strip()
    code = _two_digit(value)
    if code is None:
        code = _POLITICAL_STATUS_BY_NAME.get(value)
    return POLITICAL_STATUS_CODES.get(code) if code else None
