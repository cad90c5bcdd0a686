"""One self-contained HTML page for reviewing a run: counts, conflicts with both sentences, claims, rejects.

``write_report(tables, output)`` writes ``output/report.html`` atomically. The page needs no
network: all CSS and the one small script are inline, and a Content-Security-Policy allows
exactly those two blocks (by their SHA-256 hashes) and nothing else. Every value that comes
from a document is escaped by Jinja2's autoescape; highlighted sentences are passed to the
template as ``(text, css_class)`` segments, never as pre-built HTML. The output is
deterministic: no timestamps, rows sorted, the same tables give the same bytes.
"""
from __future__ import annotations

import base64
import hashlib
import re
import shlex
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, NamedTuple

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from claims.figures import format_figure, format_interval
from claims.rows import iter_records, records
from claims.schema import CONFLICTS, EVIDENCE, TABLES, Table
from claims.writers import StagedWrite, read_tables, write_parquet_tables, write_temporary

if TYPE_CHECKING:
    from claims.spool import SpooledMentions

REPORT_NAME = "report.html"
TEMPLATES = Path(__file__).parent / "templates"
KIND_ORDER = ("numeric", "related_numeric", "qualitative", "polarity", "alias", "curated")
STATUS_ORDER = ("open", "confirmed", "dismissed")
# Highlight priority when mentions overlap: the figure wins, then the symptom, then the condition.
MENTION_CLASSES = (("statistic_mention_id", "figure"), ("symptom_mention_id", "symptom"), ("condition_mention_id", "condition"))
_MENTION_ID = re.compile(r"@(\d+)-(\d+):[SCN]$")
# The page shows the sentences of at most this many conflicts: the open ones of highest
# severity, then decided ones. Each adds ~5 KB with its sentences, and 28,000 conflicts
# (MedQuAD four times over, every figure contradicted) made a 144 MB page that took its process
# 0.9 GB to render and no reviewer could read. The others are listed with their reason, claims
# and decide commands; their sentences are in evidence.csv.
CONFLICTS_WITH_SENTENCES = 2_000
# A sentence longer than this is shown as an excerpt around its marked words, the whole of it
# one click away: GARD's phenotype tables reach the tables as one "sentence" of up to ~5,500
# characters, and on MedQuAD 178 of 192 conflicts had such a table on one side (169 a sentence
# longer than this), its two marks somewhere in the middle (docs/report.md).
LONG_SENTENCE = 480
# The characters of plain text an excerpt keeps on either side of each marked stretch (a few of
# a table's rows), cut at a space, a tab or a line end
EXCERPT_CONTEXT = 150
GAP = "gap"  # the css class of a left-out stretch of an excerpt
_SPACE = re.compile(r"\s")
_LAST_SPACE = re.compile(r"\s(?=\S*$)")

STYLE = """
:root { --fg:#1b1b1b; --muted:#5a5a5a; --line:#d0d0d0; --bg2:#f4f4f4; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); margin: 0 auto; max-width: 1240px; padding: 16px 20px 60px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 16px; margin: 22px 0 6px; }
.muted { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 7px; text-align: left; vertical-align: top; }
th { background: var(--bg2); }
.counts { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.count { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.count b { display: block; font-size: 22px; }
.kinds { width: auto; } .kinds td.n { text-align: right; }
.conflict { border: 1px solid var(--line); border-left: 6px solid #c0392b; border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
.conflict.s-confirmed { border-left-color: #8e44ad; } .conflict.s-dismissed { border-left-color: #7f8c8d; }
.tags span { display: inline-block; border-radius: 10px; padding: 0 8px; margin-right: 6px; font-size: 13px; background: var(--bg2); border: 1px solid var(--line); }
.tags .st-open { background: #fdecea; border-color: #e6a39b; } .tags .st-confirmed { background: #f3e8f9; } .tags .st-dismissed { background: #eceff1; }
.reason { margin: 6px 0; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 12px; }
.side { background: #fafafa; border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; min-width: 0; }
.side h4 { margin: 0 0 4px; font-size: 14px; }
.sentence { margin: 6px 0; padding-left: 8px; border-left: 3px solid var(--line); overflow-wrap: anywhere; }
.gap { color: var(--muted); padding: 0 3px; }
details.whole > summary { font-size: 12px; color: var(--muted); cursor: pointer; }
.src { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
mark { padding: 0 2px; border-radius: 3px; color: inherit; }
mark.figure { background: #ffd54f; font-weight: 600; }
.claim-figure { background: #fff3c4; border: 1px solid #ffd54f; border-radius: 3px; padding: 0 4px; }
mark.symptom { background: #b3e5fc; } mark.condition { background: #c8e6c9; }
.legend mark { margin-right: 6px; }
pre.cmd { background: #263238; color: #eceff1; padding: 6px 8px; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; margin: 6px 0 0; font-size: 13px; }
#filters { background: var(--bg2); border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
#filters fieldset { display: inline-block; border: 0; margin: 0 16px 0 0; padding: 0; }
#filters legend { font-weight: 600; padding: 0; float: left; margin-right: 8px; }
#filters label { margin-right: 10px; white-space: nowrap; }
.hidden { display: none; }
th button { all: unset; cursor: pointer; } th button:focus { outline: 2px solid #1e88e5; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; } th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.num { text-align: right; white-space: nowrap; }
@media (max-width: 800px) { .sides { grid-template-columns: 1fr; } }
"""

SCRIPT = """
(function () {
  "use strict";
  var filters = document.getElementById("filters");
  if (filters) {
    filters.hidden = false;
    var apply = function () {
      var on = {};
      filters.querySelectorAll("input[type=checkbox]").forEach(function (box) {
        on[box.name + ":" + box.value] = box.checked;
      });
      var shown = 0;
      document.querySelectorAll(".conflict").forEach(function (item) {
        var visible = on["kind:" + item.dataset.kind] !== false && on["status:" + item.dataset.status] !== false;
        item.classList.toggle("hidden", !visible);
        if (visible) { shown += 1; }
      });
      document.querySelectorAll(".conflict-group").forEach(function (group) {
        group.classList.toggle("hidden", !group.querySelector(".conflict:not(.hidden)"));
      });
      var out = document.getElementById("shown");
      if (out) { out.textContent = String(shown); }
    };
    filters.addEventListener("change", apply);
    apply();
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      var button = th.querySelector("button");
      if (!button) { return; }
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var key = function (row) { var cell = row.cells[column]; return cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent.trim(); };
        var numeric = th.dataset.type === "num";
        rows.sort(function (a, b) {
          var x = key(a), y = key(b), d;
          if (numeric) {
            var nx = x === "" ? -Infinity : Number(x), ny = y === "" ? -Infinity : Number(y);
            d = nx - ny;
          } else {
            d = x.localeCompare(y);
          }
          return ascending ? d : -d;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
  document.body.dataset.ready = "1";
})();
"""


def csp_hash(source: str) -> str:
    """The CSP source expression allowing exactly this inline block."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(style: str = STYLE, script: str = SCRIPT) -> str:
    return "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(script)}",
        f"style-src {csp_hash(style)}",
        "img-src 'none'",
        "font-src 'none'",
        "connect-src 'none'",
        "media-src 'none'",
        "object-src 'none'",
        "frame-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ])


def _text(value: object) -> str:
    """A cell as display text: missing values become the empty string."""
    if type(value) is str:  # most cells (the page has ~1 million on MedQuAD): no pd.isna
        return value
    if value is None or value is pd.NA:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return str(value)


def _number(value: object, digits: int = 3) -> str:
    text = _text(value)
    if not text:
        return ""
    return f"{float(value):.{digits}g}"


def _mention_span(mention_id: str, mentions: dict[str, tuple[int, int]]) -> tuple[int, int] | None:
    """Document offsets of a mention: from mentions.csv, else from the id itself (``<doc>@<start>-<end>:X``)."""
    if mention_id in mentions:
        return mentions[mention_id]
    found = _MENTION_ID.search(mention_id)
    return (int(found.group(1)), int(found.group(2))) if found else None


def highlight(sentence: str, sentence_start: int, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Split ``sentence`` into ``(text, css_class)`` segments; ``spans`` are document offsets.

    Spans outside the sentence or overlapping an earlier (higher-priority) span are ignored;
    the class is empty for plain text. Escaping is left to the template.
    """
    taken: list[tuple[int, int, str]] = []
    for start, end, css in spans:
        start, end = start - sentence_start, end - sentence_start
        if start < 0 or end > len(sentence) or start >= end:
            continue
        if any(start < t_end and t_start < end for t_start, t_end, _ in taken):
            continue
        taken.append((start, end, css))
    segments, cursor = [], 0
    for start, end, css in sorted(taken):
        if start > cursor:
            segments.append((sentence[cursor:start], ""))
        segments.append((sentence[start:end], css))
        cursor = end
    if cursor < len(sentence):
        segments.append((sentence[cursor:], ""))
    return segments


def excerpt(segments: list[tuple[str, str]], context: int = EXCERPT_CONTEXT) -> list[tuple[str, str]] | None:
    """The :func:`highlight` segments of a long sentence (:data:`LONG_SENTENCE`) with the plain
    text more than ``context`` characters from every mark left out (a ``("…", GAP)`` segment
    in its place), or None where nothing would be left out: a short sentence, or one with no
    mark to centre on."""
    if sum(len(text) for text, _ in segments) <= LONG_SENTENCE or not any(css for _, css in segments):
        return None
    shown: list[tuple[str, str]] = []
    for index, (text, css) in enumerate(segments):
        mark_before, mark_after = index > 0, index < len(segments) - 1  # (plain segments alternate with marks)
        if css or len(text) <= context * (mark_before + mark_after) + len(" … "):
            shown.append((text, css))
            continue
        if mark_before:
            head = text[:context]
            space = _LAST_SPACE.search(head.rstrip())
            shown.append((head[:space.end()] if space and head[:space.start()].strip() else head, ""))
        shown.append(("…", GAP))
        if mark_after:
            tail = text[-context:]
            lead = len(tail) - len(tail.lstrip())
            space = _SPACE.search(tail, lead)
            shown.append((tail[space.start():] if space and tail[space.start():].strip() else tail, ""))
    return shown if any(css == GAP for _, css in shown) else None


def _conformed(table: Table, frame: pd.DataFrame | None) -> pd.DataFrame:
    return table.conform(frame) if frame is not None else table.empty()


def _conform(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    return {t.name: _conformed(t, tables.get(t.name)) for t in TABLES}


def _rows_with(rows: pd.DataFrame | SpooledMentions | None, column: str, values: set[str]) -> pd.DataFrame | None:
    if rows is not None and not isinstance(rows, pd.DataFrame):
        return rows.rows_with(column, values)
    return rows[rows[column].isin(values)] if rows is not None and column in rows else None


def _with_sentences(conflicts: pd.DataFrame) -> set[str]:
    """The conflict_ids whose sentences the page shows (:data:`CONFLICTS_WITH_SENTENCES`)."""
    if len(conflicts) <= CONFLICTS_WITH_SENTENCES:
        return set(conflicts["conflict_id"])
    ranked = conflicts.assign(is_open=conflicts["status"].fillna("open") == "open",
                              severity=conflicts["severity"].astype("Float64").fillna(-1.0))  # no severity: last
    ranked = ranked.sort_values(["is_open", "severity", "conflict_id"], ascending=[False, False, True], kind="mergesort")
    return set(ranked["conflict_id"].head(CONFLICTS_WITH_SENTENCES))


def _listed(cell: object) -> list[str]:
    """The IDs of a "|"-joined cell, in order (none for an empty or missing cell)."""
    return [part for part in _text(cell).split("|") if part]


def _claim_ids(conflicts: pd.DataFrame) -> set[str]:
    """The claims the conflicts name."""
    return {claim_id for cell in conflicts["claim_ids"] for claim_id in _listed(cell)}


def shown_tables(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The rows the report reads, conformed: every document, claim, conflict and alias, but
    only the evidence and mentions of the claims whose sentences it shows. Filtered before
    they are conformed (MedQuAD has 248,832 mentions), and small enough to hand to another
    process; :func:`build_context` of them is the same."""
    conflicts = _conformed(CONFLICTS, tables.get(CONFLICTS.name))
    shown_claims = _claim_ids(conflicts[conflicts["conflict_id"].isin(_with_sentences(conflicts))])
    evidence = _conformed(EVIDENCE, _rows_with(tables.get(EVIDENCE.name), "claim_id", shown_claims))
    shown_mentions = set(evidence[[column for column, _ in MENTION_CLASSES]].stack().dropna().astype(str))
    mentions = _rows_with(tables.get("mentions"), "mention_id", shown_mentions)
    return _conform({**tables, "conflicts": conflicts, "evidence": evidence, "mentions": mentions})


def build_context(tables: dict[str, pd.DataFrame], output: Path) -> dict:
    """Everything the template shows, as plain sorted Python values (no HTML); the claims
    table's rows are made while the page is written (:class:`ClaimRows`)."""
    tables = shown_tables(tables)
    documents, mentions, evidence = tables["documents"], tables["mentions"], tables["evidence"]
    claims, conflicts, aliases = tables["claims"], tables["conflicts"], tables["aliases"]
    mention_spans: dict[str, tuple[int, int]] = {}
    mention_text: dict[str, str] = {}
    for row in mentions[["mention_id", "start", "end", "text"]].itertuples(index=False):
        if _text(row.mention_id) and _text(row.start) and _text(row.end):
            mention_spans[row.mention_id] = (int(row.start), int(row.end))
            mention_text[row.mention_id] = _text(row.text)

    source_of = {r.doc_id: _text(r.source) for r in documents[["doc_id", "source"]].itertuples(index=False)}
    claim_by_id = {c["claim_id"]: c for c in records(claims[claims["claim_id"].isin(_claim_ids(conflicts))])}

    sentences_of: dict[str, list[dict]] = defaultdict(list)
    for row in records(evidence):
        sentence, start = _text(row["sentence"]), row["sentence_start"]
        spans = []
        for column, css in MENTION_CLASSES:
            mention_id = _text(row[column])
            span = _mention_span(mention_id, mention_spans) if mention_id else None
            if span is None or not _text(start):
                continue
            written = mention_text.get(mention_id)
            relative = (span[0] - int(start), span[1] - int(start))
            if written and sentence[relative[0]:relative[1]] != written:
                continue  # offsets disagree with the sentence: show it plain rather than mark the wrong words
            spans.append((span[0], span[1], css))
        sentences_of[row["claim_id"]].append({
            "evidence_id": _text(row["evidence_id"]),
            "doc_id": _text(row["doc_id"]),
            "source": source_of.get(row["doc_id"], ""),
            "segments": (segments := highlight(sentence, int(start) if _text(start) else 0, spans)),
            "excerpt": excerpt(segments),
            "length": len(sentence),
            "flags": [flag for flag in ("negated", "hedged", "hypothetical") if _text(row[flag]) == "True"],
        })
    for items in sentences_of.values():
        items.sort(key=lambda s: (s["doc_id"], s["evidence_id"]))

    aliases_of_doc: dict[str, list[dict]] = defaultdict(list)
    for row in records(aliases):
        aliases_of_doc[row["doc_id"]].append({k: _text(v) for k, v in row.items()})

    condition_name = _names(claims, "condition_id", "condition")
    symptom_name = _names(claims, "symptom_id", "symptom")

    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    kind_counts: dict[str, dict[str, int]] = {}
    output_arg = shlex.quote(str(output))
    with_sentences = _with_sentences(conflicts)
    for row in records(conflicts):
        conflict_id = _text(row["conflict_id"])
        kind, status = _text(row["kind"]), _text(row["status"]) or "open"
        kind_counts.setdefault(kind, dict.fromkeys(STATUS_ORDER, 0))
        kind_counts[kind][status] = kind_counts[kind].get(status, 0) + 1
        claim_ids = _listed(row["claim_ids"])
        figures = [_text(row["figure_a"]), _text(row["figure_b"])]
        sides = []
        for index, claim_id in enumerate(claim_ids):
            claim = claim_by_id.get(claim_id, {})
            sides.append({
                "claim_id": claim_id,
                "symptom": _text(claim.get("symptom")) or symptom_name.get(_text(row["symptom_id"]), _text(row["symptom_id"])),
                "condition": _text(claim.get("condition")),
                "population": _text(claim.get("population")),
                "polarity": _text(claim.get("polarity")),
                "figure": figures[index] if index < 2 else "",
                "sentences": sentences_of.get(claim_id, []) if conflict_id in with_sentences else None,
            })
        doc_ids = _listed(row["doc_ids"])
        naming = [a for d in doc_ids for a in aliases_of_doc.get(d, [])] if not claim_ids else []
        condition_id = _text(row["condition_id"])
        condition = condition_name.get(condition_id) or condition_id or "(no condition)"
        groups[(condition, _text(row["measure"]))].append({
            "id": conflict_id,
            "kind": kind,
            "status": status,
            "severity": _number(row["severity"], 2),
            "severity_value": float(row["severity"]) if _text(row["severity"]) else -1.0,
            "reason": _text(row["reason"]),
            "figure_a": figures[0],
            "figure_b": figures[1],
            "sides": sides,
            "naming": naming,
            "docs": [{"doc_id": d, "source": source_of.get(d, "")} for d in doc_ids],
            "decided_by": _text(row["decided_by"]),
            "decided_at": _text(row["decided_at"]),
            "note": _text(row["note"]),
            "decide": [f"symptom-claims decide {shlex.quote(conflict_id)} --status {verdict} --note \"...\" --output {output_arg}"
                       for verdict in ("confirmed", "dismissed")],
        })
    conflict_groups = []
    for (condition, measure) in sorted(groups, key=lambda key: (key[0].casefold(), key[0], key[1])):
        items = sorted(groups[(condition, measure)], key=lambda c: (-c["severity_value"], c["id"]))
        conflict_groups.append({"condition": condition, "measure": measure, "conflicts": items})

    kinds = sorted(kind_counts, key=lambda k: (KIND_ORDER.index(k) if k in KIND_ORDER else len(KIND_ORDER), k))
    statuses = list(STATUS_ORDER) + sorted({s for counts in kind_counts.values() for s in counts} - set(STATUS_ORDER))
    kind_rows = [{"kind": k, "counts": [kind_counts[k].get(s, 0) for s in statuses], "total": sum(kind_counts[k].values())} for k in kinds]

    statuses_of_docs = documents["status"].fillna("").tolist()
    rejected = [{"doc_id": _text(r["doc_id"]), "source": _text(r["source"]), "reason": _text(r["reason"])}
                for r in records(documents) if _text(r["status"]) == "rejected"]
    open_total = sum(k["counts"][0] for k in kind_rows)
    return {
        "gap": GAP,
        "style": Markup(STYLE),
        "script": Markup(SCRIPT),
        "csp": content_security_policy(),
        "output": str(output),
        "counts": {
            "documents_ok": statuses_of_docs.count("ok"),
            "documents_rejected": statuses_of_docs.count("rejected"),
            "claims": len(claims),
            "conflicts": len(conflicts),
            "with_sentences": len(with_sentences),
            "open": open_total,
            "decided": len(conflicts) - open_total,
        },
        "statuses": statuses,
        "kind_rows": kind_rows,
        "kinds": kinds,
        "conflict_groups": conflict_groups,
        "claims": ClaimRows(claims),
        "rejected": rejected,
    }


def _names(claims: pd.DataFrame, id_column: str, name_column: str) -> dict[str, str]:
    """Name of each ID as the claims give it (the last claim's, where they differ)."""
    return {_text(i): _text(name) for i, name in zip(claims[id_column], claims[name_column]) if _text(i)}


class ClaimRow(NamedTuple):
    """One row of the page's claims table, as the template writes it. A tuple's attributes, not a
    dict's keys: Jinja looks ``c.symptom`` up as an attribute first, and on a dict that lookup
    failed, raising and catching an exception, once per cell (14 cells a claim, 42,000 claims on
    MedQuAD)."""

    claim_id: str
    symptom: str
    condition: str
    measure: str
    figure: str
    value_sort: str
    population: str
    polarity: str
    n_evidence: str
    n_sources: str
    confidence: str
    confidence_sort: str
    # (conflict id, what follows it): a loop that asks ``loop.last`` makes Jinja track the loops
    # around it too, a LoopContext step per claim
    conflict_links: list[tuple[str, str]]


class ClaimRows:
    """The rows of the page's claims table, made as the template writes them (anew on each
    pass): the page lists every claim (57,000 at four times MedQuAD), and only a chunk's rows
    are held at once."""

    def __init__(self, claims: pd.DataFrame):
        self.claims = claims

    def __iter__(self) -> Iterator[ClaimRow]:
        for c in iter_records(self.claims):
            yield ClaimRow(
                claim_id=_text(c["claim_id"]), symptom=_text(c["symptom"]),
                condition=_text(c["condition"]), measure=_text(c["measure"]),
                figure=_figure(c), value_sort=_text(c["value_low"]),
                population=_text(c["population"]), polarity=_text(c["polarity"]),
                n_evidence=_text(c["n_evidence"]), n_sources=_text(c["n_sources"]),
                confidence=_number(c["confidence"], 2), confidence_sort=_text(c["confidence"]),
                conflict_links=_with_separators(_listed(c["conflict_ids"])),
            )


def _with_separators(ids: list[str]) -> list[tuple[str, str]]:
    return [(item, " " if number < len(ids) - 1 else "") for number, item in enumerate(ids)]


def _figure(claim: dict) -> str:
    """A claim's value as a reviewer reads it, formatted like the conflict reasons."""
    low, high = (float(v) if _text(v) else None for v in (claim["value_low"], claim["value_high"]))
    if low is None and high is None:
        return _text(claim["frequency_class"])
    unit = _text(claim["unit"])
    if not unit:  # a frequency word: its HPO bin and the range it stands for
        return f'{_text(claim["frequency_class"])} ({format_interval(low, high, "proportion")})'.strip()
    return format_figure(low, high, unit, _text(claim["qualifier"]), measure=_text(claim["measure"]))


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "j2", "html.j2"), default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def stage_report(tables: dict[str, pd.DataFrame], output: Path) -> Path:
    """Render the page into a complete temporary beside ``output/report.html`` and return the
    temporary, for a run to rename into place together with the tables it shows.

    The page is streamed into the file as the template renders it: a page rendered to one
    string first (65 MB at four times MedQuAD) took ~155 MB more at its peak."""
    output = Path(output)
    page = _environment().get_template("report.html.j2").stream(**build_context(tables, output))

    def write(temporary: Path) -> None:
        with temporary.open("w", encoding="utf-8", newline="\n") as handle:
            page.dump(handle)

    return write_temporary(output / REPORT_NAME, write)


def hand_over(tables: dict[str, pd.DataFrame], within: Path) -> Path:
    """Write :func:`shown_tables` as Parquet files into a new folder inside ``within`` and
    return it, for :func:`stage_report_from` in another process. Pickled to it, the frames
    (~45 MB at four times MedQuAD) grew the flow's process by 114-169 MB until the page was
    back (the pool's queue and work item keep them); written, they are freed when this
    returns. Parquet keeps every dtype, so the page is the same. A new folder each time: a
    retried writing must not rewrite the files an earlier attempt's rendering may still read."""
    Path(within).mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="report-tables-", dir=within))
    write_parquet_tables(shown_tables(tables), folder)
    return folder


def stage_report_from(folder: Path, output: Path) -> Path:
    """:func:`stage_report` of the tables :func:`hand_over` wrote into ``folder``."""
    return stage_report(read_tables(folder, "parquet"), output)


def write_report(tables: dict[str, pd.DataFrame], output: Path) -> Path:
    """Write ``output/report.html`` atomically and return its path."""
    path = Path(output) / REPORT_NAME
    with StagedWrite() as staged:
        staged.add(path, stage_report(tables, output))
        staged.commit()
    return path


if __name__ == "__main__":  # python -m claims.report DIR: (re)write DIR/report.html from DIR's CSV tables
    import sys

    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
    print(write_report(read_tables(folder), folder))
