"""No regular expression of ours, and no stage of the pipeline, can be made to run for ages
by a hostile line (catastrophic backtracking, quadratic rescans).

Every compiled ``re.Pattern`` reachable from the modules of ``extractors``, ``claims`` and
``ingest`` (module globals, class attributes, containers of those, the pattern factories
listed in PATTERN_FACTORIES, and the scispaCy tokenizer's prefix/suffix/infix regexes) is
fed adversarial lines of 200 kB - 1 MB built from its own literal fragments, a sample of
what it matches, near-misses of that sample, and generic junk. The matching runs in a child
process that the test kills when one check exceeds PER_CHECK_SECONDS, so a regression
fails the test instead of hanging the suite.
"""
from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import re
import signal
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from queue import Empty, Queue

import pytest

from tests.conftest import PROJECT_ROOT

PACKAGES = ("extractors", "claims", "ingest")
PER_CHECK_SECONDS = 5.0  # one pattern, one input, all three match modes
FRAGMENT_CHARS = 100_000  # inputs built from a pattern's own pieces
GENERIC_CHARS = 100_000  # generic junk lines, fed to every pattern
MAX_FRAGMENTS = 8  # per pattern, the longest literal pieces
PIPELINE_DOC_CHARS = 1_000_000
PIPELINE_SECONDS = 90.0

# Patterns that only ever see short or trusted strings: checked on inputs cut to this many
# characters, with the reason. Each one backtracks quadratically on long blank runs.
BOUNDED_INPUT = {
    "extractors.aliases._TERM_SPLIT": (200, "splits an alias clause already capped at 120 characters by _SAME_AS_AFTER/_DESCRIBED_AFTER"),
    "extractors.lexicon._PARENTHESIS": (2_000, "applied to ontology term names while the lexicon is built (trusted, short)"),
    "extractors.lexicon._SYNONYM": (2_000, "applied to synonym lines of the shipped ontology files (trusted, short)"),
}
# Patterns once found to backtrack quadratically on long blank runs (`\s*,?\s*` at the start)
# were rewritten (`\s*(?:,\s*)?`); none is exempt from the main test now.
KNOWN_BACKTRACKING: dict[str, str] = {}
BLANK_RUN_UNITS = ("spaces",)  # newlines behave the same; one input keeps the xfail cheap

# Patterns built by functions rather than held in a module global (name -> how to get them).
PATTERN_FACTORIES = {
    "extractors.statistics._patterns()": lambda: [p for p, _ in importlib.import_module("extractors.statistics")._patterns()],
    "extractors.context._cue_pattern(load_cues())": lambda: [
        importlib.import_module("extractors.context")._cue_pattern(importlib.import_module("extractors.context").load_cues())[0]
    ],
    "extractors.context.ContextAnnotator(load_cues()).ascii_patterns": lambda: list(
        importlib.import_module("extractors.context").ContextAnnotator(importlib.import_module("extractors.context").load_cues()).ascii_patterns
    ),
    "scispaCy tokenizer (prefix/suffix/infix)": lambda: _tokenizer_patterns(),
}

GENERIC_UNITS = {
    "digits": "1",
    "spaces": " ",
    "percent": "%",
    "open_paren": "(",
    "close_paren": ")",
    "a": "a",
    "of_people_with": "of people with ",
    "digit_space": "1 ",
    "digit_comma": "1,",
    "one_in": "1 in ",
    "about_1": "about 1 ",
    "dash": "-",
    "newlines": "\n",
    "tabs_words": "word\t",
    "comma_the": ", the",
    "quote": '"',
    "colon_digits": "1:",
    "dot_digit": "1.",
    "symptoms_of": "symptoms of ",
    "not_only": "not ",
    "unicode_dash": "\u2013",
    "mixed_stat": "about 20 to 30 percent of people with MS and ",
}


def _tokenizer_patterns() -> list[re.Pattern]:
    from extractors.tokenization import blank_english

    tokenizer = blank_english().tokenizer
    found = []
    for function in (tokenizer.prefix_search, tokenizer.suffix_search, tokenizer.infix_finditer, tokenizer.token_match, tokenizer.url_match):
        owner = getattr(function, "__self__", None)
        if isinstance(owner, re.Pattern):
            found.append(owner)
    return found


# --- collecting the patterns -------------------------------------------------------------

def _modules():
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        yield package
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            yield importlib.import_module(info.name)


def _visit(value, where: str, found: dict, depth: int = 0) -> None:
    if isinstance(value, re.Pattern):
        found.setdefault((value.pattern, value.flags), (where, value))
    elif depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        for index, item in enumerate(value):
            _visit(item, f"{where}[{index}]", found, depth + 1)
    elif depth < 3 and isinstance(value, dict):
        for key, item in value.items():
            _visit(item, f"{where}[{key!r}]", found, depth + 1)


def collect_patterns() -> list[tuple[str, re.Pattern]]:
    """(where, pattern) for every distinct compiled pattern of our packages."""
    found: dict = {}
    for module in _modules():
        for name, value in vars(module).items():
            if inspect.isclass(value) and value.__module__ == module.__name__:
                for attribute, member in vars(value).items():
                    _visit(member, f"{module.__name__}.{name}.{attribute}", found)
            else:
                _visit(value, f"{module.__name__}.{name}", found)
    for where, factory in PATTERN_FACTORIES.items():
        for index, pattern in enumerate(factory()):
            _visit(pattern, f"{where}[{index}]", found)
    return sorted(((where, pattern) for where, pattern in found.values()), key=lambda item: item[0])


# --- adversarial inputs ------------------------------------------------------------------

def _parse(pattern: re.Pattern):
    import re._parser as sre_parse  # Python 3.11+

    return sre_parse.parse(pattern.pattern, pattern.flags)


_CATEGORY_SAMPLE = {"CATEGORY_DIGIT": "1", "CATEGORY_NOT_DIGIT": "a", "CATEGORY_SPACE": " ", "CATEGORY_NOT_SPACE": "a",
                    "CATEGORY_WORD": "a", "CATEGORY_NOT_WORD": " ", "CATEGORY_LINEBREAK": "\n", "CATEGORY_NOT_LINEBREAK": "a"}


def _class_sample(items) -> str:
    """One character a character class accepts (a best guess for negated classes)."""
    negated = any(str(op) == "NEGATE" for op, _ in items)
    for op, av in items:
        name = str(op)
        if negated:
            break
        if name == "LITERAL":
            return chr(av)
        if name == "RANGE":
            return chr(av[0])
        if name == "CATEGORY":
            return _CATEGORY_SAMPLE.get(str(av), "a")
    return "a" if negated else " "


def _sample(tokens, repeat_max: bool = False) -> str:
    """A string the (sub)pattern roughly matches: first branches, minimal (or a few) repeats."""
    out = []
    for op, av in tokens:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(av) != "a" else "b")
        elif name == "IN":
            out.append(_class_sample(av))
        elif name == "ANY":
            out.append("a")
        elif name == "BRANCH":
            out.append(_sample(av[1][0], repeat_max))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, high, sub = av
            count = max(low, 1)
            if repeat_max:
                count = max(count, min(high, 4))
            out.append(_sample(sub, repeat_max) * count)
        elif name == "SUBPATTERN":
            out.append(_sample(av[-1], repeat_max))
        elif name == "ATOMIC_GROUP":
            out.append(_sample(av, repeat_max))
        elif name == "GROUPREF_EXISTS":
            out.append(_sample(av[1], repeat_max))
    return "".join(out)


def _fragments(tokens, found: list[str]) -> list[str]:
    """Runs of literal characters anywhere in the pattern ("of", "people", "per cent", ...)."""
    run = []
    for op, av in tokens:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        if run:
            found.append("".join(run))
            run = []
        if name == "BRANCH":
            for branch in av[1]:
                _fragments(branch, found)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _fragments(av[2], found)
        elif name == "SUBPATTERN":
            _fragments(av[-1], found)
        elif name in ("ASSERT", "ASSERT_NOT"):
            _fragments(av[1], found)
        elif name == "ATOMIC_GROUP":
            _fragments(av, found)
        elif name == "GROUPREF_EXISTS":
            _fragments(av[1], found)
            if av[2] is not None:
                _fragments(av[2], found)
    if run:
        found.append("".join(run))
    return found


def _fill(unit: str, chars: int) -> str:
    return (unit * (chars // max(len(unit), 1) + 1))[:chars] if unit else ""


def adversarial_inputs(pattern: re.Pattern) -> list[tuple[str, str]]:
    """(label, text) pairs for one pattern: its own pieces, repeated, then generic junk."""
    inputs = []
    try:
        tokens = _parse(pattern)
        sample, long_sample = _sample(tokens), _sample(tokens, repeat_max=True)
        fragments = sorted(set(_fragments(tokens, [])), key=lambda f: (-len(f), f))[:MAX_FRAGMENTS]
    except Exception:  # a construct the sampler does not know: generic inputs still apply
        sample = long_sample = ""
        fragments = []
    for label, unit in (("sample", sample), ("long_sample", long_sample), ("near_miss", sample[:-1]),
                        ("sample_space", sample + " "), ("near_miss_space", sample[:-1] + " ")):
        if unit.strip():
            inputs.append((f"{label}={unit[:40]!r}", _fill(unit, FRAGMENT_CHARS)))
    if fragments:
        inputs.append(("all_fragments", _fill(" ".join(fragments) + " ", FRAGMENT_CHARS)))
        inputs.append(("all_fragments_glued", _fill("".join(fragments), FRAGMENT_CHARS)))
    for fragment in fragments:
        inputs.append((f"fragment={fragment[:40]!r}", _fill(fragment, FRAGMENT_CHARS)))
        if fragment.strip() != fragment:
            continue
        inputs.append((f"fragment+space={fragment[:40]!r}", _fill(fragment + " ", FRAGMENT_CHARS)))
    for label, unit in GENERIC_UNITS.items():
        inputs.append((f"generic={label}", _fill(unit, GENERIC_CHARS)))
    inputs.append(("sample_then_spaces", sample + " " * GENERIC_CHARS + "x"))
    return inputs


def exercise(pattern: re.Pattern, text: str) -> None:
    """search, exhaust finditer, fullmatch: the three ways our code applies patterns (a bytes
    pattern, such as ingest's sniff of raw file bytes, gets the same text as bytes)."""
    if isinstance(pattern.pattern, bytes):
        text = text.encode("latin-1", "replace")
    pattern.search(text)
    for _ in pattern.finditer(text):
        pass
    pattern.fullmatch(text)


def checks(known: bool = False):
    """(where, pattern, label, text) to run: everything but KNOWN_BACKTRACKING, or only those on blank runs."""
    for where, pattern in collect_patterns():
        if known != (where in KNOWN_BACKTRACKING):
            continue
        cut = BOUNDED_INPUT.get(where, (None, ""))[0]
        for label, text in adversarial_inputs(pattern):
            if known and label.removeprefix("generic=") not in BLANK_RUN_UNITS:
                continue
            yield where, pattern, label, text[:cut] if cut else text


def worker(skip: int = 0, known: bool = False) -> None:
    """Child process: announce each check, run it, report its time (one JSON line each).

    ``skip`` resumes after a check the parent gave up on (the parent kills and restarts us).
    """
    for number, (where, pattern, label, text) in enumerate(checks(known), start=1):
        if number <= skip:
            continue
        print(json.dumps({"start": [number, where, label, len(text)]}), flush=True)
        started = time.perf_counter()
        exercise(pattern, text)
        print(json.dumps({"done": [number, where, label, len(text), time.perf_counter() - started]}), flush=True)
    print(json.dumps({"finished": True}), flush=True)


def _pump(stream, lines: Queue) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


def run_checks(known: bool = False) -> tuple[list, list]:
    """Run the worker, restarting it past any check that overruns; (timings, overruns)."""
    timings, overruns, skip = [], [], 0
    while True:
        child = subprocess.Popen(
            [sys.executable, "-c", f"from tests.test_regex_safety import worker; worker({skip}, {known})"],
            cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        )
        lines: Queue = Queue()
        threading.Thread(target=_pump, args=(child.stdout, lines), daemon=True).start()
        current, outcome = None, None
        startup_deadline = time.monotonic() + 120  # imports and the tokenizer build
        try:
            while outcome is None:
                limit = PER_CHECK_SECONDS if current else max(1.0, startup_deadline - time.monotonic())
                try:
                    line = lines.get(timeout=limit)
                except Empty:
                    if current is None:
                        pytest.fail("regex worker did not start")
                    overruns.append(current)
                    skip, outcome = current[0], "restart"
                    continue
                if line is None:
                    outcome = "died"
                    continue
                message = json.loads(line)
                if "start" in message:
                    current = message["start"]
                elif "done" in message:
                    timings.append(message["done"])
                    current = None
                elif message.get("finished"):
                    outcome = "finished"
        finally:
            child.kill()
            child.wait()
        if outcome == "finished":
            return timings, overruns
        if outcome == "died":
            pytest.fail(f"regex worker died: {child.stderr.read()[-2000:]}")


# --- tests -------------------------------------------------------------------------------

def test_collection_reaches_the_patterns_that_see_document_text():
    found = collect_patterns()
    wheres = [where for where, _ in found]
    assert len(found) >= 60, wheres
    assert sum(w.startswith("extractors.statistics._patterns()") for w in wheres) >= 10
    assert any(w.startswith("extractors.context._cue_pattern") for w in wheres)
    assert any(w.startswith("scispaCy tokenizer") for w in wheres)
    for expected in ("extractors.claim_builder._HEADING", "extractors.aliases._SAME_AS_AFTER", "ingest.decode._CONTROL_CHARS",
                     "claims.conflicts._PLURAL", "extractors.statistics._SHORT_GAP"):
        assert expected in wheres


def test_every_pattern_is_fast_on_adversarial_lines():
    """Each check is bounded by PER_CHECK_SECONDS; the slowest checks are printed."""
    timings, overruns = run_checks()
    timings.sort(key=lambda t: -t[4])
    report = "\n".join(f"  {t[4]:7.3f} s  {t[1]}  {t[2]}  ({t[3]:,} chars)" for t in timings[:10])
    print(f"\n{len(timings)} checks finished; slowest:\n{report}")
    too_slow = [f"  > {PER_CHECK_SECONDS} s  {t[1]}  {t[2]}  ({t[3]:,} chars)" for t in overruns]
    too_slow += [f"  {t[4]:.1f} s  {t[1]}  {t[2]}" for t in timings if t[4] > PER_CHECK_SECONDS]
    assert not too_slow, "patterns that backtrack on adversarial input:\n" + "\n".join(too_slow)


@contextmanager
def time_limit(seconds: float):
    """Raise TimeoutError in the main thread when the block runs longer than ``seconds``."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def adversarial_document(chars: int = PIPELINE_DOC_CHARS) -> str:
    """Long prose-like sentences dense in symptoms, conditions and figures, plus junk runs
    (a 100 kB sentence without punctuation, a 50 kB token, digit and bracket runs)."""
    prose = ("Fatigue affects about 80% of people with multiple sclerosis, and headache (also called cephalalgia) "
             "occurs in 1 in 4 to 1 in 3 adults with migraine; nausea is not uncommon. ")
    one_sentence = _fill("fatigue in 20 to 30 percent of people with MS and pain in ", 100_000)
    junk = "(" * 20_000 + ")" * 20_000 + "1" * 20_000 + " " + "a" * 50_000 + " " + "%" * 10_000 + " " + _fill("1, ", 20_000) + ". "
    head = one_sentence + ". " + junk
    return (head + _fill(prose, chars - len(head)))[:chars]


def test_whole_pipeline_is_bounded_on_a_1mb_adversarial_document(nlp):
    text = adversarial_document()
    assert len(text) == PIPELINE_DOC_CHARS <= nlp.max_length
    started = time.perf_counter()
    with time_limit(PIPELINE_SECONDS):
        doc = nlp(text)
    elapsed = time.perf_counter() - started
    print(f"\npipeline on {len(text):,} adversarial chars: {elapsed:.1f} s, {len(doc):,} tokens, {len(doc.ents):,} entities")
    assert doc.text == text
