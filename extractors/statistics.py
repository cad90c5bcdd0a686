"""Recognise and normalise the statistics of health text: proportions, rates, counts,
durations, onset ages and qualitative frequency words.

Pure regular expressions (no spaCy) so the pipeline component, the tests and the
benchmark share one implementation. Every repetition in every pattern is bounded, so
no input can make a pattern backtrack catastrophically: a 1 MB adversarial line costs
linear time. The decisions behind the canonical values are in docs/statistics.md.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterator

from extractors.frequency_classes import class_of_share

FREQUENCY_WORDS_PATH = Path(__file__).with_name("resources") / "frequency_words.tsv"


@dataclass(frozen=True)
class Statistic:
    """One statistic with exact char offsets and its value in canonical units.

    Proportions and rates are per-person fractions (0-1), durations seconds, ages years,
    counts persons. A stated range is kept as a range, never averaged; a one-sided
    qualifier ("up to", "more than") becomes the matching interval.
    """

    start: int
    end: int
    text: str
    kind: str  # "proportion", "rate", "count", "duration", "age", "frequency_word"
    value_low: float | None
    value_high: float | None
    unit: str  # "proportion", "per_person", "persons", "seconds", "years", ""
    qualifier: str  # "", "about", "up to", "at least", "more than", "less than", "nearly", "at most"
    frequency_class: str  # HPO frequency bin, "" when unknown or when a range spans bins
    denominator: str = ""  # rates only: "100,000 live births", "million"
    period: str = ""  # "annual" when stated


# --- shared regex building blocks (all repetitions bounded) -------------------------

_S = r"\s{1,3}"  # bounded whitespace so long blank runs are never rescanned quadratically
_DASH = r"[-\u2010-\u2015\u2212]"  # hyphen, non-breaking hyphen, en/em dashes, minus
_RANGE_SEP = rf"(?:\s{{0,2}}{_DASH}\s{{0,2}}|{_S}(?:to|or){_S})"
# A statistic never starts glued to a word, an ID ("HP:0001257"), a date or another number;
# the lookahead rejects blanks and punctuation with one character test (speed on junk input).
_START = r"(?<![\w.,:/\u2010-\u2015\u2212-])(?=[\w≤≥<>~≈])"
# Patterns are lower-case and run on an ASCII-lower-cased copy of the text (same length, so
# offsets hold): IGNORECASE makes every alternation branch several times slower.
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_WORD_NUMBERS = {
    word: value
    for value, word in enumerate(
        "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
        "fifteen sixteen seventeen eighteen nineteen twenty".split(),
        start=1,
    )
}
_WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
_MULTIPLIERS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9}


def _alternation(phrases, ending: Callable[[str], str] = lambda phrase: "") -> str:
    """Regex matching any of ``phrases`` (spaces match bounded whitespace), longest first,
    each followed by ``ending(phrase)``.

    Built as a trie: the phrases that match at one position are prefixes of one another,
    and the trie tries the longer one first, so it matches what a longest-first alternation
    matches. sre tries every branch of an alternation at every position; the trie tries
    only the branches of the characters seen so far (1.5-2x faster on MedQuAD).
    """
    trie: dict = {}
    for phrase in set(phrases):
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = phrase  # a phrase ends here

    def branches(node: dict) -> str:
        options = [(_S if char == " " else re.escape(char)) + branches(node[char]) for char in sorted(node) if char]
        if "" in node:
            options.append(ending(node[""]))  # after the longer phrases through this node
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return branches(trie)


def _first_letters(phrases) -> str:
    """A lookahead for the characters ``phrases`` begin with."""
    return "(?=[" + "".join(re.escape(char) for char in sorted({phrase[0] for phrase in phrases})) + "])"


_DIGITS = r"(?:\d{1,3}(?:,\d{3}){1,4}|\d{1,9})(?:\.\d{1,6})?(?!\d)(?![.,]\d)(?![^\W\d_])"
_WORD_NUMBER = _alternation(_WORD_NUMBERS) + r"\b"
_MULTIPLIER = _alternation(_MULTIPLIERS) + r"\b"
_NUMBER = rf"(?:(?:{_DIGITS}|{_WORD_NUMBER})(?:{_S}{_MULTIPLIER})?|(?:a|one){_S}{_MULTIPLIER})"
_COUNT_NUMBER = rf"(?:{_DIGITS}(?:{_S}{_MULTIPLIER})?|{_WORD_NUMBER}{_S}{_MULTIPLIER})"

_QUALIFIERS = {
    "about": ("about", "approximately", "approx.", "around", "roughly", "an estimated", "estimated", "circa", "~", "≈"),
    "up to": ("up to", "as many as", "as much as", "as high as"),
    "at least": ("at least", "no fewer than", "no less than", "≥", ">="),
    "more than": ("more than", "over", "greater than", "higher than", "in excess of", "above", "upwards of", "upward of", "longer than", ">"),
    "less than": ("less than", "fewer than", "under", "below", "lower than", "shorter than", "<"),
    "nearly": ("nearly", "almost", "close to", "just under", "virtually"),
    "at most": ("at most", "no more than", "not more than", "≤", "<="),
}
_AGE_QUALIFIERS = {
    "more than": ("after", "over", "older than", "above", "beyond", "more than"),
    "less than": ("before", "under", "younger than", "below", "prior to", "less than"),
    "at most": ("by", "until", "up to"),
    "about": ("around", "about", "approximately", "roughly"),
    "at least": ("from", "starting at", "at least"),
    "": ("at", "between"),
}


def _qualifier_pattern(table: dict[str, tuple[str, ...]]) -> str:
    """Alternation of qualifier phrases; words get a trailing word boundary, symbols don't."""
    phrases = [phrase for phrases in table.values() for phrase in phrases]
    return "(?:" + _alternation(phrases, lambda phrase: r"\b" if phrase[-1].isalpha() else "") + ")"


_QUALIFIER = _qualifier_pattern(_QUALIFIERS)
_AGE_QUALIFIER = _qualifier_pattern(_AGE_QUALIFIERS)
_LEADING_QUALIFIER = rf"(?:(?P<qual>{_QUALIFIER})\s{{0,3}})?"

_PERSON_NOUNS = (
    r"(?:people|persons|individuals|patients|cases|americans|adults|children|kids|men|women|boys|girls"
    r"|babies|infants|newborns|males|females|residents|sufferers)"
)
_POPULATION = rf"(?:(?:live{_S})?births|pregnancies|population|inhabitants|{_PERSON_NOUNS}|person{_DASH}years)"
_PERCENT = rf"(?:\s{{0,2}}%|{_S}per\s?cent\b)"
_TRAILING_PERIOD = rf"(?P<period>{_S}(?:per|a|each|every){_S}year\b|{_S}annually\b|{_S}per{_S}annum\b)?"
# "half of people with MS", "most affected individuals": vague shares must be shares of people.
_OF_PEOPLE = rf"{_S}of{_S}(?:(?:the|all|these|those|such){_S})?(?:{_PERSON_NOUNS}|affected|those|them)\b"
_PEOPLE_FOLLOW = rf"(?={_OF_PEOPLE}|{_S}(?:affected{_S})?{_PERSON_NOUNS}\b)"

_FRACTION_DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "tenth": 10}
_VAGUE_SHARES = {  # phrase -> (low, high, qualifier); "most" means "more than half"
    "most": (0.5, 1.0, "more than"),
    "the majority": (0.5, 1.0, "more than"),
    "a majority": (0.5, 1.0, "more than"),
    "the vast majority": (0.5, 1.0, "more than"),
    "a minority": (0.0, 0.5, "less than"),
    "nearly all": (1.0, 1.0, "nearly"),
    "almost all": (1.0, 1.0, "nearly"),
    "virtually all": (1.0, 1.0, "nearly"),
}
# "…, and some have …", "…, although most develop …": a bare quantifier after a conjunction, the
# subject of a verb of having, read as counting again the people the clause before counted
# (GHR writes it ~50 times; that the clause before counted people is not checked). Valued as
# the phrase it stands for: a frequency word ("some people") or the vague share "most".
ELLIPTICAL_SHARES = {"some": "some people", "many": "many people", "most": "most"}
# The verbs of having a feature, as its bearer's ("most have", "20% develop", "people who
# experience"), and the words that may come between the bearer and the verb ("will eventually
# develop", "usually go on to have"). The claim builder reads the same two.
HAVING_VERB = (rf"(?:have|has|had|experience[sd]?|develop(?:s|ed)?|exhibit(?:s|ed)?|show(?:s|ed)?|gets?|got|suffer{_S}from"
               rf"|present(?:s|ed)?{_S}with|report(?:s|ed)?)\b")
BEFORE_HAVING_VERB = rf"(?:(?:will|may|can|also|eventually|usually|typically|often|later|then|go{_S}on{_S}to){_S}){{0,3}}"
# What follows the quantifier: a verb of having, not an auxiliary ("some have been found in
# people with", "many have to use a wheelchair"). The claim builder reads the same pattern.
ELLIPTICAL_SHARE_VERB = rf"{_S}{BEFORE_HAVING_VERB}{HAVING_VERB}(?!{_S}(?:been|to)\b)"
_ELLIPTICAL_SHARE = (rf"\b(?:and|but|while|whereas|although|though|yet){_S}(?P<share>{_alternation(ELLIPTICAL_SHARES)})"
                     rf"(?={ELLIPTICAL_SHARE_VERB})")
_VAGUE_COUNTS = {"a few": (2, 4), "few": (2, 4), "several": (3, 7), "a couple of": (2, 2), "a couple": (2, 2)}
_VAGUE_COUNT = rf"{_alternation(_VAGUE_COUNTS)}\b"
_SECONDS_PER_UNIT = {
    "second": 1, "sec": 1, "minute": 60, "min": 60, "hour": 3600, "hr": 3600, "day": 86400,
    "week": 7 * 86400, "month": 30.4375 * 86400, "year": 365.25 * 86400,
}
_DURATION_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)"
_DECADE_WORDS = {"teens": 10, "twenties": 20, "thirties": 30, "forties": 40, "fifties": 50,
                 "sixties": 60, "seventies": 70, "eighties": 80, "nineties": 90}
_DECADE = rf"(?:[1-9]0'?s\b|{_alternation(_DECADE_WORDS)}\b)"
_DECADE_PART = rf"(?:(?:early|mid|late)(?:{_DASH}|{_S}))?"
_OPEN_AGE_END = rf"(?P<open>{_S}(?:and|or){_S}(?:older|over|above|up|younger|under|below)\b)?"
_AGE_UNITS = r"(?:years?|months?|weeks?|days?)"  # infants' ages: "6 weeks old"
_AGE_UNIT = rf"(?P<unit>{_AGE_UNITS})"

_ANNUAL_BEFORE = re.compile(r"\b(?:annual|annually|yearly|each year|every year|per year)\b[^.;]{0,60}$", re.I)
# "less than 0.5 percent of people with Barrett esophagus develop cancer ... each year": the
# period closes the figure's clause; a clause ends at a stop, a parenthesis, a line break (a
# list's next item) or at ", " (a comma with no space is a thousands separator)
_CLAUSE_END = re.compile(r"[.;:!?()\n]|,\s")
_ANNUAL_LATER = re.compile(r"\b(?:(?:each|every|per)\s+year|annually)\b", re.I)
_YEAR_LIKE = re.compile(r"(?:1[89]|20)\d\d")
_ORDINAL_BEFORE = re.compile(r"\b(?:first|second|last|latter|other|lower|upper|back|front|right|left)\s{1,3}$", re.I)
_NOT_A_FREQUENCY_AFTER = re.compile(
    rf"{_S}(?:used|called|known|referred|named|termed|listed|prescribed|recommended|asked|accepted|believed"
    r"|thought|cold|bile|carotid|iliac|femoral|hepatic|peroneal|variable|names?|ancestor|law|sense|practice"
    r"|ground|or\s{1,3}(?:common|frequent))\b",
    re.I,
)
# A hedging adverb right before another figure qualifies that figure ("usually last 60 to 90 seconds").
_SHORT_GAP = re.compile(r"\s{1,3}(?:[A-Za-z'-]{1,20}\s{1,3}){0,3}")
_HEDGE_ADVERBS_NOT_IN_LY = frozenset({"often", "sometimes", "always", "at times", "most often"})


# --- value helpers --------------------------------------------------------------------

def _number(text: str) -> float:
    """Value of a matched number: "10,000", "2.8 million", "one", "a million"."""
    value = 1.0
    for token in text.lower().replace(",", "").split():
        if token in _MULTIPLIERS:
            value *= _MULTIPLIERS[token]
        elif token in _WORD_NUMBERS:
            value *= _WORD_NUMBERS[token]
        elif token not in ("a", "one"):
            value *= float(token)
    return value


def _normalise(text: str) -> str:
    return " ".join(text.lower().split())


def _lookup_qualifier(text: str | None, table: dict[str, tuple[str, ...]]) -> str:
    if not text:
        return ""
    phrase = _normalise(text)
    return next(name for name, phrases in table.items() if phrase in phrases)


def _apply_qualifier(low: float, high: float, qualifier: str, ceiling: float | None) -> tuple[float, float | None]:
    """Canonical interval of a qualified figure: one-sided qualifiers open the other end."""
    if qualifier in ("up to", "less than", "at most"):
        return 0.0, high
    if qualifier in ("more than", "at least"):
        return low, ceiling
    return low, high


def _frequency_class(low: float, high: float, qualifier: str) -> str:
    """HPO bin of a proportion interval; "" when its ends fall in different bins.

    "nearly X" is read as just below X, so "nearly all" is very frequent, not obligate.
    """
    if qualifier == "nearly":
        low = high = high - 1e-9
    low_bin = class_of_share(low)
    return low_bin if low_bin == class_of_share(high) else ""


def _names_a_year(text: str) -> bool:
    """The cheap test before the period patterns, as case-blind as they are ("Yearly, ...")."""
    lowered = text.lower()
    return "year" in lowered or "annual" in lowered


def _period(match: re.Match, text: str) -> str:
    """"annual" when the figure says "per year", an "annual"/"each year" precedes it in its
    sentence, or "each/every/per year"/"annually" closes its clause."""
    if match.groupdict().get("period"):
        return "annual"
    window = text[max(0, match.start() - 80):match.start()]
    if _names_a_year(window) and _ANNUAL_BEFORE.search(window):
        return "annual"
    clause = text[match.end():match.end() + 100]
    clause_end = _CLAUSE_END.search(clause)
    clause = clause[:clause_end.start()] if clause_end else clause
    later = _ANNUAL_LATER.search(clause) if _names_a_year(clause) else None
    # not another number's: "10% of patients have 2 or more attacks per year"
    return "annual" if later and not any(c.isdigit() for c in clause[:later.start()]) else ""


def _make(match: re.Match, text: str, kind: str, low, high, unit: str, qualifier: str, group: int | str = 0, **extra) -> Statistic:
    """The statistic of ``match``, spanning its ``group`` (the whole match by default)."""
    start, end = match.span(group)
    return Statistic(start, end, text[start:end], kind, low, high, unit, qualifier, **extra)


def _share(match: re.Match, text: str, low: float, high: float, qualifier: str, denominator: str = "") -> Statistic | None:
    """A per-person fraction: a proportion, or a rate when the denominator exceeds 100."""
    if high > 1 or low > high:
        return None  # "a 150% increase" is a relative change, not a share of people
    low, high = _apply_qualifier(low, high, qualifier, 1.0)
    if denominator:
        return _make(match, text, "rate", low, high, "per_person", qualifier, frequency_class="",
                     denominator=denominator, period=_period(match, text))
    return _make(match, text, "proportion", low, high, "proportion", qualifier,
                 frequency_class=_frequency_class(low, high, qualifier), period=_period(match, text))


def _ordered(first: float, second: float | None) -> tuple[float, float]:
    return (first, first) if second is None else (min(first, second), max(first, second))


# --- builders: one per pattern family ---------------------------------------------------

def _build_percent(match: re.Match, text: str) -> Statistic | None:
    low, high = _ordered(_number(match["lo"]) / 100, _number(match["hi"]) / 100 if match["hi"] else None)
    return _share(match, text, low, high, _lookup_qualifier(match["qual"], _QUALIFIERS))


def _fraction_value(fraction: str) -> float:
    """ "one-third" -> 1/3, "a half" -> 1/2, "three fourths" -> 3/4."""
    *numerator, denominator = re.split(rf"{_DASH}|\s+", _normalise(fraction))
    return _WORD_NUMBERS.get(numerator[0] if numerator else "one", 1) / _FRACTION_DENOMINATORS[denominator.rstrip("s")]


def _build_fraction(match: re.Match, text: str) -> Statistic | None:
    """ "one-third of people", and ranges: "one third to one half of individuals" is 1/3-1/2."""
    if _ORDINAL_BEFORE.search(text, max(0, match.start() - 15), match.start()):
        return None  # "the first half of pregnancy"
    low, high = _ordered(_fraction_value(match["fraction"]), _fraction_value(match["fraction_low"]) if match["fraction_low"] else None)
    return _share(match, text, low, high, _lookup_qualifier(match["qual"], _QUALIFIERS))


def _build_vague_share(match: re.Match, text: str) -> Statistic | None:
    low, high, qualifier = _VAGUE_SHARES[_normalise(match.group())]
    return _make(match, text, "proportion", low, high, "proportion", qualifier,
                 frequency_class=_frequency_class(low, high, qualifier), period=_period(match, text))


def _rate_denominator(match: re.Match, *groups: str) -> str:
    numbers = " to ".join(_normalise(match[group]) for group in groups if match[group])
    return f"{numbers} {_normalise(match['pop'])}" if match["pop"] else numbers


def _build_ratio(match: re.Match, text: str) -> Statistic | None:
    """"1 in 10,000 people", "2 out of 3", "1:25,000 to 1:40,000"; denominators <= 100 are proportions."""
    if not match["pop"] and any(match[g] and _YEAR_LIKE.fullmatch(match[g]) for g in ("den", "den2")):
        return None  # "1 in 2010"
    numerators = [_number(match[g]) for g in ("num", "num2") if match.groupdict().get(g)] or [1.0]
    denominators = [_number(match[g]) for g in ("den", "den2") if match[g]]
    if min(denominators) <= max(numerators) or (match.groupdict().get("colon") and min(denominators) < 100):
        return None  # "1 in 1" is no share; "1:30" is a clock time or a mixing ratio, not a prevalence
    low, high = min(numerators) / max(denominators), max(numerators) / min(denominators)
    denominator = _rate_denominator(match, "den", "den2") if max(denominators) > 100 else ""
    return _share(match, text, low, high, _lookup_qualifier(match["qual"], _QUALIFIERS), denominator)


def _build_per(match: re.Match, text: str) -> Statistic | None:
    """"5.2 per 100,000 live births", "1.5-3 cases per million"."""
    denominator_value = _number(match["den"])
    low, high = _ordered(_number(match["lo"]) / denominator_value,
                         _number(match["hi"]) / denominator_value if match["hi"] else None)
    denominator = _rate_denominator(match, "den") if denominator_value > 100 else ""
    return _share(match, text, low, high, _lookup_qualifier(match["qual"], _QUALIFIERS), denominator)


def _build_count(match: re.Match, text: str) -> Statistic | None:
    if any(match[g] and _YEAR_LIKE.fullmatch(match[g]) for g in ("lo", "hi")):
        return None  # "in 2010 patients were ..."
    qualifier = _lookup_qualifier(match["qual"], _QUALIFIERS)
    low, high = _ordered(_number(match["lo"]), _number(match["hi"]) if match["hi"] else None)
    low, high = _apply_qualifier(low, high, qualifier, None)
    return _make(match, text, "count", low, high, "persons", qualifier, frequency_class="", period=_period(match, text))


def _duration_seconds(count: str, unit: str) -> tuple[float, float]:
    """("a few", "hours") -> (2 h, 4 h); ("a", "day") -> (1 day, 1 day)."""
    seconds = _SECONDS_PER_UNIT[unit.lower().rstrip("s")]
    low, high = _VAGUE_COUNTS.get(_normalise(count)) or ((1, 1) if count.lower() in ("a", "an") else (_number(count),) * 2)
    return low * seconds, high * seconds


def _spanning(ends: list[tuple[float, float]]) -> tuple[float, float]:
    """The interval a range states: from its lowest to its highest end, each end an interval itself."""
    return min(low for low, _ in ends), max(high for _, high in ends)


def _build_duration(match: re.Match, text: str) -> Statistic | None:
    """The interval spans every end the match states: "2-3 days to 2 weeks" has three, and
    "between a few hours and a day" two, each with its own unit; "to over an hour" leaves it open."""
    ends = [_duration_seconds(match["lo"], match["unit"])]
    if match["hi"]:
        ends.append(_duration_seconds(match["hi"], match["unit"]))
    if match["unit_of_hi"]:
        ends.append(_duration_seconds(match["hi_other_unit"], match["unit_of_hi"]))
    low, high = _spanning(ends)
    qualifier = _lookup_qualifier(match["qual"], _QUALIFIERS)
    low, high = _apply_qualifier(low, high, qualifier, None)
    if match["hi_open"]:
        high = None  # "from two minutes to over an hour": no upper bound
    return _make(match, text, "duration", low, high, "seconds", qualifier, frequency_class="")


def _age_years(count: str, unit: str | None) -> tuple[float, float]:
    """One end of an age in years ("6 weeks", "a few months"); an age without a unit is in years."""
    low, high = _duration_seconds(count, unit or "year")
    return low / _SECONDS_PER_UNIT["year"], high / _SECONDS_PER_UNIT["year"]


def _build_age(match: re.Match, text: str) -> Statistic | None:
    qualifier = _lookup_qualifier(match["qual"], _AGE_QUALIFIERS)
    if qualifier == "at least" and match["hi"]:
        qualifier = ""  # "from 3 to 8 months" states its upper end: a range, not open-ended
    if match["open"]:
        qualifier = "at most" if re.search(r"younger|under|below", match["open"], re.I) else "at least"
    ends = [_age_years(match["lo"], match.groupdict().get("unit_of_lo") or match["unit"])]  # "2 months to 5 years"
    if match["hi"]:
        ends.append(_age_years(match["hi"], match["unit"]))
    low, high = _spanning(ends)
    if high > 125:
        return None  # not a human age
    low, high = _apply_qualifier(low, high, qualifier, None)
    return _make(match, text, "age", low, high, "years", qualifier, frequency_class="")


def _decade_bounds(decade: str, part: str | None) -> tuple[int, int]:
    """Years covered by "30s" / "early thirties" / "late teens"."""
    decade = _normalise(decade).replace("'", "")
    base = _DECADE_WORDS.get(decade) or int(decade.rstrip("s"))
    low, high = (13, 19) if base == 10 else (base, base + 9)
    part = _normalise(part or "").rstrip("- ")
    return {"early": (low, low + 3), "mid": (low + 3, high - 3), "late": (high - 3, high)}.get(part, (low, high))


def _build_decade_age(match: re.Match, text: str) -> Statistic | None:
    low, high = _decade_bounds(match["decade"], match["part"])
    if match["decade2"]:
        high = _decade_bounds(match["decade2"], match["part2"])[1]
    return _make(match, text, "age", float(low), float(high), "years", "", frequency_class="")


def _build_frequency_word(match: re.Match, text: str) -> Statistic | None:
    if _NOT_A_FREQUENCY_AFTER.match(text, match.end()):
        return None  # "commonly used", "common bile duct", "often called", "rare or common"
    frequency_class, low, high = _frequency_words()[_normalise(match.group())]
    return _make(match, text, "frequency_word", low, high, "", "", frequency_class=frequency_class)


@lru_cache(maxsize=1)
def _frequency_words() -> dict[str, tuple[str, float, float]]:
    """phrase -> (frequency_class, value_low, value_high) from the one documented table."""
    with FREQUENCY_WORDS_PATH.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {_normalise(row["phrase"]): (row["frequency_class"], float(row["value_low"]), float(row["value_high"]))
                for row in rows}


def _build_elliptical_share(match: re.Match, text: str) -> Statistic:
    """The bare quantifier alone ("some" of ", and some have"), valued as its full form."""
    phrase = ELLIPTICAL_SHARES[_normalise(match["share"])]
    if phrase in _VAGUE_SHARES:
        low, high, qualifier = _VAGUE_SHARES[phrase]
        return _make(match, text, "proportion", low, high, "proportion", qualifier, "share",
                     frequency_class=_frequency_class(low, high, qualifier))
    frequency_class, low, high = _frequency_words()[phrase]
    return _make(match, text, "frequency_word", low, high, "", "", "share", frequency_class=frequency_class)


@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern, Callable[[re.Match, str], Statistic | None]], ...]:
    between_or_range = rf"(?:(?(between){_S}and{_S}|{_RANGE_SEP}))"

    def age_range(first: str, separator: str) -> str:
        """An age or a range of ages whose first end may carry its own unit ("2 months to 5 years")."""
        return rf"(?P<lo>{first})(?:(?:{_S}(?P<unit_of_lo>{_AGE_UNITS}))?{separator}(?P<hi>{_NUMBER}))?"

    fraction = rf"(?:(?:(?:a|one|two|three|four){_DASH}?\s{{0,3}})?half|(?:a|one|two|three|four)(?:{_DASH}|{_S})(?:thirds?|quarters?|fourths?|fifths?|tenths?))"
    specs = (
        (rf"{_START}{_LEADING_QUALIFIER}(?P<between>between{_S})?(?:from{_S})?(?P<lo>{_NUMBER}){_PERCENT}?"
         rf"(?:{between_or_range}(?P<hi>{_NUMBER}))?{_PERCENT}", _build_percent),
        (rf"{_START}{_LEADING_QUALIFIER}(?P<between>between{_S})?(?:(?P<fraction_low>{fraction}){between_or_range})?"
         rf"(?P<fraction>{fraction})\b(?={_OF_PEOPLE})", _build_fraction),
        (rf"\b{_alternation(_VAGUE_SHARES)}\b{_PEOPLE_FOLLOW}", _build_vague_share),
        (_ELLIPTICAL_SHARE, _build_elliptical_share),
        (rf"{_START}{_LEADING_QUALIFIER}(?P<num>{_NUMBER})(?:{_RANGE_SEP}(?P<num2>{_NUMBER}))?{_S}(?:in|out{_S}of|of{_S}every)(?:{_S}(?:every|each))?{_S}"
         rf"(?P<den>{_NUMBER})(?:{_RANGE_SEP}(?:(?:1|one){_S}in{_S})?(?P<den2>{_NUMBER}))?"
         rf"(?:{_S}(?P<pop>{_POPULATION})\b)?{_TRAILING_PERIOD}", _build_ratio),
        (rf"{_START}{_LEADING_QUALIFIER}(?P<colon>1:)(?P<den>{_DIGITS})(?:{_RANGE_SEP}1:(?P<den2>{_DIGITS}))?"
         rf"(?:{_S}(?P<pop>{_POPULATION})\b)?{_TRAILING_PERIOD}", _build_ratio),
        (rf"{_START}{_LEADING_QUALIFIER}(?P<lo>{_NUMBER})(?:{_RANGE_SEP}(?P<hi>{_NUMBER}))?"
         rf"(?:{_S}(?:new{_S})?cases?)?{_S}per{_S}(?P<den>{_NUMBER}|{_MULTIPLIER})"
         rf"(?:{_S}(?P<pop>{_POPULATION})\b)?{_TRAILING_PERIOD}", _build_per),
        (rf"{_START}{_LEADING_QUALIFIER}(?P<lo>{_COUNT_NUMBER})(?:{_RANGE_SEP}(?P<hi>{_COUNT_NUMBER}))?{_S}"
         rf"(?:(?:affected|new|reported|known|living|diagnosed|older|young|younger|adult){_S})?"
         rf"{_PERSON_NOUNS}\b{_TRAILING_PERIOD}", _build_count),
        (rf"{_START}(?<!ages )(?<!aged ){_LEADING_QUALIFIER}(?P<between>between{_S})?(?P<lo>{_NUMBER}|{_VAGUE_COUNT})"
         rf"(?:{between_or_range}(?P<hi>{_NUMBER}))?{_S}(?P<unit>{_DURATION_UNIT})\b"
         rf"(?:{between_or_range}(?P<hi_open>(?:over|more{_S}than|longer{_S}than){_S})?(?P<hi_other_unit>{_NUMBER}|an?\b|{_VAGUE_COUNT}){_S}"
         rf"(?P<unit_of_hi>{_DURATION_UNIT})\b)?"
         # "between" opens only a range, and a figure "of age"/"old" is an age, however it starts
         rf"(?(between)(?(hi)|(?(unit_of_hi)|(?!))))(?!{_S}(?:of{_S}age|old)\b)", _build_duration),
        (rf"{_START}(?:(?P<qual>{_AGE_QUALIFIER}){_S})?(?:the{_S})?(?:ages?|aged)(?:{_S}of)?{_S}"
         rf"{age_range(_NUMBER, rf'(?:{_RANGE_SEP}|{_S}and{_S})')}(?:{_S}{_AGE_UNIT})?(?:{_S}(?:old|of{_S}age)\b)?"
         rf"{_OPEN_AGE_END}", _build_age),
        # a vague count only where a unit must follow: "a few months old", never "aged several"
        (rf"{_START}(?:(?P<between>between{_S})|(?P<qual>{_AGE_QUALIFIER}){_S})?{age_range(rf'{_NUMBER}|{_VAGUE_COUNT}', between_or_range)}"
         rf"(?:{_S}|{_DASH}){_AGE_UNIT}(?:{_S}|{_DASH})(?:old|of{_S}age)\b{_OPEN_AGE_END}", _build_age),
        (rf"{_START}(?P<qual>)(?P<lo>{_NUMBER})(?P<hi>)(?:{_S}{_AGE_UNIT})?"
         rf"(?P<open>{_S}(?:and|or){_S}(?:older|over|above|younger|under)\b)", _build_age),
        (rf"\bin{_S}(?:their|his|her|your|one's|its){_S}(?P<part>{_DECADE_PART})(?P<decade>{_DECADE})"
         rf"(?:{_S}(?:and|or|to|through){_S}(?P<part2>{_DECADE_PART})(?P<decade2>{_DECADE}))?", _build_decade_age),
        # zero-width tests commute: \b first (it fails fastest), then the letters the phrases begin
        # with, so that the six lookbehinds run only where a phrase can start (a third less scanning)
        (rf"\b{_first_letters(_frequency_words())}(?<!\bin\s)(?<!\bor\s)(?<!more\s)(?<!less\s)(?<!least\s)(?<!how\s)"
         rf"{_alternation(_frequency_words())}\b", _build_frequency_word),
    )
    return tuple((re.compile(pattern), build) for pattern, build in specs)


# Substrings one of which every match of the pattern at the same index of _patterns() contains
# (in the lower-cased text); a text with none of them skips the pattern (None: always run).
_REQUIRED_SUBSTRINGS: tuple[tuple[str, ...] | None, ...] = (
    ("%", "cent"),  # percent: _PERCENT ends every match
    ("half", "third", "quarter", "fourth", "fifth", "tenth"),  # fraction
    ("most", "majority", "minority", "all"),  # vague share
    ("some", "many", "most"),  # elliptical share: "…, and some have"
    None,  # "1 in 5" ratio: needs only a number and "in"/"of"
    ("1:",),  # "1:25,000" ratio
    ("per",),  # "5 per 100,000"
    ("people", "person", "individual", "patient", "case", "american", "adult", "child", "kid", "men", "boy", "girl",
     "bab", "infant", "newborn", "male", "resident", "sufferer"),  # count: _PERSON_NOUNS ends every match
    ("sec", "min", "hour", "hr", "day", "week", "month", "year"),  # duration: the unit
    ("age",),  # "aged 40", "ages 2 to 5"
    ("old", "age"),  # "40 years old", "40 years of age"
    ("older", "over", "above", "younger", "under"),  # "65 and older"
    ("their", "his", "her", "your", "one's", "its"),  # "in their 30s"
    None,  # frequency words
)
# True where every match of the pattern contains a number (a digit, a number word, a
# multiplier, "few"/"several", a decade word): such patterns run only in windows around
# numbers (a third of MedQuAD's text) instead of over the whole text.
_ANCHORED = (True, False, False, False, True, True, True, True, True, True, True, True, True, False)
_NUMBER_ANCHOR = re.compile(
    rf"\d+|\b(?=[a-z]){_alternation([*_WORD_NUMBERS, *_MULTIPLIERS, *_VAGUE_COUNTS, *_DECADE_WORDS])}\b"
)


def _reach(pattern: str) -> int:
    """Most characters a match and its lookaheads can span: the greatest width of the pattern
    with its lookaheads turned into consuming groups (every repetition is bounded)."""
    from re import _parser  # the stdlib's own regex parser: re has no public width API

    return _parser.parse(pattern.replace("(?=", "(?:").replace("(?!", "(?:")).getwidth()[1]


# Where the first number of an anchored pattern begins; what precedes it (qualifier,
# "between", "aged", "in their early") is the most a match can start before its first anchor.
_FIRST_NUMBER = re.compile(r"\(\?P<(?:lo|num|colon|decade)>")
# ... plus what a number can hold before its own anchor: "a" and up to 3 blanks in "a hundred".
_NUMBER_LEAD = 4


def _lead(pattern: str) -> int:
    """Most characters a match of an anchored pattern can start before the first anchor it contains."""
    return _reach(pattern[:_FIRST_NUMBER.search(pattern).start()]) + _NUMBER_LEAD


@lru_cache(maxsize=1)
def _reaches() -> tuple[tuple[int, int], ...]:
    """(lead, reach) of each pattern; lead 0 for the patterns that are not anchored."""
    return tuple((_lead(pattern.pattern) if anchored else 0, _reach(pattern.pattern))
                 for (pattern, _), anchored in zip(_patterns(), _ANCHORED, strict=True))


def _windows(anchors: list[tuple[int, int]], lead: int, reach: int, length: int) -> Iterator[tuple[int, int]]:
    """Merged spans from ``lead`` characters before each anchor to ``reach`` after it: a match
    starts at most ``lead`` before the first anchor it contains and spans at most ``reach``,
    lookaheads included, so a scan of the windows finds exactly the matches of a scan of
    the whole text (lookbehinds still see before a window)."""
    window: tuple[int, int] | None = None
    for first, last in anchors:
        if window is not None and first - lead <= window[1]:
            window = (window[0], min(length, last + reach))
            continue
        if window is not None:
            yield window
        window = (max(0, first - lead), min(length, last + reach))
    if window is not None:
        yield window


# --- public API -------------------------------------------------------------------------

def _candidates(text: str) -> Iterator[Statistic]:
    lowered = text.translate(_ASCII_LOWER)
    anchors: list[tuple[int, int]] | None = None
    for (pattern, build), required, anchored, (lead, reach) in zip(_patterns(), _REQUIRED_SUBSTRINGS, _ANCHORED, _reaches(), strict=True):
        if required is not None and not any(part in lowered for part in required):
            continue  # the pattern cannot match (and scanning the text for it costs ~1 us a word)
        if anchored:
            if anchors is None:
                anchors = [match.span() for match in _NUMBER_ANCHOR.finditer(lowered)]
            matches = (m for start, end in _windows(anchors, lead, reach, len(lowered)) for m in pattern.finditer(lowered, start, end))
        else:
            matches = pattern.finditer(lowered)
        for match in matches:
            statistic = build(match, text)
            if statistic is not None:
                yield statistic


def _longest_non_overlapping(candidates: list[Statistic]) -> list[Statistic]:
    """Left-to-right sweep; of two overlapping candidates the longer one stays."""
    chosen: list[Statistic] = []
    for candidate in sorted(candidates, key=lambda s: (s.start, s.start - s.end)):
        if chosen and candidate.start < chosen[-1].end:
            if candidate.end - candidate.start > chosen[-1].end - chosen[-1].start:
                chosen[-1] = candidate
            continue
        chosen.append(candidate)
    return chosen


def is_hedge_adverb(statistic: Statistic) -> bool:
    """ "usually", "often", "typically": a frequency word that qualifies its clause's verb."""
    phrase = _normalise(statistic.text)
    return statistic.kind == "frequency_word" and (phrase.endswith("ly") or phrase in _HEDGE_ADVERBS_NOT_IN_LY)


def _without_hedges_of_figures(statistics: list[Statistic], text: str) -> list[Statistic]:
    """Drop "usually"/"often" when it qualifies the figure right after it, not a frequency."""
    kept = []
    for statistic, following in zip(statistics, statistics[1:] + [None]):
        if (following is not None and following.kind != "frequency_word" and is_hedge_adverb(statistic)
                and _SHORT_GAP.fullmatch(text, statistic.end, following.start)):
            continue
        kept.append(statistic)
    return kept


def find_statistics(text: str) -> list[Statistic]:
    """All statistics in ``text``, sorted by start, non-overlapping (the longest wins)."""
    return _without_hedges_of_figures(_longest_non_overlapping(list(_candidates(text))), text)
