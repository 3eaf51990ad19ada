#!/usr/bin/env python3
"""Generates spreadsheet fixtures with real tools (openpyxl, xlsxwriter) for the round-trip tests and the benchmark."""
import datetime
import random
import sys

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃钱严赖覃洪武莫孔"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志强俊辉思雨梓涵子轩浩然欣怡雨萱"
CITIES = ["广州", "深圳", "珠海", "汕头", "佛山", "韶关", "湛江", "肇庆", "江门", "茂名", "惠州", "梅州", "汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮"]
CATEGORIES = ["学业辅导", "心理关爱", "生活帮扶", "兴趣培养", "安全教育"]


def roster_rows(n, seed=3):
    """n roster-like rows of 10 columns: name, sex, 18-char ID, school, class, birth date, score, phone, category, note."""
    rnd = random.Random(seed)
    for i in range(n):
        name = rnd.choice(SURNAMES) + "".join(rnd.choice(GIVEN) for _ in range(rnd.randint(1, 2)))
        birth = datetime.date(2006, 1, 1) + datetime.timedelta(days=rnd.randint(0, 3650))
        check = rnd.choice("0123456789X")
        ident = f"44{rnd.randint(1000, 9999)}{birth:%Y%m%d}{rnd.randint(100, 999)}{check}"
        city = rnd.choice(CITIES)
        school = f"{city}市第{rnd.randint(1, 30)}中学"
        yield [name, rnd.choice("男女"), ident, school, f"{rnd.randint(1, 9)}年级{rnd.randint(1, 12)}班",
               birth, round(rnd.uniform(40, 100), 1), f"13{rnd.randint(100000000, 999999999)}",
               rnd.choice(CATEGORIES), f"第{i + 1}条"]


HEADER = ["姓名", "性别", "身份证号", "学校", "班级", "出生日期", "成绩", "联系电话", "帮扶类别", "备注"]


def write_roster_xlsxwriter(path, n, constant_memory=True):
    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"constant_memory": constant_memory})
    ws = wb.add_worksheet("花名册")
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADER)
    for r, row in enumerate(roster_rows(n), start=1):
        for c, v in enumerate(row):
            if isinstance(v, datetime.date):
                ws.write_datetime(r, c, datetime.datetime(v.year, v.month, v.day), date_fmt)
            elif isinstance(v, (int, float)):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()


def write_roster_csv(path, n):
    import csv
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        for row in roster_rows(n):
            w.writerow([v.isoformat() if isinstance(v, datetime.date) else v for v in row])


if __name__ == "__main__":
    kind, path, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    {"xlsx": write_roster_xlsxwriter, "csv": write_roster_csv}[kind](path, n)
