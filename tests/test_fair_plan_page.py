"""The plan page: a summary people read, a filter, the grid, outcomes and notes recorded in place."""

from matcher.fair.summary import summary
from tests.browser import sign_in
from tests.conftest import DATA, engine_of


def _plan(page, live_server, keys, app, lang="en"):
    engine_of(app).import_file(DATA / "requests.jsonl", "request")
    sign_in(page, live_server, keys["team"], lang)
    page.set_input_files("#fair-file", str(DATA / "fair" / "batna-constantine-2027.yaml"))
    page.click("#fair-form button")
    page.wait_for_selector("#meetings", timeout=60_000)


def test_filter_grid_and_outcomes_in_place(page, live_server, keys, app):
    _plan(page, live_server, keys, app)
    total = page.locator("#meetings tbody tr").count()
    assert page.locator("#shown-count").inner_text() == f"{total} of {total} meetings shown"
    cells = page.locator("#grid tbody td a")
    assert cells.count() == total  # every meeting has its cell in the time x table grid
    page.select_option("#filter-supplier", "BAT-002")
    page.click("#apply-filter")
    rows = page.locator("#meetings tbody tr")
    assert 0 < rows.count() < total
    suppliers = set(page.locator("#meetings tbody tr td:nth-child(5)").all_inner_texts())
    assert len(suppliers) == 1 and page.locator("#grid tbody td a").count() == rows.count()
    name = suppliers.pop()
    assert all(text.startswith(name + " ↔ ") for text in page.locator("#grid tbody td a").all_inner_texts())
    first = rows.first
    meeting = first.get_attribute("data-meeting")
    page.evaluate("window.notReloaded = true")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    first.locator("button").click()  # no outcome chosen: said in the row
    assert first.locator(".status").inner_text() == "Choose an outcome first."
    first.locator("select").select_option("cooperation_possible")
    first.locator("input[name=note]").fill("samples in May")
    first.locator("button").click()
    page.wait_for_selector(f"#meetings tr[data-meeting={meeting}] .status.met")
    assert page.evaluate("window.notReloaded") is True  # recorded in place: no reload, no jump to the top
    stored = engine_of(app).store.outcomes(page.url.split("/team/fairs/")[1].split("?")[0])[meeting]
    assert (stored.outcome, stored.note) == ("cooperation_possible", "samples in May")
    page.reload()
    row = page.locator(f"#meetings tr[data-meeting={meeting}]")
    assert row.locator("select").input_value() == "cooperation_possible"
    assert row.locator("input[name=note]").input_value() == "samples in May"
    width = row.locator("select").evaluate("s => s.scrollWidth <= s.clientWidth + 1")
    assert width  # the options are not cut off


def test_the_solver_summary_is_a_sentence_in_the_page_language(page, live_server, keys, app):
    _plan(page, live_server, keys, app, "fr")
    solver = page.locator("#fair-solver")
    assert solver.locator("p").first.inner_text().startswith("Meilleur plan possible : optimalité prouvée")
    assert "CP-SAT" not in solver.locator("p").first.inner_text()
    solver.locator("summary").click()
    figures = solver.locator("table").inner_text()
    assert "Borne supérieure du score de tout planning valide" in figures


def _report(**kw):
    base = {"status": "feasible", "objective": 97.0, "bound": 100.0, "gap": 0.0291, "seconds": 20.0, "value": 97.0,
            "shortfall": 0, "shortfall_penalty": 0.5, "pairs": 120, "time_limit": 60.0, "returned": "optimised",
            "stopped": "work limit", "solver": "OR-Tools", "greedy": {"objective": 90.0}}
    return {**base, **kw}


def test_summaries_claim_only_what_the_report_proves():
    assert summary(_report(status="optimal", gap=0.0), "en")["sentences"] == [
        "Best possible plan: proven optimal (found in 20 s)."]
    assert summary(_report(), "en")["sentences"] == [
        "Good plan found in 20 s; it is at most 3% below the best possible."]  # 2.91% rounded up
    low = summary(_report(objective=-2.0, bound=0.5, gap=2.5, shortfall=5, stopped="time limit",
                          returned="greedy"), "en")["sentences"]
    assert low == ["Plan found in 20 s, not proven the best: its score is -2, and no valid timetable of this fair "
                   "can score more than 0.5.",
                   "The simple first-come plan scored higher than the optimised one, so it is the plan kept.",
                   "5 meeting(s) are missing to reach every minimum target.",
                   "The search stopped at its time limit: planning again may give a different plan."]
    assert summary(_report(), "ar")["sentences"][0].startswith("وُجدت خطة جيدة في 20 ث")
    labels = dict(summary(_report(), "en")["figures"])
    assert labels["Upper bound on the score of every valid timetable (120 pairs that may meet)"] == "100"
