"""Tokenizer and token normalization shared by the lexicon builder and the matcher.

Both sides must tokenize and normalize identically, otherwise a term compiled into the
lexicon can never be found in text; that is the only reason this module exists.
"""
from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache
from types import SimpleNamespace
from typing import Callable, Iterable

import spacy
from scispacy.custom_tokenizer import combined_rule_tokenizer
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from extractors.extensions import remember_text

# scispaCy's tokenizer regexes trip a FutureWarning in Python 3.11's re module when they are
# compiled (here, whoever builds the tokenizer): noise.
warnings.filterwarnings("ignore", message="Possible set union", category=FutureWarning)

# Distinct words each normalization memo keeps (least recently used first out). ~450 bytes a
# word in the three memos together, so they hold at most ~35 MB in a process however many
# distinct words a corpus brings. MedQuAD has 41,608, and building the lexicon (in another
# process than the extraction's) normalizes 30,523.
WORDS_REMEMBERED = 65_536

# Tokens that carry no meaning for matching: "Sjogren's" ~ "Sjogren", "X-linked" ~ "X linked".
_SKIPPED = frozenset({"'s", "'", "-", "–", "—", "s'"})
_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-"})
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
# Roman numerals are converted only after these words ("type II" ~ "type 2"); elsewhere
# "i", "v", "x" are ordinary words or letters.
_NUMBERED = frozenset({"type", "grade", "stage", "class", "group", "factor", "form"})
# Singular endings in "s" ("illness", "nevus", "psychosis"). Not "as": MedQuAD has 1,633
# "-omas" and "-ias" plurals ("schwannomas", "hernias"), and its few singulars ("pancreas",
# "hypospadias") lose their "s" in the lexicon's terms as in the text, so they still match.
_KEEP_S = ("ss", "us", "is", "ys", "os")


# spaCy's prefix/suffix search is quadratic in the length of one whitespace-free run: a
# 50,000-character run takes minutes. Such runs (binary junk, base64, ASCII art) are kept
# as single tokens instead; they carry no terms.
MAX_RUN_CHARS = 1_000
_LONG_RUN = re.compile(r"\S{%d,}" % MAX_RUN_CHARS)


class LongRunGuard:
    """scispaCy's tokenizer, except that whitespace-free runs over MAX_RUN_CHARS are one token.

    The Doc's text is the input text unchanged, so character offsets stay valid."""

    def __init__(self, tokenizer: Tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if len(text) < MAX_RUN_CHARS or not _LONG_RUN.search(text):
            return remember_text(self.tokenizer(text), text)
        parts, position = [], 0
        for run in _LONG_RUN.finditer(text):
            if run.start() > position:
                parts.append(self.tokenizer(text[position:run.start()]))
            parts.append(Doc(self.tokenizer.vocab, words=[run.group()], spaces=[False]))
            position = run.end()
        if position < len(text):
            parts.append(self.tokenizer(text[position:]))
        return remember_text(Doc.from_docs(parts, ensure_whitespace=False), text)

    def pipe(self, texts, batch_size: int = 1000):
        for text in texts:
            yield self(text)

    def __getattr__(self, name):  # vocab, rules, explain(), ... of the wrapped tokenizer
        return getattr(self.tokenizer, name)


# A footnote number glued to a word's closing punctuation ("… of people with celiac disease.3
# Men with …": 190 times in MedQuAD's NIDDK answers) is split off, so the word and the sentence
# end are found; not a decimal ("2.5") or an abbreviation of one letter ("p.3")
_FOOTNOTE_NUMBER = r"(?<=[A-Za-z]{2}[.,;:])\d{1,3}$"


def make_tokenizer(nlp: Language) -> LongRunGuard:
    """scispaCy's rule tokenizer (keeps chemical names, hyphenated and parenthesised terms
    intact) that also splits off footnote numbers, guarded against pathological
    whitespace-free runs. ``nlp`` needs no tokenizer of its own: of it scispaCy reads only the
    vocabulary, the language's defaults and the token_match its tokenizer takes from them."""
    language = SimpleNamespace(vocab=nlp.vocab, Defaults=nlp.Defaults, tokenizer=SimpleNamespace(token_match=nlp.Defaults.token_match))
    tokenizer = combined_rule_tokenizer(language)
    tokenizer.suffix_search = re.compile(f"{_FOOTNOTE_NUMBER}|{tokenizer.suffix_search.__self__.pattern}").search
    return LongRunGuard(tokenizer)


TOKENIZER = "symptom_claims.Tokenizer.v1"  # make_tokenizer, as spaCy's config names it


@spacy.registry.tokenizers(TOKENIZER)
def _tokenizer_factory() -> Callable[[Language], LongRunGuard]:
    return make_tokenizer


def blank_english() -> Language:
    """``spacy.blank("en")`` with :func:`make_tokenizer`'s tokenizer in place of English's
    default, which a blank pipeline otherwise builds first only to have it replaced (~0.2 s
    of CPU in every process that builds the pipeline). The config names the tokenizer
    :data:`TOKENIZER`: a pipeline saved with ``to_disk`` loads where this module is imported."""
    return spacy.blank("en", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER}}})


@lru_cache(maxsize=WORDS_REMEMBERED)
def normalize_token(text: str) -> str:
    """Lowercase, fold diacritics and quotes, reduce plural and -ing/-ed endings.

    The stemming is deliberately light and symmetric (applied to lexicon terms and text alike),
    so "spasms" ~ "spasm", "twitching"/"twitches"/"twitched" ~ "twitch", "tremors" ~ "tremor", "aches" ~ "ache".
    Short words (<= 3 letters) are never stemmed: "ms", "gas", "flu".
    """
    word = text.translate(_QUOTES).lower()
    if not word.isascii():
        word = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode("ascii")
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(_KEEP_S):
        word = word[:-1]
    if word.endswith("che"):
        word = word[:-1]  # "ache" as "aches" -> "ach" (the "-ches" rule above): "muscle aches" ~ "muscle ache"
    if word.endswith("ing") and len(word) > 6:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 5:
        word = word[:-2]
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "lsaeiou":
        word = word[:-1]  # "twitching" -> "twitch", "stopped" -> "stop"
    return word


_HYPHEN = re.compile(r"[-/]")


@lru_cache(maxsize=WORDS_REMEMBERED)
def _split_forms(word: str) -> tuple[str, ...]:
    """Normalized forms of one word: none for "-" or "'s", one per part of a hyphenated word."""
    if word in _SKIPPED:
        return ()
    parts = _HYPHEN.split(word) if len(word) > 1 and ("-" in word or "/" in word) else (word,)
    forms = []
    for part in parts:
        if part and part not in _SKIPPED:
            forms.append(normalize_token(part[:-2] if part.endswith("'s") and len(part) > 2 else part))
    return tuple(forms)


@lru_cache(maxsize=WORDS_REMEMBERED)
def word_forms(word: str) -> tuple[str, ...]:
    """A word's forms in the matching stream, Roman numerals inside it already converted
    ("type-II" -> "type", "2"); whether its first form converts depends on the word before
    (:func:`forms_after`)."""
    forms = list(_split_forms(word))
    for position in range(1, len(forms)):
        if forms[position - 1] in _NUMBERED:
            forms[position] = _ROMAN.get(forms[position], forms[position])
    return tuple(forms)


def numbered_forms(forms: tuple[str, ...]) -> tuple[str, ...]:
    """A word's forms after "type", "stage", "grade", ...: a Roman numeral is a number there
    ("type II" ~ "type 2"); elsewhere "i", "v", "x" are ordinary words or letters."""
    if forms and forms[0] in _ROMAN:
        return (_ROMAN[forms[0]], *forms[1:])
    return forms


def forms_after(previous: str, forms: tuple[str, ...]) -> tuple[str, ...]:
    """A word's forms when the stream's previous form is ``previous`` (:func:`numbered_forms`
    after a numbering word)."""
    return numbered_forms(forms) if previous in _NUMBERED else forms


def may_be_numbered(form: str) -> bool:
    """Whether :func:`forms_after` can change a word that starts with ``form``."""
    return form in _ROMAN


def normalize_tokens(words: Iterable[str]) -> list[tuple[str, int]]:
    """Normalized stream of (form, index of the source word) for matching.

    Hyphenated words are split ("X-linked" -> "x", "linked") and possessive/hyphen tokens
    dropped, so spelling variants of one name produce one key; the index maps a match back
    to the words it covers.
    """
    stream: list[tuple[str, int]] = []
    previous = ""
    for index, word in enumerate(words):
        forms = forms_after(previous, word_forms(word))
        if forms:
            stream.extend((form, index) for form in forms)
            previous = forms[-1]
    return stream
