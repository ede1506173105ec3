"""An automated WCAG 2.1 AA check of a page in the browser tests, with axe-core.

`assert_accessible(page)` runs axe-core (vendored beside this module) on the page that is
open and fails on any serious or critical violation, naming the rule, its help and the
elements at fault. The script is run through the browser's debugging protocol, so the
pages' Content-Security-Policy (no inline script) needs no exception.
"""

from pathlib import Path

AXE_VERSION = "4.14.1"
AXE_SOURCE = Path(__file__).with_name("axe-core") / "axe.min.js"
# The rules of WCAG 2.0 and 2.1, levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("serious", "critical")

_RUN = """async (tags) => {
  const result = await window.axe.run(document, {
    runOnly: {type: "tag", values: tags},
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    summary: v.nodes.length ? v.nodes[0].failureSummary : "",
  }));
}"""


def axe_violations(page, impacts: tuple[str, ...] = FAILING_IMPACTS) -> list[dict]:
    """The WCAG 2.1 AA violations of the open page with one of `impacts`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE.read_text(encoding="utf-8") + "\n;undefined")
    assert page.evaluate("window.axe.version") == AXE_VERSION
    return [v for v in page.evaluate(_RUN, WCAG_AA) if v["impact"] in impacts]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['targets'])}\n  {v['summary']}"
        for v in violations
    )


def assert_accessible(page) -> None:
    """Fail on any serious or critical WCAG 2.1 AA violation of the open page."""
    violations = axe_violations(page)
    assert not violations, f"{page.url}:\n{describe(violations)}"
