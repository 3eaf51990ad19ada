"""axe-core in the browser tests (issue 11 §8, GB/T 37668 = WCAG 2.1 AA): `assert_accessible(driver, label)` runs
axe-core on the page the driver shows and fails on any violation of impact serious or critical, naming the page,
the rule, its impact and the first elements it found. Call it on every new page a browser test opens.

The engine is axe-core 4.x as PyPI's `axe-playwright-python` bundles it (`axe.min.js`; only that file is used, so
scripts/ensure-tools installs the package without Playwright). `axe-selenium-python` bundles axe-core 3.1 (2018),
which knows neither `scrollable-region-focusable` nor today's colour-contrast and ARIA rules; the one rule of 3.1 that
4.x dropped, `radiogroup` (same-named radio buttons in a named group), is checked here alongside."""
import functools
import json
import pathlib

BLOCKING = ("serious", "critical")

# Every rule axe-core runs by default (WCAG 2.0/2.1 A and AA, and its best practices: a best practice that axe
# calls serious is a barrier too); only the verdicts are asked for.
RUN_OPTIONS = {"resultTypes": ["violations"]}

# axe-core 3.1's `radiogroup`: radio buttons that share a name must sit in a <fieldset> with a <legend>, or in a
# role=radiogroup with a name, so that a screen reader says what the choice is about.
RADIOGROUP = """
const named = (el) => (el.getAttribute('aria-label') || '').trim() !== '' || !!el.getAttribute('aria-labelledby');
const grouped = (radio) => {
  const fieldset = radio.closest('fieldset');
  if (fieldset) { const legend = fieldset.querySelector(':scope > legend'); if (legend && legend.textContent.trim()) return true; }
  const group = radio.closest('[role=radiogroup]');
  return !!group && named(group);
};
const byName = new Map();
document.querySelectorAll('input[type=radio][name]').forEach((r) => {
  if (!r.getClientRects().length) return;
  const key = (r.form ? Array.from(document.forms).indexOf(r.form) : -1) + ' ' + r.name;
  byName.set(key, (byName.get(key) || []).concat([r]));
});
const nodes = [];
byName.forEach((radios) => {
  if (radios.length > 1) radios.filter((r) => !grouped(r)).forEach((r) =>
    nodes.push({target: ['input[type=radio][name="' + r.name + '"][value="' + r.value + '"]']}));
});
return nodes.length ? [{id: 'radiogroup', impact: 'critical', nodes: nodes,
  help: 'Radio inputs with the same name attribute value must be part of a named group (fieldset/legend or role=radiogroup)'}] : [];
"""


@functools.lru_cache(maxsize=1)
def axe_source() -> str:
    try:
        import axe_playwright_python
    except ImportError:
        raise AssertionError("axe-core is missing: run scripts/ensure-tools (installs axe-playwright-python)") from None
    return (pathlib.Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def violations(driver, impacts=BLOCKING) -> list:
    """axe-core's violations on the current page with one of `impacts`, as axe reports them (id, impact, help,
    nodes[].target …)."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(axe_source())
    # Forms folded in a closed <details> (添加一项活动, 添加用户 …) are checked too: opened for the run, closed after.
    found = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "const closed = Array.from(document.querySelectorAll('details:not([open])'));"
        "closed.forEach(d => d.open = true);"
        f"const radiogroup = () => {{ {RADIOGROUP} }};"
        f"axe.run(document, {json.dumps(RUN_OPTIONS)})"
        ".then(r => r.violations.concat(radiogroup()), e => ({error: String(e)}))"
        ".then(r => { closed.forEach(d => d.open = false); done(r); });")
    if isinstance(found, dict):
        raise AssertionError(f"axe-core failed on {driver.current_url}: {found.get('error')}")
    return [v for v in found if v.get("impact") in impacts]


def describe(where: str, found: list, targets: int = 3) -> str:
    """One line per rule: the page, the rule id and impact, what it asks for, and the first few elements."""
    lines = []
    for v in found:
        nodes = v.get("nodes", [])
        shown = ", ".join(" ".join(map(str, n.get("target", []))) for n in nodes[:targets])
        more = f" (+{len(nodes) - targets} more)" if len(nodes) > targets else ""
        lines.append(f"{where}: {v['id']} [{v['impact']}] {v.get('help', '')}: {shown}{more}")
    return "\n".join(lines)


def assert_accessible(driver, label: str = "") -> None:
    """No serious or critical axe-core violation on the page `driver` shows. `label` names the page in the failure
    (e.g. "roster, 390 px"); the URL is always given."""
    found = violations(driver)
    where = f"{label} {driver.current_url}".strip()
    assert not found, "accessibility (axe-core) violations:\n" + describe(where, found)
