"""`liangbang roster import|export` (issue 4) against workbooks written by openpyxl in the official 附件2 layout.
Every validation rule has its own test; the row-level rules share one workbook (`batch`, one bad line per rule, one
import) and each test checks its line's error: Excel row (data row i = row 5 + i), official column title, a Chinese
phrase of the message; and that nothing was stored. All people are synthetic (roster_fixtures)."""
import datetime
import zipfile

import openpyxl
import pytest

import roster_fixtures as F
from conftest import import_report, run_cli
from roster_fixtures import COUNTY, PUPIL_ID, PUPIL_NAME, SCHOOL, SEX, STUDENT_NO, VOL_ID

SG, HSNU, LINGNAN = "韶关学院", "华南师范大学", "岭南师范学院"
WUJIANG, ZHENJIANG, HUAZHOU, GAOZHOU, LUODING = "440203", "440204", "440982", "440981", "445381"
D = datetime.date
OUTPUTS = []  # (stdout, stderr) of every CLI run, for the plaintext test


def cli(data, *args):
    p = run_cli(data, "roster", *args)
    OUTPUTS.append((p.stdout, p.stderr))
    return p


def roster_import(data, path, university=SG, *extra, expect=None):
    """Runs an import with --json; returns (exit code, report or None, process)."""
    return import_report(cli(data, "import", "--university", university, "--campaign", "2022", "--json", *extra, str(path)), expect)


def stored(data):
    """How many pairings 韶关学院 holds now: a dry run of a one-line file changes nothing and reports it."""
    path = F.write_official_xlsx(data.parent / "probe.xlsx", [F.Synth(99).pair(WUJIANG)], SG)
    return roster_import(data, path, SG, "--dry-run", expect=0)[1]["stored"]


def problems(report, row, kind="errors"):
    return [e for e in report[kind] if e["row"] == row]


def assert_problem(report, row, column, phrase, kind="errors"):
    hits = [e for e in problems(report, row, kind) if e["column"] == column and phrase in e["message"]]
    assert hits, f"expected {kind[:-1]} at row {row}, column {column}, containing “{phrase}”; row {row} has {problems(report, row, kind)}"


# ---- the row-level rules, one bad line each, one import ----

def batch_lines():
    s = F.Synth(11)
    bad_date = f"{WUJIANG}20100230123"
    same = s.pair(WUJIANG)
    pupil = s.pair(ZHENJIANG)
    def female_for_male(**over):
        return s.pair(WUJIANG, pupil_id=s.id(WUJIANG, D(2010, 3, 15), male=True), **{SEX: "女"}, **over)
    return [
        ("valid", s.pair(WUJIANG)),
        ("age_6_exactly", s.pair(WUJIANG, pupil_id=s.id(WUJIANG, D(2016, 7, 8)))),
        ("age_19_exactly", s.pair(WUJIANG, pupil_id=s.id(WUJIANG, D(2002, 7, 9)))),
        ("check_digit", s.pair(WUJIANG, pupil_id=F.with_wrong_check(s.id(WUJIANG, D(2010, 3, 15))))),
        ("volunteer_check_digit", s.pair(WUJIANG, **{VOL_ID: F.with_wrong_check(s.volunteer()[1])})),
        ("impossible_date", s.pair(WUJIANG, pupil_id=bad_date + F.check_char(bad_date))),
        ("wrong_length", s.pair(WUJIANG, pupil_id=s.id(WUJIANG, D(2010, 1, 1))[:17])),
        ("fifteen_digit", s.pair(WUJIANG, pupil_id=f"{WUJIANG}100315123")),
        ("number_cell", s.pair(WUJIANG, pupil_id=F.excel_number_id(s.id(WUJIANG, D(2010, 3, 15))))),
        ("sex_mismatch", female_for_male()),
        ("too_old", s.pair(WUJIANG, pupil_id=s.id(WUJIANG, D(2002, 7, 8)))),
        ("too_young", s.pair(WUJIANG, pupil_id=s.id(WUJIANG, D(2016, 7, 9)))),
        ("volunteer_is_pupil", dict(same, **{VOL_ID: same[PUPIL_ID]})),
        ("county_not_guangdong", s.pair(WUJIANG, **{COUNTY: "长沙县"})),
        ("county_not_assigned", s.pair(WUJIANG, **{COUNTY: "罗定市"})),
        ("pair_first", pupil),
        ("pair_again", dict(pupil)),
        ("missing_fields", s.pair(WUJIANG, **{PUPIL_NAME: "", SCHOOL: ""})),
        ("two_errors", female_for_male(**{COUNTY: "罗定市"})),
    ]


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    d = tmp_path_factory.mktemp("batch")
    lines = batch_lines()
    path = F.write_official_xlsx(d / "bad.xlsx", [row for _, row in lines], SG)
    code, report, _ = roster_import(d / "data", path, SG)
    return {"code": code, "report": report, "row": {k: 6 + i for i, (k, _) in enumerate(lines)}, "data": d / "data"}


def check(batch, key, column, phrase):
    assert_problem(batch["report"], batch["row"][key], column, phrase)


def test_wrong_check_digit(batch):
    check(batch, "check_digit", PUPIL_ID, "校验位")
    check(batch, "volunteer_check_digit", VOL_ID, "校验位")


def test_impossible_birth_date(batch):
    check(batch, "impossible_date", PUPIL_ID, "出生日期")


def test_wrong_length(batch):
    check(batch, "wrong_length", PUPIL_ID, "18位")


def test_fifteen_digit_id_refused(batch):
    check(batch, "fifteen_digit", PUPIL_ID, "15位")


def test_id_typed_into_a_number_cell_says_set_column_to_text(batch):
    check(batch, "number_cell", PUPIL_ID, "文本")


def test_sex_must_agree_with_17th_digit(batch):
    check(batch, "sex_mismatch", SEX, "第17位")


def test_school_age_6_to_19_on_roster_date(batch):
    check(batch, "too_old", PUPIL_ID, "学龄")
    check(batch, "too_young", PUPIL_ID, "学龄")
    for key in ("age_6_exactly", "age_19_exactly"):
        assert problems(batch["report"], batch["row"][key]) == [], key


def test_volunteer_must_not_be_the_pupil(batch):
    check(batch, "volunteer_is_pupil", VOL_ID, "同一人")


def test_county_must_be_in_guangdong(batch):
    check(batch, "county_not_guangdong", COUNTY, "广东")


def test_county_must_be_assigned_to_the_university(batch):
    check(batch, "county_not_assigned", COUNTY, SG)


def test_same_pair_twice_flags_the_second_row(batch):
    check(batch, "pair_again", PUPIL_ID, "重复")
    assert problems(batch["report"], batch["row"]["pair_first"]) == []


def test_required_fields(batch):
    check(batch, "missing_fields", PUPIL_NAME, "不能为空")
    check(batch, "missing_fields", SCHOOL, "不能为空")


def test_every_error_is_listed_and_nothing_is_stored(batch):
    report, rows = batch["report"], batch["row"]
    assert batch["code"] == 1 and report["stored"] == 0, report
    valid = {"valid", "age_6_exactly", "age_19_exactly", "pair_first"}
    assert {e["row"] for e in report["errors"]} == {r for k, r in rows.items() if k not in valid}
    check(batch, "two_errors", SEX, "第17位")
    check(batch, "two_errors", COUNTY, SG)
    assert stored(batch["data"]) == 0


# ---- rules that need their own data directory ----

def test_pupil_already_paired_by_another_university(tmp_path):
    s, data = F.Synth(21), tmp_path / "data"
    theirs = s.pair(HUAZHOU)
    roster_import(data, F.write_official_xlsx(tmp_path / "hsnu.xlsx", [theirs], HSNU), HSNU, expect=0)
    ours = s.pair(HUAZHOU, pupil_id=theirs[PUPIL_ID], **{PUPIL_NAME: theirs[PUPIL_NAME], COUNTY: "信宜市"})
    code, report, p = roster_import(data, F.write_official_xlsx(tmp_path / "ln.xlsx", [ours], LINGNAN), LINGNAN, expect=1)
    # Refused without naming the other university: an ID number must not reveal where a child is paired.
    assert_problem(report, 6, PUPIL_ID, "已由其他高校结对")
    assert report["stored"] == 0
    shown = (p.stdout + p.stderr).decode()
    for secret in (HSNU, theirs[F.VOL_NAME], theirs[SCHOOL], theirs[VOL_ID], F.mask(theirs[VOL_ID]), theirs[F.GRADE]):
        assert secret not in shown, f"the other university's data leaked: {secret}"


def test_student_number_not_g_plus_id_is_a_warning(tmp_path):
    s = F.Synth(31)
    rows = [s.pair(WUJIANG), s.pair(WUJIANG), s.pair(WUJIANG, **{STUDENT_NO: "L20221234"})]
    rows[1][STUDENT_NO] = "G" + rows[0][PUPIL_ID]
    code, report, _ = roster_import(tmp_path / "data", F.write_official_xlsx(tmp_path / "w.xlsx", rows, SG), SG, expect=0)
    assert report["errors"] == [] and report["stored"] == 3, report
    assert_problem(report, 7, STUDENT_NO, "G", kind="warnings")
    assert problems(report, 6, "warnings") == [] and problems(report, 8, "warnings") == []


def test_office_variants_are_accepted(tmp_path):
    s = F.Synth(41)
    vol = s.volunteer()
    x_pupil = s.id(GAOZHOU, D(2011, 9, 1), check="X")
    x_vol = s.id(WUJIANG, D(2001, 2, 3), check="X")
    rows = [
        F.vary(s.pair(HUAZHOU, volunteer=vol), county_style="short"),                  # 化州
        F.vary(s.pair(HUAZHOU, volunteer=vol), county_style="long", long_sex=True),    # 茂名市化州市, 男性/女性
        F.vary(s.pair(LUODING), county_style="code", fullwidth=True),                  # 445381, full-width digits
        F.vary(s.pair(GAOZHOU, pupil_id=x_pupil, **{VOL_ID: x_vol}), lowercase_x=True),
        dict(s.pair(GAOZHOU), **{PUPIL_NAME: "  陈小明 ", SCHOOL: " 高州市第一中学\u3000"}),
    ]
    rows.append(dict(rows[0], **{F.VOL_NAME: "另一位", VOL_ID: s.volunteer()[1]}))  # 多对一: a second volunteer
    rows[-1][F.START] = "2022年7月5日"
    order = [F.COUNTY, PUPIL_ID, PUPIL_NAME, SEX, F.GRADE, SCHOOL, F.VOL_ID, F.VOL_NAME, STUDENT_NO]
    path = F.write_official_xlsx(tmp_path / "v.xlsx", rows, HSNU, order=order, start_date=True, trailing_empty_rows=5)
    code, report, _ = roster_import(tmp_path / "data", path, HSNU, expect=0)
    assert report["errors"] == [] and report["stored"] == 6 and report["added"] == 6, report
    out = tmp_path / "full.csv"
    assert cli(tmp_path / "data", "export", "--university", HSNU, "--campaign", "2022", "--format", "csv",
               "--full-id", "--out", str(out)).returncode == 0
    text = read_text(out)
    assert x_pupil in text and x_vol in text and "陈小明" in text and "  陈小明" not in text
    assert text.count("化州市") >= 3


def test_template_rows_numbered_but_otherwise_empty_are_ignored(tmp_path):
    """Official templates come with 序号 pre-filled far below the data; such a row is as empty as a blank one."""
    s = F.Synth(45)
    path = F.write_official_xlsx(tmp_path / "t.xlsx", [s.pair(WUJIANG) for _ in range(3)], SG)
    wb = openpyxl.load_workbook(path)
    for i in range(4, 31):
        wb.active.cell(row=5 + i, column=1, value=i)
    wb.save(path)
    _, report, _ = roster_import(tmp_path / "data", path, SG, expect=0)
    assert report["stored"] == 3 and report["errors"] == [], report


def read_text(path):
    raw = open(path, "rb").read()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            pass
    raise AssertionError("export is neither UTF-8 nor GB18030")


def test_gbk_csv_is_accepted(tmp_path):
    s = F.Synth(51)
    rows = [s.pair(WUJIANG), s.pair(ZHENJIANG), s.pair("440282")]
    code, report, _ = roster_import(tmp_path / "data", F.write_gbk_csv(tmp_path / "r.csv", rows), SG, expect=0)
    assert report["stored"] == 3 and report["errors"] == [], report
    rows[1][SEX] = "女" if rows[1][SEX] == "男" else "男"
    code, report, _ = roster_import(tmp_path / "data2", F.write_gbk_csv(tmp_path / "bad.csv", rows), SG, expect=1)
    assert_problem(report, 3, SEX, "第17位")  # CSV: the header is line 1, data line 2 is row 3


def test_reimport_updates_by_pupil_and_volunteer_id_and_replace_removes(tmp_path):
    s, data = F.Synth(61), tmp_path / "data"
    rows = [s.pair(WUJIANG, **{PUPIL_NAME: name}) for name in ("甲同学", "乙同学", "丙同学")]
    _, report, _ = roster_import(data, F.write_official_xlsx(tmp_path / "1.xlsx", rows, SG), SG, expect=0)
    assert (report["stored"], report["added"]) == (3, 3), report
    changed = [dict(r, **{SCHOOL: r[SCHOOL] + "新校区", F.GRADE: "七年级1班"}) for r in rows[:2]]
    _, report, _ = roster_import(data, F.write_official_xlsx(tmp_path / "2.xlsx", changed, SG), SG, expect=0)
    assert (report["stored"], report["added"], report["updated"], report["removed"]) == (3, 0, 2, 0), report
    _, report, _ = roster_import(data, F.write_official_xlsx(tmp_path / "3.xlsx", changed, SG), SG, "--mode", "replace", expect=0)
    assert (report["stored"], report["added"], report["removed"]) == (2, 0, 1), report
    out = tmp_path / "now.csv"
    cli(data, "export", "--university", SG, "--campaign", "2022", "--format", "csv", "--out", str(out))
    text = read_text(out)
    assert text.count("新校区") == 2 and rows[2][PUPIL_NAME] not in text


def test_dry_run_stores_nothing(tmp_path):
    s, data = F.Synth(71), tmp_path / "data"
    rows = [s.pair(WUJIANG) for _ in range(4)]
    path = F.write_official_xlsx(tmp_path / "r.xlsx", rows, SG)
    _, report, _ = roster_import(data, path, SG, "--dry-run", expect=0)
    assert (report["stored"], report["added"]) == (0, 4), report
    roster_import(data, path, SG, expect=0)
    fewer = F.write_official_xlsx(tmp_path / "fewer.xlsx", rows[:1], SG)
    _, report, _ = roster_import(data, fewer, SG, "--dry-run", "--mode", "replace", expect=0)
    assert (report["stored"], report["removed"]) == (4, 3), report
    assert stored(data) == 4


# ---- hostile and wrong files: refused with exit 2, nothing stored or removed ----

def zip_bomb(path, lie=False):
    """A real openpyxl workbook whose sheet XML inflates to 256 MB of blanks (about 1000:1); with `lie`, the zip
    headers declare 1000 bytes, so only counting what actually comes out of the inflater catches it."""
    sheet = b"xl/worksheets/sheet1.xml"
    F.write_official_xlsx(path.with_suffix(".src.xlsx"), [], SG)
    with zipfile.ZipFile(path.with_suffix(".src.xlsx")) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            if item.filename != sheet.decode():
                z.writestr(item, src.read(item))
        with z.open(sheet.decode(), "w") as f:
            f.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            for _ in range(256):
                f.write(b" " * (1 << 20))
            f.write(b"</sheetData></worksheet>")
    if lie:
        raw = bytearray(path.read_bytes())
        for signature, name_at, size_at in ((b"PK\x03\x04", 30, 22), (b"PK\x01\x02", 46, 24)):
            at = raw.find(signature)
            while raw[at + name_at:at + name_at + len(sheet)] != sheet:
                at = raw.find(signature, at + 4)
            raw[at + size_at:at + size_at + 4] = (1000).to_bytes(4, "little")
        path.write_bytes(bytes(raw))


HOSTILE = {
    "pdf_renamed.xlsx": lambda p: p.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"),
    "legacy.xls": lambda p: p.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)),
    "bomb.xlsx": zip_bomb,
    "bomb_lying_header.xlsx": lambda p: zip_bomb(p, lie=True),
    "empty.xlsx": lambda p: p.write_bytes(b""),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    d = tmp_path_factory.mktemp("seeded")
    s = F.Synth(81)
    roster_import(d / "data", F.write_official_xlsx(d / "r.xlsx", [s.pair(WUJIANG), s.pair(WUJIANG)], SG), SG, expect=0)
    return d


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_or_wrong_file_refused(seeded, name):
    path = seeded / name
    HOSTILE[name](path)
    code, _, p = roster_import(seeded / "data", path, SG, "--mode", "replace", expect=2)
    reason = [line for line in p.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    assert len(reason) == 1 and any("\u4e00" <= ch <= "\u9fff" for ch in reason[0]), reason
    assert stored(seeded / "data") == 2


# ---- export in the official layout ----

@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    d = tmp_path_factory.mktemp("export")
    s = F.Synth(91)
    vol = s.volunteer()
    rows = [s.pair(WUJIANG, volunteer=vol), s.pair(ZHENJIANG, volunteer=vol), s.pair(WUJIANG), s.pair(WUJIANG, volunteer=vol)]
    rows.append(dict(rows[2], **{F.VOL_NAME: s.name(), VOL_ID: s.volunteer()[1]}))  # one pupil, two volunteers
    roster_import(d / "data", F.write_official_xlsx(d / "r.xlsx", rows, SG), SG, expect=0)
    files = {}
    for fmt, extra in (("xlsx", ()), ("xlsx", ("--full-id",)), ("docx", ()), ("csv", ())):
        out = d / f"out{'-full' if extra else ''}.{fmt}"
        p = cli(d / "data", "export", "--university", SG, "--campaign", "2022", "--format", fmt, *extra, "--out", str(out))
        assert p.returncode == 0, p.stderr.decode()
        files[out.name] = out
    return rows, files


def ids_of(rows):
    return {r[PUPIL_ID] for r in rows} | {r[VOL_ID] for r in rows}


def sheet_table(path):
    values = [[("" if v is None else str(v)) for v in r] for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(values) if r and r[0].strip() == "序号")
    titles = ["".join(c.split()) for c in values[header]]
    data = [dict(zip(titles, r)) for r in values[header + 1:] if any(c.strip() for c in r)]
    return values[:header], titles, data


def test_export_xlsx_official_layout_masked(exported):
    rows, files = exported
    top, titles, data = sheet_table(files["out.xlsx"])
    texts = ["".join(c for c in r if c) for r in top]
    assert texts[0].strip() == "附件2"
    assert any("青年云支教" in t and "结对名单" in t for t in texts), texts
    assert any("高校团委（盖章）：韶关学院" in t for t in texts), texts
    pupils, volunteers = F.totals(rows)
    assert f"帮扶学生总计{pupils}名，结对志愿者总计{volunteers}名" in ["".join(t.split()) for t in texts], texts
    assert titles[:10] == ["序号"] + F.COLUMNS, titles
    assert [int(float(r["序号"])) for r in data] == list(range(1, len(rows) + 1))
    assert {r[PUPIL_ID] for r in data} == {F.mask(r[PUPIL_ID]) for r in rows}
    assert {r[VOL_ID] for r in data} == {F.mask(r[VOL_ID]) for r in rows}
    blob = b"".join(zipfile.ZipFile(files["out.xlsx"]).read(n) for n in zipfile.ZipFile(files["out.xlsx"]).namelist())
    assert not [i for i in ids_of(rows) if i.encode() in blob], "a full ID number is in the masked export"
    _, _, full = sheet_table(files["out-full.xlsx"])
    assert {r[PUPIL_ID] for r in full} | {r[VOL_ID] for r in full} == ids_of(rows)


def test_export_docx_and_csv_masked(exported):
    rows, files = exported
    xml = zipfile.ZipFile(files["out.docx"]).read("word/document.xml").decode()
    assert "青年云支教" in xml and "高校团委（盖章）：韶关学院" in xml
    text = read_text(files["out.csv"])
    for r in rows:
        assert F.mask(r[PUPIL_ID]) in xml and F.mask(r[VOL_ID]) in xml
        assert F.mask(r[PUPIL_ID]) in text and r[PUPIL_NAME] in text
    leaked = [i for i in ids_of(rows) if i in xml or i in text]
    assert not leaked, "a full ID number is in the masked docx/csv export"


# ---- personal data: no plaintext ID at rest or in output ----

def test_no_plaintext_id_in_database_or_output(tmp_path):
    s, data = F.Synth(101), tmp_path / "data"
    rows = [s.pair(WUJIANG) for _ in range(20)] + [s.pair(ZHENJIANG, pupil_id=s.id(ZHENJIANG, D(2012, 1, 1), check="X"))]
    OUTPUTS.clear()
    roster_import(data, F.write_official_xlsx(tmp_path / "r.xlsx", rows, SG), SG, expect=0)
    bad = rows[:3] + [rows[0], dict(rows[1], **{SEX: "女" if rows[1][SEX] == "男" else "男"})]
    roster_import(data, F.write_official_xlsx(tmp_path / "bad.xlsx", bad, SG), SG, expect=1)
    cli(data, "import", "--university", SG, "--campaign", "2022", str(tmp_path / "bad.xlsx"))  # the human-readable report
    blobs = {f.name: f.read_bytes() for f in data.iterdir() if f.is_file() and f.name != "secret.key"}
    assert "liangbang.sqlite" in blobs, sorted(blobs)
    blobs.update({f"run {i} {k}": b for i, out in enumerate(OUTPUTS) for k, b in zip(("stdout", "stderr"), out)})
    for i in ids_of(rows):
        for needle in (i, i[6:17]):  # the whole number, and the birth date + sequence that masking hides
            where = [name for name, blob in blobs.items() if needle.encode() in blob]
            assert not where, f"plaintext ID digits {needle[:4]}… found in {where}"
