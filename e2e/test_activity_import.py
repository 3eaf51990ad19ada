"""`liangbang activities import|export` (附件3 活动汇总表) against workbooks filled the way offices fill them
(activity_fixtures): the notice's template with its sample row and footnotes, a 填表说明 sheet first, merged cells,
dates / numbers / flags in every form, refused lines named by Excel row and column, all-or-nothing, dry runs,
replace and merge, the province's consolidation, and a round trip through our own export. All data is synthetic."""
import datetime
import json
import re

import openpyxl
import pytest

import activity_fixtures as F
from activity_fixtures import CATEGORY, KEY, LINKS, PEOPLE, SUMMARY, TIME, TITLE
from conftest import ROOT, import_report, run_cli

LECHANG, SHAOGUAN, SGU = "乐昌市", "韶关市", "韶关学院"
CANONICAL = F.COLUMNS + F.EXTENSION + ["序号", "填报单位"]


def cli(data, *args):
    return run_cli(data, "activities", *args)


def text(b: bytes) -> str:
    return b.decode("utf-8", "replace")


def act_import(data, path, org, *extra, expect=None, campaign="2022"):
    """Runs an import with --json; returns (exit code, report or None, process)."""
    return import_report(cli(data, "import", "--org", org, "--campaign", campaign, "--json", *extra, str(path)), expect)


def export(data, out, org=None, campaign="2022"):
    args = ["export", "--campaign", campaign] + (["--org", org] if org else []) + ["--out", str(out)]
    p = cli(data, *args)
    assert p.returncode == 0, f"export exit {p.returncode}: {text(p.stderr)}"
    return out


def has_chinese(s: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in s)


# ---- reading an export back ----

def canonical(title) -> str:
    """活动概况和\\n特色亮点\\n（不超过100字） → 活动概况和特色亮点: no whitespace, no bracketed hint."""
    t = re.sub(r"[（(][^）)]*[）)]", "", "".join(str(title or "").split()))
    return next((c for c in CANONICAL if t == c), t)


def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def read_table(path, sheet=None):
    """(rows above the header as texts, [row dicts keyed by canonical column title]) of an exported sheet."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next((i for i, r in enumerate(values) if any(canonical(c) == TITLE for c in r)), None)
    assert header is not None, f"no header row with 活动主题 in {sheet or ws.title}: {values[:6]}"
    titles = [canonical(c) for c in values[header]]
    rows = [dict(zip(titles, r)) for r in values[header + 1:]]
    rows = [r for r in rows if cell_text(r.get(TITLE)).strip()]
    top = ["".join(cell_text(c) for c in r) for r in values[:header]]
    return top, rows, header + 1


def parse_span(v, year=2022):
    """The 开展时间 cell of an export: a date cell, 2022-07-15, 2022-07-15至2022-07-20, 2022年7月15日, 7.15-7.20 …"""
    if isinstance(v, datetime.datetime):
        return v.date(), v.date()
    if isinstance(v, datetime.date):
        return v, v
    s = cell_text(v)
    days, y, end = [], year, 0
    for m in re.finditer(r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})", s):
        y = int(m.group(1)) if m.group(1) else y
        days.append(datetime.date(y, int(m.group(2)), int(m.group(3))))
        end = m.end()
    tail = re.fullmatch(r"\s*[日号]?\s*[-—~至到]\s*(\d{1,2})\s*[日号]?\s*", s[end:])   # 7月15日-20日
    if len(days) == 1 and tail:
        days.append(days[0].replace(day=int(tail.group(1))))
    assert days, f"开展时间 not a date: {v!r}"
    return days[0], days[-1]


def flag(v) -> bool:
    return cell_text(v).strip() in ("√", "✓", "是", "Y", "1")


def view(row) -> dict:
    """An exported row as comparable values."""
    start, end = parse_span(row.get(TIME))
    out = {"title": cell_text(row[TITLE]).strip(), "start": start, "end": end,
           "category": re.sub(r"(类|方面)$", "", cell_text(row.get(CATEGORY)).strip()),
           "host": cell_text(row.get(F.HOST)).strip(), "co_hosts": cell_text(row.get(F.CO_HOSTS)).strip(),
           "summary": cell_text(row.get(SUMMARY)).strip(),
           "people": int(float(cell_text(row.get(PEOPLE)) or 0)),
           "links": tuple(x for x in re.split(r"[\s,，、；;]+", cell_text(row.get(LINKS))) if x),
           "key": flag(row.get(KEY))}
    if F.DEMO in row:
        out["demo"] = flag(row.get(F.DEMO))
    if F.STATUS in row:
        out["status"] = cell_text(row.get(F.STATUS)).strip()
    if F.WORK_ITEM in row:
        out["work_item"] = cell_text(row.get(F.WORK_ITEM)).strip()
    return out


def expected(a: F.Activity) -> dict:
    out = {"title": a.title, "start": a.start, "end": a.end, "category": a.category, "host": a.host, "co_hosts": a.co_hosts,
           "summary": a.summary, "people": a.people, "links": tuple(a.links), "key": a.key}
    for field in ("demo", "status", "work_item"):
        if getattr(a, field) is not None:
            out[field] = getattr(a, field)
    return out


def assert_same(rows, activities):
    """The exported rows hold exactly these activities, in this order."""
    got = [view(r) for r in rows]
    want = [expected(a) for a in activities]
    assert len(got) == len(want), f"{len(got)} rows exported, {len(want)} expected: {[g['title'] for g in got]}"
    for g, w in zip(got, want):
        assert {k: g.get(k) for k in w} == w, f"exported line differs from what was imported:\n got  {g}\n want {w}"


def import_and_check(tmp_path, make, org):
    """Imports a good fixture, then reads the unit's export back and compares every activity."""
    path, acts = make(tmp_path / "in.xlsx")
    data = tmp_path / "data"
    _, report, _ = act_import(data, path, org, expect=0)
    assert report["errors"] == [], report
    assert (report["stored"], report["added"], report["removed"]) == (len(acts), len(acts), 0), report
    top, rows, header = read_table(export(data, tmp_path / "out.xlsx", org))
    assert header == 4 and top[0].strip() == "附件3", top
    assert "两帮两促" in top[1] and "活动汇总表" in top[1], top
    assert top[2].startswith("单位：") and org in top[2], top
    assert_same(rows, acts)
    return report, acts, data


# ---- good files, as offices fill them ----

def test_notice_template_with_sample_row_and_footnotes(tmp_path):
    """The unchanged template: 附件3 / title / 单位 rows, wrapped header cells, the sample row left with
    “（不超过100字）” and “√” (skipped), a “…” row and the merged footnotes 注：1.… 2.… 3.… (ignored)."""
    report, acts, _ = import_and_check(tmp_path, F.notice_template, LECHANG)
    assert report["warnings"] == [], "the sample row or a footnote was read as a line: " + json.dumps(report["warnings"], ensure_ascii=False)


def test_instructions_sheet_first_and_table_on_sheet_two(tmp_path):
    report, _, _ = import_and_check(tmp_path, F.instructions_first, SGU)
    assert report["warnings"] == [], report


def test_host_and_category_merged_down_over_several_lines(tmp_path):
    report, acts, _ = import_and_check(tmp_path, F.merged_down, SHAOGUAN)
    assert report["warnings"] == [], report


def test_dates_numbers_flags_and_links_as_offices_type_them(tmp_path):
    """Date cell, serial 44757, 2022.7.15, 7月15日, 7.15-7.20, 2022年7月15日-7月20日, 2022/7/15; 1200, 1200人, 1,200,
    约300人 (accepted with a warning); √ ✓ 是 Y; several links in one cell; 学业帮助类; 100 characters exactly."""
    report, acts, _ = import_and_check(tmp_path, F.office_forms, LECHANG)
    want = {(a.row, c) for a in acts for c in a.warnings}
    got = {(w["row"], w["column"]) for w in report["warnings"]}
    assert got == want, f"warnings {report['warnings']}, expected at {want}"
    assert all(has_chinese(w["message"]) for w in report["warnings"]), report["warnings"]


def test_our_trailing_columns_work_item_demonstration_status(tmp_path):
    import_and_check(tmp_path, F.extension_columns, SHAOGUAN)


# Office habits seen in real returns: a signature block under the notes, a 合计 line, headers with notes in
# brackets, line breaks inside 开展时间.
OFFICE_HABITS = ["footnotes_then_signer", "total_row", "bracketed_headers", "wrapped_dates"]


@pytest.mark.parametrize("name", OFFICE_HABITS)
def test_office_habits(tmp_path, name):
    import_and_check(tmp_path, getattr(F, name), LECHANG)


# ---- refusals: every bad line named, nothing stored ----

def test_refused_lines_named_by_row_and_column_and_nothing_saved(tmp_path):
    data = tmp_path / "data"
    first, _ = F.instructions_first(tmp_path / "first.xlsx")
    act_import(data, first, SGU, expect=0)
    before = read_table(export(data, tmp_path / "before.xlsx", SGU))[1]
    path, good, refused = F.refusals(tmp_path / "bad.xlsx")
    for mode in ("replace", "merge"):
        _, report, _ = act_import(data, path, SGU, "--mode", mode, expect=1)
        assert report["stored"] == len(before), report
        got = {(e["row"], e["column"]) for e in report["errors"]}
        assert got == {(r, c) for r, c, _ in refused}, f"errors at {sorted(got)}; expected {sorted((r, c) for r, c, _ in refused)}"
        for row, column, phrase in refused:
            messages = [e["message"] for e in report["errors"] if (e["row"], e["column"]) == (row, column)]
            assert any(phrase in m and has_chinese(m) for m in messages), f"row {row} {column}: {messages} lacks “{phrase}”"
    after = read_table(export(data, tmp_path / "after.xlsx", SGU))[1]
    assert [view(r) for r in after] == [view(r) for r in before], "a refused import changed the stored table"
    p = cli(data, "import", "--org", SGU, "--campaign", "2022", str(path))   # the human-readable report
    shown = text(p.stdout) + text(p.stderr)
    assert p.returncode == 1 and all(f"第{row}行" in shown and column in shown for row, column, _ in refused), shown


# ---- modes and dry runs ----

def test_dry_run_stores_nothing(tmp_path):
    data = tmp_path / "data"
    path, acts = F.notice_template(tmp_path / "t.xlsx")
    _, report, _ = act_import(data, path, LECHANG, "--dry-run", expect=0)
    assert (report["stored"], report["added"]) == (0, len(acts)), report
    assert read_table(export(data, tmp_path / "empty.xlsx", LECHANG))[1] == []
    act_import(data, path, LECHANG, expect=0)
    fewer, _ = F.plain(tmp_path / "fewer.xlsx", acts[:1])
    _, report, _ = act_import(data, fewer, LECHANG, "--dry-run", expect=0)
    assert (report["stored"], report["removed"]) == (len(acts), len(acts) - 1), report
    assert len(read_table(export(data, tmp_path / "all.xlsx", LECHANG))[1]) == len(acts)


def test_replace_is_the_default_and_merge_keeps_other_lines(tmp_path):
    data = tmp_path / "data"
    a, b, c = F.simple("暑期课堂甲", 11), F.simple("暑期课堂乙", 12), F.simple("暑期课堂丙", 13)
    act_import(data, F.plain(tmp_path / "1.xlsx", [a, b, c])[0], LECHANG, expect=0)
    a2 = F.simple("暑期课堂甲", 11, people=99)
    d = F.simple("就业讲座丁", 20, category="就业创业帮助")
    _, report, _ = act_import(data, F.plain(tmp_path / "2.xlsx", [a2, d])[0], LECHANG, expect=0)
    assert (report["stored"], report["added"], report["updated"], report["removed"]) == (2, 1, 1, 2), report
    assert_same(read_table(export(data, tmp_path / "2out.xlsx", LECHANG))[1], [a2, d])
    e = F.simple("心理讲座戊", 25, category="心理健康促进")
    _, report, _ = act_import(data, F.plain(tmp_path / "3.xlsx", [e])[0], LECHANG, "--mode", "merge", expect=0)
    assert (report["stored"], report["added"], report["removed"]) == (3, 1, 0), report
    assert sorted(v["title"] for v in map(view, read_table(export(data, tmp_path / "3out.xlsx", LECHANG))[1])) == \
        sorted([a2.title, d.title, e.title])
    _, report, _ = act_import(data, F.plain(tmp_path / "3.xlsx", [e])[0], LECHANG, "--mode", "merge", expect=0)
    assert (report["stored"], report["added"], report["updated"], report["removed"]) == (3, 0, 0, 0), report


# ---- our export reads back ----

def test_export_reimports_to_the_same_activities(tmp_path):
    _, acts, data = import_and_check(tmp_path, F.office_forms, LECHANG)
    first = tmp_path / "out.xlsx"
    _, report, _ = act_import(data, first, LECHANG, expect=0)   # the same unit, unchanged: nothing to do
    assert (report["stored"], report["added"], report["updated"], report["removed"]) == (len(acts), 0, 0, 0), report
    fresh = tmp_path / "fresh"
    _, report, _ = act_import(fresh, first, LECHANG, expect=0)
    assert report["errors"] == [] and report["warnings"] == [], report
    again = read_table(export(fresh, tmp_path / "again.xlsx", LECHANG))[1]
    assert [view(r) for r in again] == [view(r) for r in read_table(first)[1]]


def test_province_consolidation_workbook(tmp_path):
    data = tmp_path / "data"
    units = [(LECHANG, F.notice_template), (SHAOGUAN, F.merged_down), (SGU, F.instructions_first)]
    imported = {}
    for org, make in units:
        path, acts = make(tmp_path / f"{org}.xlsx")
        act_import(data, path, org, expect=0)
        imported[org] = acts
    out = export(data, tmp_path / "province.xlsx")
    wb = openpyxl.load_workbook(out)
    cities = [line.split(",")[1] for line in open(ROOT / "Resources" / "Seed" / "guangdong-divisions.csv", encoding="utf-8")
              if ",city," in line]
    assert len(cities) == 21
    assert wb.sheetnames[0] == "汇总" and wb.sheetnames[-1] == "重点宣传项目", wb.sheetnames
    for name in cities + ["高校", "省有关单位"]:
        assert name in wb.sheetnames, f"no sheet {name}: {wb.sheetnames}"

    _, rows, _ = read_table(out, SHAOGUAN)
    by_title = {cell_text(r[TITLE]): r for r in rows}
    assert set(by_title) == {a.title for a in imported[LECHANG] + imported[SHAOGUAN]}
    for a in imported[LECHANG]:
        assert by_title[a.title].get("填报单位", LECHANG) == LECHANG
        assert {k: view(by_title[a.title])[k] for k in ("start", "end", "people", "key")} == \
            {k: expected(a)[k] for k in ("start", "end", "people", "key")}
    assert {cell_text(r[TITLE]) for r in read_table(out, "高校")[1]} == {a.title for a in imported[SGU]}
    assert read_table(out, "广州市")[1] == [] and read_table(out, "省有关单位")[1] == []
    keys = {cell_text(r[TITLE]) for r in read_table(out, "重点宣传项目")[1]}
    assert keys == {a.title for acts in imported.values() for a in acts if a.key}

    summary = [[cell_text(c) for c in r] for r in wb["汇总"].iter_rows(values_only=True)]
    total = next(r for r in summary if r and r[0] == "合计")
    city_row = next(r for r in summary if r and r[0] == SHAOGUAN)
    assert int(total[1]) == sum(len(v) for v in imported.values()), total
    assert int(city_row[1]) == len(imported[LECHANG]) + len(imported[SHAOGUAN]), city_row


# ---- files and names that cannot be imported: exit 2, nothing touched ----

def garbage(p):
    p.write_bytes(bytes((i * 131 + 7) % 256 for i in range(4096)))


REFUSED = {
    "legacy.xls": (lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)), LECHANG, "2022"),
    "scan.pdf": (lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"), LECHANG, "2022"),
    "pdf_renamed.xlsx": (lambda p: p.write_bytes(b"%PDF-1.4\n%%EOF\n"), LECHANG, "2022"),
    "garbage.xlsx": (garbage, LECHANG, "2022"),
    "truncated.xlsx": (lambda p: p.write_bytes(F.plain(p.with_suffix(".src.xlsx"), [F.simple("截断")])[0].read_bytes()[:1500]),
                       LECHANG, "2022"),
    "unknown_org": (None, "乐昌县", "2022"),
    "unknown_campaign": (None, LECHANG, "2031"),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeded")
    path, acts = F.notice_template(d / "t.xlsx")
    act_import(d / "data", path, LECHANG, expect=0)
    return d, path, len(acts)


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_unreadable_file_or_unknown_unit_exit_2(seeded, name):
    d, good, count = seeded
    make, org, campaign = REFUSED[name]
    path = good
    if make:
        path = d / name
        make(path)
    code, _, p = act_import(d / "data", path, org, campaign=campaign, expect=2)
    reason = [line for line in text(p.stderr).splitlines() if line.strip()]
    assert len(reason) == 1 and has_chinese(reason[0]), reason
    assert len(read_table(export(d / "data", d / f"{name}.out.xlsx", LECHANG))[1]) == count


def test_usage_errors_exit_64_and_unknown_names_on_export_exit_2(tmp_path):
    path, _ = F.plain(tmp_path / "t.xlsx", [F.simple("用法检查")])
    assert act_import(tmp_path / "data", path, LECHANG, "--mode", "append")[0] == 64
    assert cli(tmp_path / "data", "export", "--campaign", "2022").returncode == 64   # no --out
    for args in (["--org", "乐昌县"], ["--campaign", "2031"]):
        p = cli(tmp_path / "data", "export", *(["--campaign", "2022"] if "--campaign" not in args else []), *args,
                "--out", str(tmp_path / "x.xlsx"))
        assert p.returncode == 2 and has_chinese(text(p.stderr)), (args, p.returncode, text(p.stderr))
