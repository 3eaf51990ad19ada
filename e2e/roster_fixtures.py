"""Synthetic 附件2 rosters (青年云支教结对名单) for the roster-import tests and the benchmark.

Everything here is made up: ID numbers are generated from a county code, a birth date and a sequence, with a valid
GB 11643-1999 check character, and names are drawn from common characters. No real person is involved.

Rows are dicts keyed by the official column titles (`COLUMNS`); `write_official_xlsx` lays them out as the notice
prints the form (附件2, the merged title, 高校团委（盖章）, the totals line, the line-broken header, data from row 6).
A value that is not a string (e.g. a float ID) is written as is, so a test can put a number where text belongs.
"""
import csv
import datetime
import pathlib
import random

ROOT = pathlib.Path(__file__).resolve().parent.parent

PUPIL_NAME, SEX, PUPIL_ID, STUDENT_NO, SCHOOL = "学生姓名", "性别", "身份证号", "学籍号", "在读学校"
GRADE, COUNTY, VOL_NAME, VOL_ID, START = "年级班级", "所在县（市、区）", "结对志愿者", "结对志愿者身份证号", "结对开始日期"
COLUMNS = [PUPIL_NAME, SEX, PUPIL_ID, STUDENT_NO, SCHOOL, GRADE, COUNTY, VOL_NAME, VOL_ID]
# The header cells as the notice prints them (line breaks included); 序号 comes first.
HEADER_TEXT = {PUPIL_NAME: "学生\n姓名", GRADE: "年级\n班级"}
TITLE = "“青年云支教”结对名单"
ROSTER_DATE = datetime.date(2022, 7, 8)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def make_id(county: str, birth: datetime.date, seq: int, male: bool | None = None) -> str:
    """18-character ID: county code + yyyymmdd + 3-digit sequence (odd 17th digit = 男) + check character.
    With `male` given, the sequence's last digit is bumped to the right parity."""
    seq %= 1000
    if male is not None and (seq % 2 == 1) != male:
        seq = seq + 1 if seq < 999 else seq - 1
    first17 = f"{county}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def with_wrong_check(id18: str) -> str:
    wrong = CHECK_CHARS[(CHECK_CHARS.index(id18[17]) + 1) % 11]
    return id18[:17] + wrong


def mask(id18: str) -> str:
    return id18[:6] + "*" * (len(id18) - 10) + id18[-4:]


def is_male(id18: str) -> bool:
    return int(id18[16]) % 2 == 1


def load_divisions():
    """code → (name, city name) for every county-level unit of the seed."""
    rows = list(csv.DictReader(open(ROOT / "Resources" / "Seed" / "guangdong-divisions.csv", encoding="utf-8")))
    names = {r["code"]: r["name"] for r in rows}
    return {r["code"]: (r["name"], names.get(r["parent_code"], "")) for r in rows if r["level"] == "county"}


DIVISIONS = load_divisions()
CODE_BY_NAME = {}
for _code, (_name, _city) in sorted(DIVISIONS.items()):
    CODE_BY_NAME.setdefault(_name, _code)
SHAOGUAN = sorted(c for c in DIVISIONS if c.startswith("4402"))   # 韶关学院: every county of 韶关市

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯许邓曾彭萧蔡潘田董袁叶钟"
GIVEN = "子涵欣怡梓轩浩宇雨桐思远嘉怡俊杰诗琪明轩晓彤志强丽娟文博佳慧海燕家豪敏婷国华雅琳天佑宏伟"
SCHOOLS = ["第一中学", "第二中学", "实验小学", "中心小学", "城南中学", "民族中学", "镇中心学校"]
GRADES = ["三年级1班", "四年级2班", "五年级3班", "六年级1班", "初一（2）班", "初二（5）班", "高一（3）班"]


class Synth:
    """Deterministic generator of made-up people; every ID it returns is distinct."""

    def __init__(self, seed: int = 2022):
        self.rng = random.Random(seed)
        self.seq = seed * 37 % 1000
        self.used = set()

    def name(self) -> str:
        n = 1 if self.rng.random() < 0.3 else 2
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(n))

    def id(self, county: str, birth: datetime.date, male: bool | None = None, check: str | None = None) -> str:
        """A fresh valid ID; `check='X'` keeps trying sequences until the check character is X."""
        while True:
            self.seq = (self.seq + 1) % 1000
            value = make_id(county, birth, self.seq, male)
            if value not in self.used and (check is None or value[17] == check):
                self.used.add(value)
                return value

    def pupil_birth(self) -> datetime.date:
        # 7–14 on the roster date of `self.year` (2022 unless a test pairs pupils for another campaign year)
        base = datetime.date(2007 + getattr(self, "year", 2022) - 2022, 9, 1)
        return base + datetime.timedelta(days=self.rng.randrange(7 * 365))

    def volunteer(self) -> tuple[str, str]:
        birth = datetime.date(1999, 1, 1) + datetime.timedelta(days=self.rng.randrange(4 * 365))
        return self.name(), self.id(self.rng.choice(SHAOGUAN), birth)

    def pair(self, county: str, volunteer: tuple[str, str] | None = None, pupil_id: str | None = None, **over) -> dict:
        """One valid line for a pupil in `county` (a code), or with the given `pupil_id` (性别 and 学籍号 follow it);
        other keyword arguments override columns by title: `s.pair(code, **{SEX: "女"})`."""
        pid = pupil_id or self.id(county, self.pupil_birth(), self.rng.random() < 0.5)
        valid_looking = isinstance(pid, str) and len(pid) == 18 and pid[16].isdigit()
        male = is_male(pid) if valid_looking else self.rng.random() < 0.5
        vname, vid = volunteer or self.volunteer()
        name, city = DIVISIONS[county]
        row = {PUPIL_NAME: self.name(), SEX: "男" if male else "女", PUPIL_ID: pid, STUDENT_NO: "G" + pid if valid_looking else "",
               SCHOOL: name + self.rng.choice(SCHOOLS), GRADE: self.rng.choice(GRADES), COUNTY: name,
               VOL_NAME: vname, VOL_ID: vid}
        row.update(over)
        return row


FULLWIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


def county_as(text: str, style: str | None) -> str:
    """化州市 → short 化州, long 茂名市化州市, or code 440982."""
    code = CODE_BY_NAME.get(text)
    if style is None or code is None:
        return text
    name, city = DIVISIONS[code]
    if style == "short":
        return name[:-1] if len(name) > 2 and name[-1] in "市区县" else name
    if style == "long":
        return city + name
    if style == "code":
        return code
    raise ValueError(style)


def vary(row: dict, county_style=None, fullwidth=False, lowercase_x=False, long_sex=False) -> dict:
    """The same line typed the way offices type it."""
    out = dict(row)
    if county_style:
        out[COUNTY] = county_as(out[COUNTY], county_style)
    for col in (PUPIL_ID, VOL_ID, STUDENT_NO):
        v = out.get(col)
        if isinstance(v, str):
            if lowercase_x:
                v = v.replace("X", "x")
            if fullwidth:
                v = v.translate(FULLWIDTH)
            out[col] = v
    if long_sex and out.get(SEX) in ("男", "女"):
        out[SEX] += "性"
    return out


def totals(rows) -> tuple[int, int]:
    """Distinct pupils and distinct volunteers, as the form's totals line counts them."""
    return len({r[PUPIL_ID] for r in rows}), len({r[VOL_ID] for r in rows})


def write_official_xlsx(path, rows, university, *, order=None, start_date=False, trailing_empty_rows=0,
                        county_style=None, fullwidth=False, lowercase_x=False, long_sex=False, sheet="附件2"):
    """Writes the 附件2 form with openpyxl; data row i (1-based) lands on Excel row 5 + i. Returns the path.

    order: the columns (titles from COLUMNS, plus START) in another order; start_date: add 结对开始日期 (a row's
    START value, default 2022-07-01); trailing_empty_rows: blank rows after the data (empty strings, bordered);
    the other keywords apply `vary` to every row."""
    import openpyxl
    from openpyxl.styles import Alignment, Border, Font, Side

    columns = list(order or COLUMNS)
    if start_date and START not in columns:
        columns.append(START)
    header = ["序号"] + [HEADER_TEXT.get(c, c) for c in columns]
    width = len(header)
    last = openpyxl.utils.get_column_letter(width)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws["A1"] = "附件2"
    ws["A2"] = TITLE
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(size=16, bold=True)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws["A3"] = f"高校团委（盖章）：{university}"
    ws.merge_cells(f"A3:{last}3")
    pupils, volunteers = totals([r for r in rows if isinstance(r.get(PUPIL_ID), str)])
    ws["A4"] = f"帮扶学生总计 {pupils} 名，结对志愿者总计 {volunteers} 名"
    ws.merge_cells(f"A4:{last}4")
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, text in enumerate(header, start=1):
        cell = ws.cell(row=5, column=c, value=text)
        cell.font, cell.border = Font(bold=True), box
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    text_cols = {PUPIL_ID, VOL_ID, STUDENT_NO}
    for i, raw in enumerate(rows, start=1):
        row = vary(raw, county_style, fullwidth, lowercase_x, long_sex)
        if start_date:
            row.setdefault(START, "2022-07-01")
        ws.cell(row=5 + i, column=1, value=i).border = box
        for c, col in enumerate(columns, start=2):
            value = row.get(col)
            cell = ws.cell(row=5 + i, column=c, value=value if value != "" else None)
            cell.border = box
            if col in text_cols and isinstance(value, str):
                cell.number_format = "@"
    for k in range(trailing_empty_rows):   # what an office leaves: numbered-but-empty bordered rows of a template
        for c in range(1, width + 1):
            ws.cell(row=6 + len(rows) + k, column=c, value="" if c > 1 else None).border = box
    for c in range(1, width + 1):
        ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width = 20
    wb.save(path)
    return path


def write_gbk_csv(path, rows, columns=None):
    """A header row of official titles, then the data, encoded GB18030 (as Excel saves CSV on Chinese Windows)."""
    columns = list(columns or COLUMNS)
    with open(path, "w", encoding="gb18030", newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow([r.get(c, "") for c in columns])
    return path


def excel_number_id(id18: str) -> float:
    """What Excel keeps when an 18-digit ID is typed into a General cell: 15 significant digits, as a number."""
    return float(f"{int(id18):.14e}")


def big_roster(pairs: int, seed: int = 2022) -> list:
    """A university's deadline-size roster: pupils in 韶关市's counties, ~10% with two volunteers, each volunteer
    tutoring ~3 pupils (the benchmark's and the crash test's fixture)."""
    import random
    s = Synth(seed)
    rng = random.Random(7)
    volunteers = [s.volunteer() for _ in range(max(2, pairs // 3))]
    rows = []
    while len(rows) < pairs:
        first = s.pair(rng.choice(SHAOGUAN), volunteer=rng.choice(volunteers))
        rows.append(first)
        if rng.random() < 0.1 and len(rows) < pairs:
            other = rng.choice(volunteers)
            while other[1] == first[VOL_ID]:
                other = rng.choice(volunteers)
            rows.append(dict(first, **{VOL_NAME: other[0], VOL_ID: other[1]}))
    return rows


def write_big_xlsx(path, rows, university="韶关学院"):
    """The official layout written in constant memory (xlsxwriter), for rosters of tens of thousands of lines."""
    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("附件2")
    title = wb.add_format({"bold": True, "font_size": 16, "align": "center"})
    head = wb.add_format({"bold": True, "text_wrap": True, "align": "center", "valign": "vcenter", "border": 1})
    cell = wb.add_format({"border": 1})
    text = wb.add_format({"border": 1, "num_format": "@"})
    header = ["序号"] + [HEADER_TEXT.get(c, c) for c in COLUMNS]
    last = len(header) - 1
    pupils, vols = totals(rows)
    ws.write_string(0, 0, "附件2")
    ws.merge_range(1, 0, 1, last, TITLE, title)
    ws.write_string(2, 0, f"高校团委（盖章）：{university}")
    ws.write_string(3, 0, f"帮扶学生总计 {pupils} 名，结对志愿者总计 {vols} 名")
    ws.write_row(4, 0, header, head)
    text_cols = {PUPIL_ID, VOL_ID, STUDENT_NO}
    for i, r in enumerate(rows, start=1):
        ws.write_number(4 + i, 0, i, cell)
        for c, col in enumerate(COLUMNS, start=1):
            ws.write_string(4 + i, c, r[col], text if col in text_cols else cell)
    wb.close()
