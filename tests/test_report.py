"""The review page: content, escaping, CSP and a real headless-browser render."""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from claims import report
from claims.report import GAP, excerpt, highlight, shown_tables, write_report
from claims.schema import TABLES
from claims.writers import read_tables
from tests.conftest import PROJECT_ROOT
from tests.test_claims_tables import occurrence, tables_for

FATIGUE = "HP:0012378"
INJECTION = '<script>document.body.dataset.pwned="1";window.__pwned=1</script><img src=x onerror="document.body.dataset.pwned=2">'


def stated(doc_id: str, low: float, sentence: str, figure: str, sentence_start: int = 100, **kwargs) -> dict:
    """An occurrence of "Fatigue ... multiple sclerosis" whose mention ids carry real document offsets."""
    row = occurrence(doc_id, FATIGUE, low, low, sentence=sentence, **kwargs)
    row["sentence_start"] = sentence_start
    for column, text, tag in (("symptom_mention_id", "Fatigue", "S"), ("condition_mention_id", "multiple sclerosis", "C"),
                              ("statistic_mention_id", figure, "N")):
        at = sentence.index(text) + sentence_start
        row[column] = f"{doc_id}@{at}-{at + len(text)}:{tag}"
    return row


SENTENCE_A = "Fatigue affects about 80 percent of people with multiple sclerosis."
SENTENCE_B = "Only 30% of people with multiple sclerosis report Fatigue as a problem."


def conflict_tables(sentence_b: str = SENTENCE_B) -> dict[str, pd.DataFrame]:
    tables = tables_for({
        "a": [stated("a", 0.8, SENTENCE_A, "about 80 percent", qualifier="about")],
        "b": [stated("b", 0.3, sentence_b, "30%", sentence_start=7)],
    })
    assert list(tables["conflicts"]["kind"]) == ["numeric"]
    return tables


class Tags(HTMLParser):
    """Every start tag with its attributes, and the text inside each <mark>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.marks: list[tuple[str, str]] = []
        self._mark: list[str] | None = None
        self._mark_class = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "mark":
            self._mark, self._mark_class = [], dict(attrs).get("class", "")

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append((self._mark_class, "".join(self._mark)))
            self._mark = None

    def handle_data(self, data):
        if self._mark is not None:
            self._mark.append(data)


def parse(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    return tags


def test_highlight_segments_use_sentence_relative_offsets():
    sentence = "Fatigue affects about 80 percent of people."
    segments = highlight(sentence, 50, [(66, 82, "figure"), (50, 57, "symptom"), (60, 70, "condition"), (10, 20, "symptom")])
    assert segments == [("Fatigue", "symptom"), (" affects ", ""), ("about 80 percent", "figure"), (" of people.", "")]
    assert "".join(text for text, _ in segments) == sentence


# A GARD phenotype table as MedQuAD gives it: one "sentence" of rows, the claim's two marks in the middle
TABLE_ROWS = " ".join(f"Feature number {n} 90%" for n in range(40))
TABLE = f"Signs and Symptoms Approximate number of patients {TABLE_ROWS} Fatigue 50% {TABLE_ROWS} The Human Phenotype Ontology (HPO) has collected information."


def test_a_long_sentence_is_shown_around_its_marks_cut_at_spaces():
    at = TABLE.index("Fatigue 50%")
    segments = highlight(TABLE, 0, [(at + 8, at + 11, "figure"), (at, at + 7, "symptom")])
    shown = excerpt(segments)
    assert [css for _, css in shown] == [GAP, "", "symptom", "", "figure", "", GAP]
    assert ("Fatigue", "symptom") in shown and ("50%", "figure") in shown
    before, after = shown[1][0], shown[5][0]
    assert TABLE[:at].endswith(before) and TABLE[at + 11:].startswith(after)
    for kept in (before, after):  # whole words only, a space towards the gap
        assert 100 < len(kept) <= report.EXCERPT_CONTEXT and set(kept.split()) <= set(TABLE_ROWS.split())
    assert before.startswith(" ") and after.endswith(" ")


def test_marks_far_apart_keep_the_words_near_each_and_leave_out_the_middle():
    sentence = f"Fatigue is common: {TABLE_ROWS} in multiple sclerosis."
    far = sentence.index("multiple sclerosis")
    shown = excerpt(highlight(sentence, 0, [(0, 7, "symptom"), (far, far + 18, "condition")]))
    assert [css for _, css in shown] == ["symptom", "", GAP, "", "condition", ""]
    assert shown[1][0].startswith(" is common: Feature") and shown[3][0].endswith("90% in ") and shown[5][0] == "."


@pytest.mark.parametrize("sentence, spans", [
    (SENTENCE_A, [(0, 7, "symptom")]),  # short: shown whole
    (TABLE, []),  # nothing marked to centre on
])
def test_a_short_or_unmarked_sentence_has_no_excerpt(sentence, spans):
    assert excerpt(highlight(sentence, 0, spans)) is None


def test_rows_apart_by_tabs_or_line_ends_are_cut_between_rows():
    rows = "\t".join(f"Feature{n}\t90%" for n in range(60))  # no space anywhere
    sentence = f"{rows}\tFatigue 50%\n{rows}"
    at = sentence.index("Fatigue")
    shown = excerpt(highlight(sentence, 0, [(at, at + 7, "symptom")]))
    before, after = shown[1][0], shown[3][0]
    assert before[0].isspace() and set(before.split()) <= set(rows.split()) and set(after.split()) <= set(rows.split()) | {"50%"}


def test_a_stretch_without_a_space_is_cut_at_the_character():
    shown = excerpt(highlight("Fatigue " + "x" * 600, 0, [(0, 7, "symptom")]))
    assert shown == [("Fatigue", "symptom"), (" " + "x" * (report.EXCERPT_CONTEXT - 1), ""), ("…", GAP)]


def test_the_page_shows_a_tables_excerpt_and_the_whole_sentence_one_click_away(tmp_path):
    table = f"{TABLE_ROWS} Only 30% of people with multiple sclerosis report Fatigue as a problem. {TABLE_ROWS}"
    html = write_report(conflict_tables(sentence_b=table), tmp_path).read_text(encoding="utf-8")
    assert html.count('<details class="whole">') == 1  # the short sentence of the other side is shown whole
    before, whole = html.split('<details class="whole">')
    shown = before[before.rindex('<blockquote class="sentence">'):]
    assert shown.count('<span class="gap"') == 2 and '<mark class="figure">30%</mark>' in shown and TABLE_ROWS not in shown
    whole = whole.split("</details>")[0]
    assert f"whole sentence ({len(table):,} characters)" in whole and TABLE_ROWS in whole and '<mark class="figure">30%</mark>' in whole
    assert '<mark class="figure">about 80 percent</mark> of people with' in html


def test_report_shows_the_conflict_both_sentences_and_the_marked_figures(tmp_path):
    tables = conflict_tables()
    path = write_report(tables, tmp_path)
    assert path == tmp_path / "report.html"
    html = path.read_text(encoding="utf-8")
    tags = parse(html)
    conflict = tables["conflicts"].iloc[0]

    articles = [a for t, a in tags.tags if t == "article"]
    assert [(a["id"], a["data-kind"], a["data-status"]) for a in articles] == [(f"conflict-{conflict['conflict_id']}", "numeric", "open")]
    assert "hidden" not in articles[0]["class"]  # with JS off everything shows
    assert ("form", {"id": "filters", "hidden": None}) in tags.tags
    assert ("figure", "about 80 percent") in tags.marks and ("figure", "30%") in tags.marks
    assert ("symptom", "Fatigue") in tags.marks and ("condition", "multiple sclerosis") in tags.marks
    assert '<mark class="figure">about 80 percent</mark>' in html and '<mark class="figure">30%</mark>' in html
    assert "Fatigue</mark> affects " in html and "Only <mark class=\"figure\">30%</mark> of people with" in html
    assert conflict["reason"] in html
    assert f"symptom-claims decide {conflict['conflict_id']} --status dismissed --note &#34;...&#34; --output {tmp_path}" in html
    assert "Claims (2)" in html and "Rejected inputs (0)" in html

    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'" and directives["img-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'"
    assert "unsafe" not in csp
    for element, directive in (("script", "script-src"), ("style", "style-src")):
        blocks = re.findall(rf"<{element}>(.*?)</{element}>", html, re.S)
        assert len(blocks) == 1
        digest = base64.b64encode(hashlib.sha256(blocks[0].encode("utf-8")).digest()).decode()
        assert directives[directive] == f"'sha256-{digest}'"
    assert not re.search(r"https?://", html), "the page must not reference the network"
    assert not any("style" in attrs or any(k.startswith("on") for k in attrs) for _, attrs in tags.tags)


def test_report_is_deterministic_and_written_atomically(tmp_path):
    first = write_report(conflict_tables(), tmp_path / "one").read_bytes()
    second = write_report(conflict_tables(), tmp_path / "one").read_bytes()
    assert first == second
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["report.html"]


def test_the_claims_rows_are_made_anew_on_each_pass(tmp_path):
    """The page's claims rows are made as it is written; the context can still be read twice."""
    tables = conflict_tables()
    rows = report.build_context(tables, tmp_path)["claims"]
    assert list(rows) == list(rows) and [row.claim_id for row in rows] == tables["claims"]["claim_id"].tolist()


def test_the_shown_rows_make_the_same_report_as_all_rows(tmp_path):
    """The flow hands only shown_tables() to the process that renders the report."""
    tables = conflict_tables()
    extra = tables_for({"doc3": [occurrence("doc3", "HP:0002315", 0.5, 0.5, sentence="Headache in half.")]})
    tables = {name: pd.concat([frame, extra[name]], ignore_index=True) for name, frame in tables.items()}  # evidence no conflict shows
    shown = shown_tables(tables)
    assert len(shown["evidence"]) < len(tables["evidence"]) and len(shown["claims"]) == len(tables["claims"])
    assert write_report(shown, tmp_path).read_bytes() == write_report(tables, tmp_path).read_bytes()
    assert shown_tables(shown).keys() == shown.keys() and all(shown_tables(shown)[n].equals(shown[n]) for n in shown)


def test_the_tables_handed_over_as_files_make_the_same_report(tmp_path):
    """A large run hands the side process the shown rows as Parquet files, not pickled frames:
    every dtype comes back, so the page is byte-identical to the one from the frames in memory."""
    tables = conflict_tables()
    extra = tables_for({"doc3": [occurrence("doc3", "HP:0002315", 0.5, None, sentence="Headache in half.")]})
    tables = {name: pd.concat([frame, extra[name]], ignore_index=True) for name, frame in tables.items()}
    figures = tables["evidence"].set_index("doc_id")["statistic_mention_id"]
    tables["mentions"] = pd.DataFrame([  # a value no shorter repr gives back exactly, a missing boolean
        {"doc_id": doc, "mention_id": figures[doc], "start": int(figures[doc].split("@")[1].split("-")[0]),
         "end": int(figures[doc].split("-")[1].split(":")[0]), "text": figure, "label": "STATISTIC", "kind": "proportion",
         "value_low": low, "negated": negated}
        for doc, figure, low, negated in (("a", "about 80 percent", 0.41666666666666663, None), ("b", "30%", 0.3, False))])
    folder = report.hand_over(tables, tmp_path / "handed")
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{table.name}.parquet" for table in TABLES)
    again = report.hand_over(tables, tmp_path / "handed")  # a retried writing: an earlier attempt's rendering may still read the first
    assert again != folder and sorted(p.name for p in again.iterdir()) == sorted(p.name for p in folder.iterdir())
    with pytest.raises(ValueError, match="no such table format"):
        read_tables(folder, "xlsx")
    read = read_tables(folder, "parquet")
    shown = shown_tables(tables)
    assert len(shown["mentions"]) == 2 and len(shown["evidence"]) == 2 < len(tables["evidence"])
    for name, frame in shown.items():
        assert read[name].dtypes.to_dict() == frame.dtypes.to_dict() and read[name].equals(frame), name
    (tmp_path / "out").mkdir()
    from_files = report.stage_report_from(folder, tmp_path / "out").read_bytes()  # (the next staging sweeps its temporary)
    assert from_files == report.stage_report(tables, tmp_path / "out").read_bytes()


def test_past_its_limit_the_page_shows_the_sentences_of_the_first_conflicts_only(tmp_path, monkeypatch):
    """Every conflict is listed; the sentences are those of the open conflicts of highest
    severity, and only their rows are handed to the rendering process."""
    monkeypatch.setattr(report, "CONFLICTS_WITH_SENTENCES", 1)
    tables = conflict_tables()
    headache = tables_for({"doc3": [occurrence("doc3", "HP:0002315", 0.9, 0.9, sentence="Headache in nine of ten.")],
                           "doc4": [occurrence("doc4", "HP:0002315", 0.1, 0.1, sentence="Headache in one of ten.")]})
    tables = {name: pd.concat([frame, headache[name]], ignore_index=True) for name, frame in tables.items()}
    conflicts = tables["conflicts"].sort_values("severity", ascending=False)
    assert len(conflicts) == 2 and conflicts["severity"].iloc[0] > conflicts["severity"].iloc[1]
    first, second = conflicts["conflict_id"]
    html = write_report(tables, tmp_path).read_text(encoding="utf-8")
    articles = dict(re.findall(r'<article class="conflict[^"]*" id="conflict-(\w+)"(.*?)</article>', html, re.S))
    assert set(articles) == {first, second}
    shown, hidden = articles[first], articles[second]
    assert "<mark" in shown and "Sentences not shown" not in shown
    assert "<mark" not in hidden and hidden.count("Sentences not shown") == 2 and "symptom-claims decide" in hidden
    assert "This run has 2 conflicts: the page shows the sentences of 1" in html
    assert "che in nine of ten." in shown and "about 80 percent" not in html  # the more severe headache conflict's only
    shown_rows = shown_tables(tables)
    assert len(shown_rows["evidence"]) == 2
    assert write_report(shown_rows, tmp_path).read_bytes() == html.encode("utf-8")
    tables["conflicts"].loc[tables["conflicts"]["conflict_id"] == first, "status"] = "dismissed"  # open ones come first
    decided = write_report(tables, tmp_path).read_text(encoding="utf-8")
    articles = dict(re.findall(r'<article class="conflict[^"]*" id="conflict-(\w+)"(.*?)</article>', decided, re.S))
    assert "Sentences not shown" in articles[first] and "Sentences not shown" not in articles[second]


def test_empty_tables_render(tmp_path):
    html = write_report({}, tmp_path).read_text(encoding="utf-8")
    assert "No conflicts." in html and "No claims." in html


def test_document_text_is_escaped_never_markup(tmp_path):
    tables = conflict_tables(f"Only 30% of people with multiple sclerosis report Fatigue {INJECTION}.")
    rejected = {"doc_id": "evil<script>", "source": '<img src=x onerror="alert(1)">', "sha256": "", "status": "rejected",
                "reason": "parse_error: <script>alert(1)</script>", "n_chars": 0}
    tables["documents"] = pd.concat([tables["documents"], pd.DataFrame([rejected])], ignore_index=True)
    html = write_report(tables, tmp_path).read_text(encoding="utf-8")
    tags = parse(html)
    assert [t for t, _ in tags.tags].count("script") == 1  # only the page's own
    assert "img" not in [t for t, _ in tags.tags]
    assert "&lt;script&gt;document.body.dataset.pwned=&#34;1&#34;;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;document.body.dataset.pwned=2&#34;&gt;" in html
    assert "evil&lt;script&gt;" in html and "parse_error: &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert ("figure", "30%") in tags.marks


def test_mentions_table_offsets_are_checked_against_the_sentence(tmp_path):
    tables = conflict_tables()
    evidence = tables["evidence"].set_index("doc_id")
    figure_id = evidence.loc["b", "statistic_mention_id"]
    start, end = (int(x) for x in re.search(r"@(\d+)-(\d+)", figure_id).groups())
    tables["mentions"] = pd.DataFrame([{"doc_id": "b", "mention_id": figure_id, "start": start, "end": end, "text": "31%",
                                        "label": "STATISTIC"}])
    marks = parse(write_report(tables, tmp_path).read_text(encoding="utf-8")).marks
    # disagreeing offsets: the sentence is shown plain rather than marking the wrong words
    assert ("figure", "30%") not in marks and ("figure", "figure") in marks
    assert ("figure", "about 80 percent") in marks


# --- real browser -----------------------------------------------------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--disable-default-apps", "--mute-audio"]


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed once per session with apt when missing and running as root."""
    found = shutil.which("chromium")
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and cannot be installed here (needs root and apt-get): apt-get install -y chromium")
    started = time.monotonic()
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", "--no-install-recommends", "chromium"]):
            subprocess.run(command, check=True, capture_output=True, text=True, timeout=900, env=env)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as error:
        detail = getattr(error, "stderr", "") or ""
        pytest.skip(f"installing chromium with apt-get failed: {error} {detail.strip()[-300:]}")
    found = shutil.which("chromium")
    if not found:
        pytest.skip("apt-get install chromium succeeded but no chromium binary is on PATH")
    print(f"installed chromium in {time.monotonic() - started:.0f} s")
    return found


def run_chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=60)


def test_report_in_headless_chromium(tmp_path, chromium):
    tables = conflict_tables(f"Only 30% of people with multiple sclerosis report Fatigue {INJECTION}.")
    page = write_report(tables, tmp_path / "out")
    url = page.resolve().as_uri()

    dumped = run_chromium(chromium, tmp_path / "profile", "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = dumped.stdout
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert 'data-ready="1"' in body, "the page's own inline script (allowed by its CSP hash) did not run"
    assert "data-pwned" not in dom, "an injected script ran"
    conflict_id = tables["conflicts"].iloc[0]["conflict_id"]
    assert f'id="conflict-{conflict_id}"' in dom and 'data-kind="numeric"' in dom
    assert '<mark class="figure">about 80 percent</mark>' in dom and '<mark class="figure">30%</mark>' in dom
    assert "&lt;script&gt;document.body.dataset.pwned" in dom
    assert re.search(r'<form id="filters"(?! hidden)', dom), "the script should reveal the filters"
    assert '<output id="shown">1</output>' in dom

    artifacts = PROJECT_ROOT / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    screenshot = artifacts / "report.png"
    screenshot.unlink(missing_ok=True)
    shot = run_chromium(chromium, tmp_path / "profile", f"--screenshot={screenshot}", "--window-size=1280,2000", url)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 10_000
