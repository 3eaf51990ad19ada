"""Issue 14, PIPL from the shell on a fresh data directory with generated data: a volunteer teacher's deployment is
imported with a known ID number; `subject-access --id` finds it and writes the person's workbook (ID in full, for
the person); `--erase` anonymises it (the deployment stays, its name and number go); `retention` reports and then
anonymises the 2022 campaign, keeping its rows. Nothing printed names the ID number."""
import sqlite3

import openpyxl

from conftest import run_cli


def valid_id(first17: str) -> str:
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def test_subject_access_erase_and_retention(tmp_path):
    data = tmp_path / "data"
    assert run_cli(data, "migrate").returncode == 0
    p = run_cli(data, "demo-data", "--campaign", "2022", "--pupils", "50", "--weeks", "1", "--teams", "3", "--graduates", "5",
                "--health-visits", "2", "--disability-pairs", "3", "--camps", "1")
    assert p.returncode == 0, p.stderr.decode()
    person = valid_id("44188219990101123")
    sheet = tmp_path / "派驻.csv"
    sheet.write_text("志愿者姓名,性别,身份证号,项目类别,派出高校,服务学校,所在县（市、区）,任教学科,开始日期,结束日期\n"
                     f"林老师,男,{person},山区计划,,连州市东陂镇中心小学,连州市,数学,2022-09-01,2023-08-31\n", encoding="utf-8")
    p = run_cli(data, "deployments", "import", "--org", "连州市", "--campaign", "2022", str(sheet))
    assert p.returncode == 0, p.stdout.decode() + p.stderr.decode()

    out = tmp_path / "个人信息.xlsx"
    p = run_cli(data, "subject-access", "--id", person, "--out", str(out))
    printed = p.stdout.decode() + p.stderr.decode()
    assert p.returncode == 0, printed
    assert "希望乡村教师派驻：1条" in printed and person not in printed
    rows = [[c for c in r if c is not None] for r in openpyxl.load_workbook(out).active.iter_rows(values_only=True)]
    assert any("希望乡村教师派驻" in r and any(person in str(c) and "林老师" in str(c) for c in r) for r in rows), rows

    p = run_cli(data, "subject-access", "--id", person, "--out", str(tmp_path / "again.xlsx"), "--erase")
    assert p.returncode == 0 and "已匿名化 1 条记录" in p.stdout.decode(), p.stdout.decode() + p.stderr.decode()
    db = sqlite3.connect(data / "liangbang.sqlite")
    names = [r[0] for r in db.execute("SELECT volunteer_name FROM deployments")]
    assert "林老师" not in names and "（已删除）" in names
    p = run_cli(data, "subject-access", "--id", person, "--out", str(tmp_path / "none.xlsx"))
    assert "已导出 0 条记录" in p.stdout.decode()

    before = db.execute("SELECT COUNT(*), COUNT(DISTINCT id_hash) FROM health_checks").fetchone()
    p = run_cli(data, "retention", "--years", "1")
    assert p.returncode == 0 and "2022" in p.stdout.decode() and "--apply" in p.stdout.decode(), p.stdout.decode()
    assert db.execute("SELECT COUNT(*) FROM health_checks WHERE name = '（已删除）'").fetchone()[0] == 0
    p = run_cli(data, "retention", "--years", "1", "--apply")
    assert p.returncode == 0 and "已匿名化" in p.stdout.decode(), p.stdout.decode()
    assert db.execute("SELECT COUNT(*), COUNT(DISTINCT id_hash) FROM health_checks").fetchone() == before
    assert db.execute("SELECT COUNT(*) FROM health_checks WHERE name != '（已删除）'").fetchone()[0] == 0
    assert db.execute("SELECT COUNT(*) FROM pairings WHERE pupil_name != '（已删除）'").fetchone()[0] == 0
    p = run_cli(data, "retention", "--years", "1")
    assert "待匿名化记录 0 条" in p.stdout.decode() or "没有" in p.stdout.decode(), p.stdout.decode()
    audit = [r[0] for r in db.execute("SELECT detail FROM audit_events WHERE action IN ('sensitive.export', 'sensitive.erase')")]
    assert len(audit) >= 4 and not any(person in d for d in audit)
