"""Round trips of the spreadsheet engine against real tools: openpyxl and xlsxwriter write, we read
(`liangbang xlsx to-csv`) and compare cell by cell with openpyxl's reading; we write (`xlsx from-csv`)
and openpyxl reads back values, formats, merges, frozen panes, validation and comments.

CSV rendering of `to-csv` (see docs/spreadsheet.md): strings as is; numbers as their raw stored text
(compared numerically); dates `yyyy-mm-dd`, with a time `yyyy-mm-dd hh:mm:ss`, time-only `hh:mm:ss`;
booleans TRUE/FALSE; errors as their text; empty cells empty; missing rows blank lines; no trailing empty fields.
"""
import csv
import datetime
import io
import math
import os
import subprocess

import openpyxl
import pytest
import xlsxwriter

BIN = os.environ.get("LIANGBANG_BIN")


def liangbang(*args, check=True):
    assert BIN, "LIANGBANG_BIN must point at the built liangbang executable"
    p = subprocess.run([BIN, "xlsx", *args], capture_output=True, timeout=120)
    if check:
        assert p.returncode == 0, p.stderr.decode()
    return p


def render(v):
    """openpyxl's value as our CSV text; numbers stay numbers for a numeric comparison."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, datetime.datetime):
        return v.strftime("%Y-%m-%d") if v.time() == datetime.time(0) else v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, datetime.date):
        return v.isoformat()
    if isinstance(v, datetime.time):
        return v.strftime("%H:%M:%S")
    if isinstance(v, (int, float)):
        return v
    return str(v)


def trim(rows):
    rows = [list(r) for r in rows]
    for r in rows:
        while r and r[-1] == "":
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def expected_rows(path, sheet):
    ws = openpyxl.load_workbook(path, data_only=True)[sheet]
    return trim([[render(v) for v in row] for row in ws.iter_rows(min_row=1, min_col=1, values_only=True)])


def our_rows(path, sheet_index):
    out = liangbang("to-csv", path, "--sheet", str(sheet_index)).stdout.decode("utf-8")
    return trim(list(csv.reader(io.StringIO(out, newline=""))))


def assert_same(path):
    names = openpyxl.load_workbook(path, read_only=True).sheetnames
    for i, name in enumerate(names, start=1):
        exp, ours = expected_rows(path, name), our_rows(path, i)
        assert len(ours) == len(exp), (name, ours, exp)
        for r, (a, b) in enumerate(zip(ours, exp), start=1):
            assert len(a) == len(b), (name, r, a, b)
            for c, (x, y) in enumerate(zip(a, b), start=1):
                if isinstance(y, (int, float)):
                    assert math.isclose(float(x), float(y), rel_tol=1e-12, abs_tol=1e-300), (name, r, c, x, y)
                else:
                    assert x == y, (name, r, c, x, y)
    return names


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


def test_openpyxl_workbook_reads_like_openpyxl(tmp):
    path = str(tmp / "openpyxl.xlsx")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册（附件2）"
    ws.append(["2024年结对帮扶花名册"])
    ws.merge_cells("A1:F1")
    ws.append(["姓名", "身份证号", "出生日期", "成绩", "在读", "备注"])
    ws.append(["张三", "440982200708302011", datetime.date(2007, 8, 30), 95.5, True, '含"引号",逗号\n换行'])
    ws.append(["李四", 440982200708302011, datetime.datetime(2024, 3, 5, 8, 30, 15), -3, False, None])
    ws.append(["王五", 4.40982200708302e17, datetime.date(2024, 12, 31), 0.1, None, "  前后空格  "])
    ws.append([1e-7, 1e20, 123456789012345, 2 ** 53, None, "=不是公式"])
    ws["C5"].number_format = 'yyyy"年"m"月"d"日"'
    ws["C3"].number_format = "yyyy/m/d"
    ws["D4"].number_format = "0.00"
    ws.cell(row=9, column=8, value="稀疏")
    ws.cell(row=10, column=1, value=datetime.time(13, 45))
    ws.cell(row=10, column=1).number_format = "h:mm"
    ws.cell(row=11, column=2, value="=1+1")
    second = wb.create_sheet("第二页")
    second["B3"] = "只有一格"
    wb.save(path)
    assert assert_same(path) == ["花名册（附件2）", "第二页"]


def test_openpyxl_1904_workbook(tmp):
    path = str(tmp / "mac1904.xlsx")
    wb = openpyxl.Workbook()
    wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws = wb.active
    ws.append([datetime.date(2023, 3, 15), datetime.datetime(2000, 1, 1, 12, 0)])
    wb.save(path)
    assert_same(path)
    assert our_rows(path, 1) == [["2023-03-15", "2000-01-01 12:00:00"]]


@pytest.mark.parametrize("constant_memory", [False, True])
def test_xlsxwriter_workbook_reads_like_openpyxl(tmp, constant_memory):
    path = str(tmp / f"xw-{constant_memory}.xlsx")
    wb = xlsxwriter.Workbook(path, {"constant_memory": constant_memory})
    ws = wb.add_worksheet("活动记录")
    bold = wb.add_format({"bold": True})
    fmts = [wb.add_format({"num_format": f}) for f in ["yyyy-mm-dd", "yyyy/m/d", 'yyyy"年"m"月"d"日"', "m/d/yy h:mm", "hh:mm:ss"]]
    ws.merge_range("A1:E1", "标题（合并）", bold)
    ws.write_row(1, 0, ["日期", "人数", "类别", "公式", "完成"], bold)
    for i in range(2, 40):
        ws.write_datetime(i, 0, datetime.datetime(2024, 1, 1) + datetime.timedelta(days=i * 17, hours=(i % 3) * 6), fmts[i % 4])
        ws.write_number(i, 1, i * 1.25)
        ws.write_string(i, 2, ["学业辅导", "心理关爱", "a,b", 'q"q'][i % 4])
        ws.write_formula(i, 3, f"=B{i + 1}*2", None, i * 2.5)
        ws.write_boolean(i, 4, i % 2 == 0)
    ws.write_datetime(41, 0, datetime.datetime(1900, 1, 1, 7, 30), fmts[4])
    if not constant_memory:
        ws.write_rich_string(42, 0, "普通", bold, "加粗", "结尾")
    ws.write_string(44, 6, "远处")
    other = wb.add_worksheet("空白后")
    other.write(5, 3, 42)
    wb.close()
    assert assert_same(path) == ["活动记录", "空白后"]


def test_xlsxwriter_1904_and_info(tmp):
    path = str(tmp / "xw1904.xlsx")
    wb = xlsxwriter.Workbook(path, {"date_1904": True})
    ws = wb.add_worksheet("表一")
    ws.write_datetime(0, 0, datetime.datetime(2023, 3, 15), wb.add_format({"num_format": "yyyy-mm-dd"}))
    ws.merge_range("B2:C3", "合并")
    wb.close()
    assert_same(path)
    info = liangbang("info", path).stdout.decode()
    assert "表一\t2\t2\tno\tB2:C3" in info  # rows = last row holding a value


def test_refusals_exit_2_with_a_reason(tmp):
    pdf = tmp / "名单.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n%%EOF")
    p = liangbang("to-csv", str(pdf), check=False)
    assert p.returncode == 2 and "xlsx" in p.stderr.decode()
    xls = tmp / "old.xls"
    xls.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504)
    p = liangbang("info", str(xls), check=False)
    assert p.returncode == 2 and "另存为" in p.stderr.decode()
    assert liangbang("to-csv", check=False).returncode == 64


def test_from_csv_is_read_back_by_openpyxl(tmp):
    src = tmp / "in.csv"
    src.write_text("姓名,性别,身份证号,出生日期,成绩,备注\n"
                   "张三,男,440982200708302011,2007-08-30,95.5,\"a,b\"\n"
                   "李四,女,00123,2008-01-02,007,\"含\"\"引号\"\"\n换行\"\n", encoding="utf-8")
    out = str(tmp / "out.xlsx")
    liangbang("from-csv", str(src), "--out", out, "--text-columns", "3", "--header-rows", "1",
              "--title", "结对帮扶花名册", "--dropdown", "2=男/女", "--note", "C4=身份证号位数不对")
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    assert ws["A1"].value == "结对帮扶花名册"
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:F1"]
    assert ws.freeze_panes == "A3"
    assert [c.value for c in ws[2]] == ["姓名", "性别", "身份证号", "出生日期", "成绩", "备注"]
    assert ws["A2"].font.b
    assert [c.value for c in ws[3]] == ["张三", "男", "440982200708302011", datetime.datetime(2007, 8, 30), 95.5, "a,b"]
    assert ws["C3"].number_format == "@" and ws["C4"].value == "00123" and ws["C4"].number_format == "@"
    assert ws["D3"].is_date and ws["E4"].value == "007" and ws["F4"].value == '含"引号"\n换行'
    dv = ws.data_validations.dataValidation
    assert len(dv) == 1 and dv[0].type == "list" and dv[0].formula1 == '"男,女"' and "B3" in dv[0].sqref
    assert ws["C4"].comment is not None and ws["C4"].comment.text == "身份证号位数不对"
    assert ws["C4"].fill.fgColor.rgb.endswith("FFC7CE")
    # And our own reader agrees.
    assert our_rows(out, 1)[2] == ["张三", "男", "440982200708302011", "2007-08-30", "95.5", "a,b"]


def test_from_gbk_csv(tmp):
    src = tmp / "gbk.csv"
    src.write_bytes("姓名,学校\n张三,广州市第一中学\n".encode("gbk"))
    out = str(tmp / "gbk.xlsx")
    liangbang("from-csv", str(src), "--out", out)
    ws = openpyxl.load_workbook(out).active
    assert [[c.value for c in r] for r in ws.iter_rows()] == [["姓名", "学校"], ["张三", "广州市第一中学"]]
