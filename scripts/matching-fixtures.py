#!/usr/bin/env python3
"""Helper of scripts/bench-matching (智能结对, issue 15).

  counties  DB UNIVERSITY              the university's 附件1 counties from the seeded SQLite DB, as JSON [[name, code], …]
  generate  --seed K --pupils N --volunteers M --counties JSON --pupils-out P.xlsx --volunteers-out V.xlsx
                                       one synthetic instance (deterministic per seed)
  estimate  same options without the outputs: the number of candidate pairs, computed here (for tuning)
  check     --graph G.txt --result R.json --stderr S.txt --time T.txt --instance K --append LINES.jsonl
                                       solves G.txt with OR-Tools' min-cost flow, compares with our result, appends a JSON line
  summary   LINES.jsonl [--hyperfine H.json] [--json-out S.json]
                                       the table and the medians; exit 1 if any instance differs

Everything generated is made up: names are a common surname and two characters drawn from a list, ID numbers are
built from a county code, a birth date and a sequence with a valid ISO 7064 MOD 11-2 check character. No real person.
"""
import argparse
import datetime
import json
import random
import sqlite3
import statistics
import sys
import time

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK_CHARS = "10X98765432"

SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "道德与法治"]
# Subjects drawn uniformly; most pupils need one, most volunteers teach one or two (what keeps the graph sparse).
PUPIL_SUBJECT_WEIGHTS = [1] * 9
VOLUNTEER_SUBJECT_WEIGHTS = [1] * 9
DIALECTS = ["普通话", "粤语", "客家话", "潮汕话"]
DIALECT_WEIGHTS = [6, 2, 3, 1]
SLOTS = ["周一晚", "周三晚", "周五晚", "周六上午", "周六下午", "周日上午", "周日下午"]
HOT = "周六上午"
OTHER_SLOTS = [s for s in SLOTS if s != HOT]
# Tuned so that 5,000 pupils × 3,000 volunteers give ≈ 1,000,000–1,100,000 candidate pairs (a shared subject and a
# shared time slot): slot overlap ≈ 0.39 (mostly through 周六上午), subject overlap ≈ 0.18.
PUPIL_HOT = 0.52            # share of pupils who want 周六上午
VOLUNTEER_HOT = 0.52        # share of volunteers who offer it
PUPIL_SUBJECT_COUNTS = ([1, 2, 3], [88, 9, 3])
VOLUNTEER_SUBJECT_COUNTS = ([1, 2, 3, 4], [70, 18, 8, 4])
PUPIL_SLOT_COUNTS = ([1, 2, 3], [80, 15, 5])
VOLUNTEER_SLOT_COUNTS = ([1, 2, 3, 4], [62, 22, 10, 6])

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗梁宋郑谢韩唐冯许邓曾彭萧蔡潘田董袁叶钟"
GIVEN = "子涵欣怡梓轩浩宇雨桐思远嘉俊杰诗琪明晓彤志强丽娟文博佳慧海燕家豪敏婷国华雅琳天佑宏伟"
GRADES = ["一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三"]
SCHOOL_KINDS = ["第一小学", "第二小学", "实验小学", "中心小学", "第一中学", "第二中学", "城南中学"]
MAJORS = ["数学与应用数学", "汉语言文学", "英语", "物理学", "化学", "计算机科学与技术", "社会工作", "生物科学", "历史学",
          "地理科学", "思想政治教育", "小学教育"]
VOLUNTEER_COUNTIES = ["440104", "440106", "440203", "440204", "440303", "440604"]
ROSTER_DATE = datetime.date(2022, 6, 30)

PUPIL_COLUMNS = ["姓名", "性别", "身份证号", "年级", "在读学校", "所在县（市、区）", "需要辅导科目", "方言", "可辅导时间",
                 "上年度结对志愿者身份证号", "需要志愿者人数"]
VOLUNTEER_COLUMNS = ["姓名", "性别", "身份证号", "专业", "可辅导科目", "方言", "可辅导时间", "最多结对人数"]


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


class People:
    """Made-up people with distinct ID numbers."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seen = set()

    def name(self) -> str:
        return self.rng.choice(SURNAMES) + self.rng.choice(GIVEN) + self.rng.choice(GIVEN)

    def person(self, county: str, first: datetime.date, last: datetime.date):
        """(ID, 性别, birth date): the 17th digit's parity gives the sex."""
        span = (last - first).days
        while True:
            birth = first + datetime.timedelta(days=self.rng.randrange(span + 1))
            first17 = f"{county}{birth:%Y%m%d}{self.rng.randrange(1000):03d}"
            if first17 not in self.seen:
                self.seen.add(first17)
                return first17 + check_char(first17), ("男" if int(first17[16]) % 2 else "女"), birth


def pick(rng, words, weights, counts):
    n = rng.choices(counts[0], counts[1])[0]
    chosen = []
    while len(chosen) < n:
        w = rng.choices(words, weights)[0]
        if w not in chosen:
            chosen.append(w)
    return [w for w in words if w in chosen]


def slots(rng, hot_share, counts):
    n = rng.choices(counts[0], counts[1])[0]
    if rng.random() < hot_share:
        chosen = [HOT] + rng.sample(OTHER_SLOTS, n - 1)
    else:
        chosen = rng.sample(OTHER_SLOTS, n)
    return [s for s in SLOTS if s in chosen]


def generate(seed: int, pupils: int, volunteers: int, counties):
    """Two lists of rows (dicts keyed by column): the volunteers first, as some pupils name last year's volunteer."""
    rng = random.Random(seed)
    people = People(rng)
    vrows = []
    for _ in range(volunteers):
        vid, sex, _ = people.person(rng.choice(VOLUNTEER_COUNTIES), datetime.date(1999, 1, 1), datetime.date(2004, 6, 30))
        vrows.append({
            "姓名": people.name(), "性别": sex, "身份证号": vid, "专业": rng.choice(MAJORS),
            "可辅导科目": "、".join(pick(rng, SUBJECTS, VOLUNTEER_SUBJECT_WEIGHTS, VOLUNTEER_SUBJECT_COUNTS)),
            "方言": "、".join(pick(rng, DIALECTS, DIALECT_WEIGHTS, ([1, 2], [70, 30]))),
            "可辅导时间": "、".join(slots(rng, VOLUNTEER_HOT, VOLUNTEER_SLOT_COUNTS)),
            "最多结对人数": rng.choice([1, 2, 3]),
        })
    prows = []
    for _ in range(pupils):
        county_name, code = rng.choice(counties)
        pid, sex, birth = people.person(code, datetime.date(2008, 7, 1), datetime.date(2015, 12, 31))
        age = ROSTER_DATE.year - birth.year - ((ROSTER_DATE.month, ROSTER_DATE.day) < (birth.month, birth.day))
        grade = GRADES[max(0, min(len(GRADES) - 1, age - 6))]
        school = county_name + rng.choice(SCHOOL_KINDS[:4] if "年级" in grade else SCHOOL_KINDS[4:])
        prows.append({
            "姓名": people.name(), "性别": sex, "身份证号": pid, "年级": grade, "在读学校": school, "所在县（市、区）": county_name,
            "需要辅导科目": "、".join(pick(rng, SUBJECTS, PUPIL_SUBJECT_WEIGHTS, PUPIL_SUBJECT_COUNTS)),
            "方言": "、".join(pick(rng, DIALECTS, DIALECT_WEIGHTS, ([1, 2], [80, 20]))),
            "可辅导时间": "、".join(slots(rng, PUPIL_HOT, PUPIL_SLOT_COUNTS)),
            "上年度结对志愿者身份证号": rng.choice(vrows)["身份证号"] if rng.random() < 0.10 else "",
            "需要志愿者人数": 2 if rng.random() < 0.03 else "",
        })
    return prows, vrows


def write_xlsx(path, columns, rows, text_columns):
    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("Sheet1")
    for c, title in enumerate(columns):
        ws.write_string(0, c, title)
    for r, row in enumerate(rows, start=1):
        for c, title in enumerate(columns):
            v = row[title]
            if v == "":
                continue
            if title in text_columns or isinstance(v, str):
                ws.write_string(r, c, str(v))
            else:
                ws.write_number(r, c, v)
    wb.close()


def bits(words, vocabulary):
    out = 0
    for w in words.split("、"):
        out |= 1 << vocabulary.index(w)
    return out


def candidate_pairs(prows, vrows):
    import numpy as np
    ps = np.array([bits(r["需要辅导科目"], SUBJECTS) for r in prows], dtype=np.int64)
    pt = np.array([bits(r["可辅导时间"], SLOTS) for r in prows], dtype=np.int64)
    vs = np.array([bits(r["可辅导科目"], SUBJECTS) for r in vrows], dtype=np.int64)
    vt = np.array([bits(r["可辅导时间"], SLOTS) for r in vrows], dtype=np.int64)
    return int((((ps[:, None] & vs[None, :]) != 0) & ((pt[:, None] & vt[None, :]) != 0)).sum())


def cmd_counties(args):
    db = sqlite3.connect(args.db)
    rows = db.execute("""
        SELECT DISTINCT c.name, c.code FROM tutoring_assignments a
        JOIN organizations u ON u.id = a.university_id
        JOIN organizations c ON c.id = a.county_id
        WHERE u.name = ? ORDER BY c.code""", (args.university,)).fetchall()
    if not rows:
        sys.exit(f"no 附件1 counties for {args.university}")
    # A county name that is not unique in the province is written with its city (“韶关市乐昌市”).
    out = []
    for name, code in rows:
        same = db.execute("SELECT COUNT(*) FROM organizations WHERE name = ? AND kind = 'county'", (name,)).fetchone()[0]
        if same > 1:
            city = db.execute("""SELECT p.name FROM organizations c JOIN organizations p ON p.id = c.parent_id
                                 WHERE c.code = ? AND c.kind = 'county'""", (code,)).fetchone()[0]
            name = city + name
        out.append([name, code])
    print(json.dumps(out, ensure_ascii=False))


def cmd_generate(args):
    counties = json.loads(args.counties)
    prows, vrows = generate(args.seed, args.pupils, args.volunteers, counties)
    if args.estimate:
        print(candidate_pairs(prows, vrows))
        return
    write_xlsx(args.pupils_out, PUPIL_COLUMNS, prows, {"身份证号", "上年度结对志愿者身份证号"})
    write_xlsx(args.volunteers_out, VOLUNTEER_COLUMNS, vrows, {"身份证号"})


def cmd_check(args):
    import numpy as np
    from ortools.graph.python import min_cost_flow

    ours = json.load(open(args.result))
    stderr = open(args.stderr, encoding="utf-8", errors="replace").read()
    engine = phases = None
    for tok in stderr.split():
        if tok.startswith("matching_seconds="):
            engine = float(tok.split("=", 1)[1])
        elif tok.startswith("phases="):
            phases = int(tok.split("=", 1)[1])
    wall, rss_kb = open(args.time).read().split()[-2:]

    t0 = time.perf_counter()
    a = np.array(open(args.graph, "rb").read().split(), dtype=np.int64)
    t1 = time.perf_counter()
    nl, nr, ne = int(a[0]), int(a[1]), int(a[2])
    demand = a[3:3 + nl]
    capacity = a[3 + nl:3 + nl + nr]
    edges = a[3 + nl + nr:].reshape(ne, 3)
    assert edges.shape[0] == ne
    left, right, value = edges[:, 0], edges[:, 1], edges[:, 2]
    max_value = int(value.max()) if ne else 0
    source, sink = nl + nr, nl + nr + 1
    tails = np.concatenate([np.full(nl, source, dtype=np.int64), left, nl + np.arange(nr, dtype=np.int64)])
    heads = np.concatenate([np.arange(nl, dtype=np.int64), nl + right, np.full(nr, sink, dtype=np.int64)])
    caps = np.concatenate([demand, np.ones(ne, dtype=np.int64), capacity])
    costs = np.concatenate([np.zeros(nl, dtype=np.int64), max_value - value, np.zeros(nr, dtype=np.int64)])
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    total = int(demand.sum())
    smcf.set_node_supply(source, total)
    smcf.set_node_supply(sink, -total)
    t2 = time.perf_counter()
    status = smcf.solve_max_flow_with_min_cost()
    t3 = time.perf_counter()
    if status != smcf.OPTIMAL:
        sys.exit(f"instance {args.instance}: OR-Tools status {status}")
    flow = smcf.maximum_flow()
    objective = flow * max_value - smcf.optimal_cost()
    line = {
        "instance": args.instance, "pupils": nl, "volunteers": nr, "candidatePairs": ours["candidatePairs"], "edges": ne,
        "matched": ours["matched"], "objective": ours["objective"], "continuing": ours["continuing"],
        "cli_seconds": float(wall), "rss_kb": int(rss_kb), "engine_seconds": engine, "phases": phases,
        "load_seconds": t1 - t0, "build_seconds": t2 - t1, "solve_seconds": t3 - t2,
        "ortools_flow": flow, "ortools_objective": objective,
        "same": flow == ours["matched"] and objective == ours["objective"],
    }
    with open(args.append, "a") as f:
        f.write(json.dumps(line) + "\n")
    print(f"instance {args.instance}: {line['candidatePairs']} candidate pairs, matched {line['matched']}, objective {line['objective']} "
          f"(OR-Tools {flow}, {objective}: {'same' if line['same'] else 'DIFFERENT'}), CLI {line['cli_seconds']:.2f} s "
          f"{line['rss_kb'] / 1024:.0f} MB, ours {engine:.3f} s phases {phases}, OR-Tools build {t2 - t1:.3f} s + solve {t3 - t2:.3f} s")


def cmd_summary(args):
    lines = [json.loads(l) for l in open(args.lines) if l.strip()]
    print(f"{'#':>3} {'pairs':>8} {'matched':>7} {'objective':>12} {'OR-Tools obj':>12} {'same':>4} {'CLI s':>6} "
          f"{'RSS MB':>6} {'ours s':>6} {'phases':>6} {'OR build':>8} {'OR solve':>8} {'ours/OR':>7}")
    for l in lines:
        ort = l["build_seconds"] + l["solve_seconds"]
        print(f"{l['instance']:>3} {l['candidatePairs']:>8} {l['matched']:>7} {l['objective']:>12} {l['ortools_objective']:>12} "
              f"{'yes' if l['same'] else 'NO':>4} {l['cli_seconds']:>6.2f} {l['rss_kb'] / 1024:>6.0f} {l['engine_seconds']:>6.3f} "
              f"{l['phases']:>6} {l['build_seconds']:>8.3f} {l['solve_seconds']:>8.3f} {l['engine_seconds'] / ort:>7.2f}")
    med = lambda k: statistics.median(l[k] for l in lines)
    ort = statistics.median(l["build_seconds"] + l["solve_seconds"] for l in lines)
    cli, engine = med("cli_seconds"), med("engine_seconds")
    rss = max(l["rss_kb"] for l in lines) / 1024
    same = sum(l["same"] for l in lines)
    ok = lambda b: "met" if b else "MISSED"
    summary = {
        "instances": len(lines), "identical_objectives": same,
        "median_candidate_pairs": med("candidatePairs"), "median_matched": med("matched"),
        "median_cli_seconds": cli, "median_engine_seconds": engine, "median_phases": med("phases"),
        "median_ortools_build_seconds": med("build_seconds"), "median_ortools_solve_seconds": med("solve_seconds"),
        "median_ortools_build_solve_seconds": ort, "median_ortools_load_seconds": med("load_seconds"),
        "ratio_engine_over_ortools": engine / ort, "ratio_cli_over_ortools": cli / ort, "max_rss_mb": rss,
    }
    print()
    print(f"instances: {len(lines)}; identical objective and count: {same}/{len(lines)} ({ok(same == len(lines))})")
    print(f"medians: candidate pairs {summary['median_candidate_pairs']:.0f}, matched {summary['median_matched']:.0f}, "
          f"phases {summary['median_phases']:.0f}")
    print(f"medians: CLI wall {cli:.3f} s, our engine (matching_seconds) {engine:.3f} s, "
          f"OR-Tools build {summary['median_ortools_build_seconds']:.3f} s + solve {summary['median_ortools_solve_seconds']:.3f} s "
          f"= {ort:.3f} s (file load, not counted: {summary['median_ortools_load_seconds']:.3f} s)")
    print(f"ratio ours(engine) / OR-Tools(build+solve) = {engine / ort:.2f} (goal <= 1) {ok(engine <= ort)}")
    print(f"ratio ours(whole CLI) / OR-Tools(build+solve) = {cli / ort:.2f}")
    print(f"whole CLI median {cli:.2f} s (goal <= 5 s) {ok(cli <= 5)}; max peak RSS {rss:.0f} MB (goal <= 500 MB) {ok(rss <= 500)}")
    if args.hyperfine:
        h = json.load(open(args.hyperfine))["results"][0]
        summary["hyperfine_cli_mean_seconds"] = h["mean"]
        print(f"hyperfine, instance 1, whole CLI without --graph-out ({len(h['times'])} runs): mean {h['mean']:.3f} s "
              f"± {h['stddev']:.3f} (min {h['min']:.3f}, max {h['max']:.3f})")
    if args.json_out:
        json.dump(summary, open(args.json_out, "w"), indent=1)
    if same != len(lines):
        bad = [l["instance"] for l in lines if not l["same"]]
        print(f"DIFFERENT from OR-Tools on instances {bad}", file=sys.stderr)
        sys.exit(1)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("counties")
    p.add_argument("db")
    p.add_argument("university")
    p.set_defaults(func=cmd_counties)
    for name, estimate in (("generate", False), ("estimate", True)):
        p = sub.add_parser(name)
        p.add_argument("--seed", type=int, required=True)
        p.add_argument("--pupils", type=int, default=5000)
        p.add_argument("--volunteers", type=int, default=3000)
        p.add_argument("--counties", required=True, help='JSON [[name, code], …]')
        if not estimate:
            p.add_argument("--pupils-out", required=True)
            p.add_argument("--volunteers-out", required=True)
        p.set_defaults(func=cmd_generate, estimate=estimate)
    p = sub.add_parser("check")
    for o in ("--graph", "--result", "--stderr", "--time"):
        p.add_argument(o, required=True)
    p.add_argument("--instance", type=int, required=True)
    p.add_argument("--append", required=True, help="the JSON lines file to append this instance's figures to")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("summary")
    p.add_argument("lines")
    p.add_argument("--json-out")
    p.add_argument("--hyperfine", help="hyperfine's --export-json of the whole CLI run")
    p.set_defaults(func=cmd_summary)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
