"""Synthetic 附件3 活动汇总表 workbooks, filled the way county, city and university offices really fill them.

Every activity, unit label and link here is made up (links point at `*.example.cn`). Each generator writes one workbook
with openpyxl and returns `(path, activities)`: the activities the importer must store, in the file's order, as
`Activity` values (what the platform should keep, not what was typed). The refusal generator returns
`(path, activities, refused)` with `refused` the (Excel row, column title, phrase of the message) it must report.
The office-habit generators (footnotes_then_signer, total_row, bracketed_headers, wrapped_dates) are habits seen in
returned tables: a signature block under the notes, a 合计 line, notes in header brackets, line breaks in 开展时间.

The layout is the notice's (seed/notice.txt, 附件3): row 1 "附件3", row 2 the merged title, row 3 "单位：…", row 4 the
header (line breaks inside cells, as the printed form wraps them), then the template's sample row 1 holding only
"（不超过100字）" and "√", then the office's lines, then the footnotes 注：1.… 2.… 3.…. `write_form` lays it out;
a typed value can differ from the stored one (7.15-7.20, 1,200人, ✓): `Line.cells` holds what the office typed.
"""
import dataclasses
import datetime
import pathlib

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

YEAR = 2022
D = datetime.date

HOST, CO_HOSTS, TIME, CATEGORY, TITLE = "主办单位", "联合开展单位", "开展时间", "活动类别", "活动主题"
SUMMARY, PEOPLE, LINKS, KEY = "活动概况和特色亮点", "覆盖人数", "报道链接", "重点宣传项目"
WORK_ITEM, DEMO, STATUS = "工作事项", "示范活动", "状态"
COLUMNS = [HOST, CO_HOSTS, TIME, CATEGORY, TITLE, SUMMARY, PEOPLE, LINKS, KEY]   # the notice's, after 序号
EXTENSION = [WORK_ITEM, DEMO, STATUS]                                          # ours, optional, after them
# The header cells as an office's copy of the form wraps them.
HEADER_TEXT = {
    CO_HOSTS: "联合开展\n单位",
    SUMMARY: "活动概况和\n特色亮点\n（不超过100字）",
    PEOPLE: "覆盖\n人数",
    KEY: "重点宣传\n项目",
}
FORM_TITLE = f"{YEAR}年“两帮两促”集中行动月活动汇总表"
NOTES = [
    "注：1.活动类别为：学业帮助、就业创业帮助、体质健康促进、心理健康促进；",
    "2.各地市团委至少开展1场“两帮两促”示范活动，各县（市、区）、相关高校团委分别至少开展1场活动，鼓励有条件的镇街积极开展活动；",
    "3.各地市、各相关高校团委推荐至少一个项目作为重点宣传项目，团省委将集中安排开展宣传。",
]
INSTRUCTIONS = [
    "填表说明",
    "1．请在“活动汇总表”工作表中逐行填写，一行为一场活动，不要合并或拆分行。",
    "2．开展时间请写具体日期，跨多日的活动写起止日期，如 7.15-7.20。",
    "3．活动类别只能填写一类：学业帮助、就业创业帮助、体质健康促进、心理健康促进。",
    "4．活动概况和特色亮点不超过100字；覆盖人数填写整数。",
    "5．报道链接可填写多个，每个链接占一行；推荐为重点宣传项目的请在最后一列打“√”。",
]
CATEGORIES = ["学业帮助", "就业创业帮助", "体质健康促进", "心理健康促进"]


@dataclasses.dataclass
class Activity:
    """What the platform must keep for one line. `None` in the optional fields: the file does not say."""
    title: str
    start: datetime.date
    category: str                      # one of CATEGORIES
    end: datetime.date | None = None   # None: a one-day activity
    host: str = ""
    co_hosts: str = ""
    summary: str = ""
    people: int = 0
    links: tuple = ()
    key: bool = False
    demo: bool | None = None
    status: str | None = None          # "计划" / "已开展"
    work_item: str | None = None       # the work item's label, e.g. 青年云支教
    warnings: tuple = ()               # columns where a warning (not an error) is expected
    row: int | None = None             # the Excel row `write_form` put it on (not part of what is stored)

    def __post_init__(self):
        self.end = self.end or self.start


class Typed:
    """A cell value with a number format: a real Excel date cell, or a number kept in a text cell."""
    def __init__(self, value, number_format):
        self.value, self.number_format = value, number_format


@dataclasses.dataclass
class Line:
    """One line of the form: the activity, and the cells the office typed where they differ from the defaults."""
    activity: Activity
    cells: dict = dataclasses.field(default_factory=dict)


def typed_defaults(a: Activity) -> dict:
    """How a careful office types an activity: a real date cell for one day, 7.15-7.20 for a range."""
    if a.start == a.end:
        time = Typed(datetime.datetime(a.start.year, a.start.month, a.start.day), "yyyy/m/d")
    else:
        time = f"{a.start.month}.{a.start.day}-{a.end.month}.{a.end.day}"
    cells = {HOST: a.host, CO_HOSTS: a.co_hosts, TIME: time, CATEGORY: a.category, TITLE: a.title, SUMMARY: a.summary,
             PEOPLE: a.people, LINKS: "\n".join(a.links), KEY: "√" if a.key else None}
    if a.work_item is not None:
        cells[WORK_ITEM] = a.work_item
    if a.demo is not None:
        cells[DEMO] = "√" if a.demo else None
    if a.status is not None:
        cells[STATUS] = a.status
    return cells


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="center")


def _put(ws, row, column, value):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, Typed):
        cell.value, cell.number_format = value.value, value.number_format
    else:
        cell.value = None if value == "" else value
    cell.border, cell.alignment = BOX, WRAP
    return cell


def write_form(path, lines, unit_label, *, extension=(), placeholder=True, ellipsis_row=True, notes=True,
               merged_notes=True, merge_down=(), instructions_sheet=False, sheet_title="Sheet1", header_text=None):
    """Writes the 附件3 form; returns (path, [Excel row of each line]).

    extension: our optional columns to add after the official ten; placeholder: keep the template's sample row 1
    ("（不超过100字）" and "√"); ellipsis_row: leave the template's "…" row under the data; notes / merged_notes: the
    footnotes, merged across the table or typed in column A only; merge_down: (column, first line, last line)
    ranges the office merged vertically (the lines must share the value); instructions_sheet: a 填表说明 sheet first."""
    columns = COLUMNS + list(extension)
    header = ["序号"] + [(header_text or HEADER_TEXT).get(c, c) for c in columns]
    width = len(header)
    last = get_column_letter(width)
    wb = openpyxl.Workbook()
    ws = wb.active
    if instructions_sheet:
        ws.title = "填表说明"
        for i, text in enumerate(INSTRUCTIONS, start=1):
            ws.cell(row=i, column=1, value=text).font = Font(bold=i == 1)
        ws.column_dimensions["A"].width = 90
        ws = wb.create_sheet("活动汇总表")
    else:
        ws.title = sheet_title
    ws["A1"] = "附件3"
    ws["A1"].font = Font(name="黑体", size=14)
    ws["A2"] = FORM_TITLE
    ws.merge_cells(f"A2:{last}2")
    ws["A2"].font = Font(name="方正小标宋简体", size=18)
    ws["A2"].alignment = Alignment(horizontal="center")
    ws["A3"] = f"单位：{unit_label}"
    ws.merge_cells("A3:D3")
    for c, text in enumerate(header, start=1):
        cell = _put(ws, 4, c, text)
        cell.font, cell.alignment = Font(bold=True), Alignment(wrap_text=True, horizontal="center", vertical="center")
    row = 5
    if placeholder:   # the template's sample row, left as printed
        _put(ws, row, 1, 1)
        for c in range(2, width + 1):
            _put(ws, row, c, None)
        _put(ws, row, 2 + columns.index(SUMMARY), "（不超过100字）")
        _put(ws, row, 2 + columns.index(KEY), "√")
        row += 1
    first_data = row
    skip = set()
    for column, first, lastline in merge_down:
        shared = [(typed_defaults(lines[i].activity) | lines[i].cells).get(column) for i in range(first, lastline + 1)]
        assert all(v == shared[0] for v in shared), f"merged lines must share {column}: {shared}"
        skip |= {(i, column) for i in range(first + 1, lastline + 1)}
    numbers = []
    for i, line in enumerate(lines):
        r = first_data + i
        numbers.append(r)
        line.activity.row = r
        _put(ws, r, 1, i + 1 + (1 if placeholder else 0))
        cells = typed_defaults(line.activity) | line.cells
        for c, column in enumerate(columns, start=2):
            _put(ws, r, c, None if (i, column) in skip else cells.get(column))
    for column, first, lastline in merge_down:
        col = get_column_letter(2 + columns.index(column))
        ws.merge_cells(f"{col}{first_data + first}:{col}{first_data + lastline}")
    row = first_data + len(lines)
    if ellipsis_row:
        _put(ws, row, 1, "…")
        for c in range(2, width + 1):
            _put(ws, row, c, None)
        row += 1
    if notes:
        row += 1   # a blank line before the notes, as in the notice
        for text in NOTES:
            ws.cell(row=row, column=1, value=text).alignment = Alignment(wrap_text=True, vertical="top")
            if merged_notes:
                ws.merge_cells(f"A{row}:{last}{row}")
            row += 1
    for c, w in enumerate([6, 18, 16, 16, 12, 24, 40, 8, 36, 10] + [12] * len(extension), start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.freeze_panes = "A5"
    wb.save(path)
    return pathlib.Path(path), numbers


def link(slug: str) -> str:
    return f"https://youth.example.cn/news/2022/{slug}.html"


def cjk(n: int, start: int = 0) -> str:
    """n distinct-looking Chinese characters (no punctuation), for length limits."""
    pool = "乡村青少年健康成长两帮两促集中行动月活动志愿服务学业帮助就业创业体质心理促进暑期课堂陪伴关爱"
    return "".join(pool[(start + i) % len(pool)] for i in range(n))


# ---- (a) the notice's template, filled in by a county office ----

def notice_template(path):
    """乐昌市's table on the unchanged template: sample row 1 left as printed, the "…" row, merged footnotes."""
    host = "共青团乐昌市委员会"
    acts = [
        Activity("“青春伴成长”乡村学子暑期托管课堂", D(2022, 7, 11), "学业帮助", end=D(2022, 8, 19), host=host,
                 co_hosts="乐昌市教育局、乐昌市青年志愿者协会",
                 summary="组织返乡大学生志愿者在全市12个镇街开设暑期托管课堂，开展作业辅导、阅读分享和安全教育，帮助留守儿童度过充实暑假。",
                 people=860, links=(link("lechang-tuoguan"),), key=True),
        Activity("乡村青年电商直播技能培训班", D(2022, 7, 20), "就业创业帮助", host=host, co_hosts="乐昌市人力资源和社会保障局",
                 summary="邀请电商讲师为乡村青年讲授短视频拍摄、直播带货和农产品品牌打造，现场对接本地合作社。", people=120,
                 links=(link("lechang-zhibo"),)),
        Activity("“阳光体育”乡村少年篮球训练营", D(2022, 7, 25), "体质健康促进", end=D(2022, 7, 29), host=host,
                 summary="联合体育教师开展为期五天的篮球基础训练和体能测试，培养乡村少年运动习惯。", people=64),
        Activity("12355心理健康进村居讲座", D(2022, 8, 6), "心理健康促进", host=host, co_hosts="乐昌市妇女联合会",
                 summary="12355青少年服务台心理咨询师走进村居，为青少年和家长讲授情绪管理和亲子沟通。", people=210,
                 links=(link("lechang-12355-a"), link("lechang-12355-b"))),
    ]
    path, _ = write_form(path, [Line(a) for a in acts], "共青团乐昌市委员会")
    return path, acts


# ---- (b) a 填表说明 sheet first, the table on sheet 2 ----

def instructions_first(path):
    """韶关学院's table on the second sheet, after a 填表说明 cover sheet; footnotes in column A only."""
    host = "共青团韶关学院委员会"
    acts = [
        Activity("韶院学子“云支教”结对辅导启动仪式", D(2022, 7, 8), "学业帮助", host=host, co_hosts="韶关学院教育学院",
                 summary="举行云支教结对启动仪式，236名志愿者与乐昌、南雄等地乡村学生一对一结对，每周线上辅导不少于1小时。",
                 people=472, links=(link("sgu-yunzhijiao"),), key=True),
        Activity("低收入家庭毕业生就业帮扶专场招聘会", D(2022, 7, 15), "就业创业帮助", host=host, co_hosts="韶关学院招生就业处",
                 summary="为低收入家庭毕业生举办专场招聘会，邀请42家企业提供岗位300余个，一对一推荐岗位。", people=350),
        Activity("“心灵成长”乡村儿童团体辅导", D(2022, 7, 18), "心理健康促进", end=D(2022, 7, 22), host=host,
                 summary="心理学专业学生志愿者到仁化县开展团体心理辅导和绘画治疗活动。", people=96),
    ]
    path, _ = write_form(path, [Line(a) for a in acts], "共青团韶关学院委员会", instructions_sheet=True, merged_notes=False)
    return path, acts


# ---- (c) 主办单位 (and 活动类别) merged down over several lines ----

def merged_down(path):
    """韶关市's table: 主办单位 merged over the first three lines and over the last two; 活动类别 merged too."""
    city, vol = "共青团韶关市委员会", "韶关市青年志愿者协会"
    acts = [
        Activity("韶关市“两帮两促”示范活动暨集中行动月启动仪式", D(2022, 7, 1), "学业帮助", host=city,
                 co_hosts="韶关市教育局", summary="举行全市集中行动月启动仪式，发布活动清单，向乡村学校赠送图书5000册。",
                 people=1500, links=(link("sg-qidong"),), key=True),
        Activity("丹霞研学营：乡村学子走进大学校园", D(2022, 7, 12), "学业帮助", end=D(2022, 7, 14), host=city,
                 summary="组织80名乡村学生走进韶关学院参观实验室、图书馆，与大学生志愿者交流学习方法。", people=80),
        Activity("青年创业沙龙：青农优品直播间", D(2022, 7, 28), "就业创业帮助", host=city, co_hosts="韶关市农业农村局",
                 summary="邀请返乡创业青年分享经验，现场为青农优品直播带货。", people=150, links=(link("sg-qingnong"),)),
        Activity("健康直通车义诊进乡村", D(2022, 8, 2), "体质健康促进", host=vol, co_hosts="韶关市第一人民医院青年文明号",
                 summary="医疗志愿者为乡村青少年开展视力、口腔筛查，建立健康档案并跟进转诊。", people=320),
        Activity("守护视力公益讲座", D(2022, 8, 9), "体质健康促进", host=vol,
                 summary="眼科医生讲授近视防控知识，向学生赠送护眼台灯。", people=150),
    ]
    merges = [(HOST, 0, 2), (HOST, 3, 4), (CATEGORY, 0, 1), (CATEGORY, 3, 4)]
    path, _ = write_form(path, [Line(a) for a in acts], "共青团韶关市委员会", merge_down=merges)
    return path, acts


# ---- (d) dates, numbers, flags and links in every form offices type them ----

SUMMARY_100 = "本次活动由团县委牵头，联合县教育局和镇街团委，组织返乡大学生志愿者为农村留守儿童开展学业辅导、安全教育、亲子阅读和心理陪伴，全程记录成长档案，形成一村一册的帮扶台账，家长和学校普遍反映良好，效果明显！"


def office_forms(path):
    """乐昌市's table typed the many ways offices type: dates (date cell, serial 44757, 2022.7.15, 7月15日, 7.15-7.20,
    2022年7月15日-7月20日, 2022/7/15), 覆盖人数 (number, 1200人, 1,200, 约300人), flags (√ ✓ 是 Y),
    several links in one cell, 学业帮助类, a 100-character summary and one with a line break."""
    host = "共青团乐昌市委员会"
    assert len(SUMMARY_100) == 100, len(SUMMARY_100)
    jul15 = D(2022, 7, 15)
    rows = [
        (Activity("学业辅导小课堂（日期单元格）", jul15, "学业帮助", host=host, summary="日期单元格，覆盖人数为数字。", people=1200, key=True),
         {TIME: Typed(datetime.datetime(2022, 7, 15), 'yyyy"年"m"月"d"日"'), PEOPLE: 1200, KEY: "√"}),
        (Activity("作业答疑志愿行（序列号）", jul15, "学业帮助", host=host, summary="开展时间被Excel存成了序列号。", people=1200),
         {TIME: 44757, CATEGORY: "学业帮助类", PEOPLE: "1200人"}),
        (Activity("乡村少年足球赛（点号日期）", jul15, "体质健康促进", host=host, summary="点号分隔的日期，人数带千分位。", people=1200, key=True),
         {TIME: "2022.7.15", PEOPLE: "1,200", KEY: "✓"}),
        (Activity("青年就业见习对接会（月日）", jul15, "就业创业帮助", host=host, summary="只写了月和日的日期。", people=300,
                  warnings=(PEOPLE,), key=True),
         {TIME: "7月15日", PEOPLE: "约300人", KEY: "是"}),
        (Activity("心理健康夏令营（起止日期）", jul15, "心理健康促进", end=D(2022, 7, 20), host=host, summary=SUMMARY_100, people=45,
                  key=True),
         {TIME: "7.15-7.20", KEY: "Y"}),
        (Activity("科技直通车进乡村（年月日起止）", jul15, "学业帮助", end=D(2022, 7, 20), host=host, co_hosts="乐昌市科学技术协会",
                  summary="科技辅导员带来机器人、航模和科学小实验。\n共走进6所乡村小学。", people=600,
                  links=(link("lechang-keji-1"), link("lechang-keji-2"), link("lechang-keji-3"))),
         {TIME: "2022年7月15日-7月20日", PEOPLE: 600}),
        (Activity("返家乡大学生座谈会（斜杠日期）", jul15, "就业创业帮助", host=host, summary="斜杠分隔的完整日期。", people=35,
                  links=(link("lechang-fanjiaxiang"), "http://www.example.cn/a?id=7&from=lechang")),
         {TIME: "2022/7/15", LINKS: link("lechang-fanjiaxiang") + "\n" + "http://www.example.cn/a?id=7&from=lechang\n"}),
    ]
    lines = [Line(a, cells) for a, cells in rows]
    path, _ = write_form(path, lines, "共青团乐昌市委员会（盖章）")
    return path, [a for a, _ in rows]


# ---- (e) lines the importer must refuse, each with its row and column ----

def refusals(path):
    """A 韶关学院 table with one bad line per rule among good ones. Returns (path, good activities, refused) where
    refused lists (Excel row, column title, a phrase of the Chinese message). Nothing in it may be stored."""
    host = "共青团韶关学院委员会"
    def good(title, summary="暑期学业辅导，志愿者一对一答疑。"):
        return Activity(title, D(2022, 7, 16), "学业帮助", host=host, summary=summary, people=20)
    rows = [
        ("ok_first", good("正常活动甲"), {}),
        ("summary_101", good("概况超长的活动", summary=cjk(101)), {}),
        ("unknown_category", good("文体活动一场"), {CATEGORY: "文体活动"}),
        ("negative", good("覆盖人数为负"), {PEOPLE: -5}),
        ("fraction", good("覆盖人数有小数"), {PEOPLE: 12.5}),
        ("script_link", good("链接是脚本"), {LINKS: "javascript:alert(1)"}),
        ("last_year", good("去年的活动"), {TIME: Typed(datetime.datetime(2021, 7, 15), "yyyy/m/d")}),
        ("ok_last", good("正常活动乙", summary=cjk(100, 3)), {}),
    ]
    expected = {
        "summary_101": (SUMMARY, "100"),
        "unknown_category": (CATEGORY, "文体活动"),
        "negative": (PEOPLE, "负数"),
        "fraction": (PEOPLE, "整数"),
        "script_link": (LINKS, "javascript"),
        "last_year": (TIME, "2022"),
    }
    path, numbers = write_form(path, [Line(a, cells) for _, a, cells in rows], "共青团韶关学院委员会")
    refused = [(numbers[i], *expected[key]) for i, (key, _, _) in enumerate(rows) if key in expected]
    ok = [a for key, a, _ in rows if key not in expected]
    return path, ok, refused


# ---- (f) our optional trailing columns: 工作事项, 示范活动, 状态 ----

def extension_columns(path):
    """韶关市's table with 工作事项 (a label, a number typed as a number, a programme name), 示范活动 (√) and 状态."""
    host = "共青团韶关市委员会"
    rows = [
        (Activity("青年云支教示范课堂", D(2022, 7, 6), "学业帮助", host=host, summary="全市云支教示范课堂，直播到各结对学校。",
                  people=900, key=True, demo=True, status="已开展", work_item="青年云支教"), {}),
        (Activity("健康直通车乡村行", D(2022, 7, 21), "体质健康促进", host=host, summary="青年文明号医护团队为乡村青少年体检。",
                  people=400, demo=False, status="已开展", work_item="健康直通车"), {WORK_ITEM: 8}),
        (Activity("三下乡实践团队乡村夏令营", D(2022, 8, 15), "学业帮助", end=D(2022, 8, 21), host=host,
                  summary="灯塔实践团队在乡村开展夏令营。", people=150, demo=False, status="计划", work_item="三下乡·返家乡助学实践"),
         {WORK_ITEM: "三下乡"}),
    ]
    path, _ = write_form(path, [Line(a, cells) for a, cells in rows], "共青团韶关市委员会", extension=EXTENSION)
    return path, [a for a, _ in rows]


# ---- office habits: signature block, 合计 line, bracketed header notes, wrapped dates ----

def _edit(path, change):
    wb = openpyxl.load_workbook(path)
    change(wb.active)
    wb.save(path)


def footnotes_then_signer(path):
    """The template with its footnotes, then the 填表人 / 联系电话 / 审核人 line many offices add under a form."""
    path, acts = notice_template(path)

    def sign(ws):
        r = ws.max_row + 2
        for first, last, value in ((1, 3, "填表人：张三"), (5, 7, "联系电话：020-00000000"), (8, 10, "审核人：李四")):
            ws.cell(r, first, value)
            ws.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)
    _edit(path, sign)
    return path, acts


def total_row(path):
    """A 合计 line under the data: 序号 says 合计, 覆盖人数 holds the sum (a formula with its cached value)."""
    acts = [simple("暑期课堂（合计行上方）", 11, people=120), simple("就业讲座（合计行上方）", 12, category="就业创业帮助", people=80)]
    path, numbers = write_form(path, [Line(a) for a in acts], "共青团乐昌市委员会", ellipsis_row=False)

    def total(ws):
        r = numbers[-1] + 1
        ws.cell(r, 1, "合计")
        ws.cell(r, 2 + COLUMNS.index(PEOPLE), sum(a.people for a in acts))
    _edit(path, total)
    return path, acts


def bracketed_headers(path):
    """Header cells with a bracketed hint the alias list does not know: 报道链接（如有）, 重点宣传项目（请打√）,
    覆盖人数（人次）, 联合开展单位（如有）. Their values must not be dropped silently."""
    acts = [simple("带括号表头的活动", 18, co_hosts="乐昌市教育局", people=75, links=(link("bracketed"),), key=True)]
    headers = dict(HEADER_TEXT, **{LINKS: "报道链接（如有）", KEY: "重点宣传项目（请打√）", PEOPLE: "覆盖人数（人次）",
                                   CO_HOSTS: "联合开展单位（如有）"})
    path, _ = write_form(path, [Line(a) for a in acts], "共青团乐昌市委员会", header_text=headers)
    return path, acts


def wrapped_dates(path):
    """开展时间 wrapped with Alt+Enter in a narrow column: 2022年7月15日-⏎7月20日, 7月15日⏎至⏎7月20日."""
    rows = [(simple("起止日期换行甲", 15, end=D(2022, 7, 20)), {TIME: "2022年7月15日-\n7月20日"}),
            (simple("起止日期换行乙", 16, end=D(2022, 7, 21)), {TIME: "7月16日\n至\n7月21日"})]
    path, _ = write_form(path, [Line(a, cells) for a, cells in rows], "共青团乐昌市委员会")
    return path, [a for a, _ in rows]


# ---- small plain tables for the mode, dry-run and round-trip tests ----

def plain(path, activities, unit_label="共青团乐昌市委员会"):
    """The form without the template's leftovers (no sample row, no notes)."""
    path, _ = write_form(path, [Line(a) for a in activities], unit_label, placeholder=False, ellipsis_row=False, notes=False)
    return path, list(activities)


def simple(title, day=15, category="学业帮助", **kw):
    """A one-line activity with sensible defaults; keyword arguments override."""
    kw.setdefault("host", "共青团乐昌市委员会")
    kw.setdefault("summary", f"{title}：组织志愿者开展帮扶。")
    kw.setdefault("people", 50)
    return Activity(title, D(2022, 7, day), category, **kw)
