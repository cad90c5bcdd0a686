"""The subtype of a condition that a claim is about, as the text names it.

A figure said of one form of a disease is not a figure of the whole disease: "In type 2 Gaucher
disease, symptoms usually begin by 3 months of age", "Children with the mild type of
carnitine-acylcarnitine translocase deficiency usually start having symptoms before age
three", "Most people with the severe form of the disorder also have dysostosis multiplex", "The
adult form commonly begins after age 16". The terminology maps such a mention to the parent
concept (there is rarely a concept per form, and never per "mild type"), so the claim builder
keeps the subtype in the claim's population ("people with type 2", "children with the mild
type", "people with the early-onset form"): the claim stays apart from the whole disease's
claims in deduplication, and a conflict never pairs a subtype's figure with the whole
disease's (claims.conflicts compares equal populations only).

Three places name a subtype, read in this order:

* words fused to the front of the condition's own mention in the claim's sentence: a numbered
  type ("type 2 Gaucher disease", "Type II spinal muscular atrophy", "type 1 or type 4
  hemochromatosis"), an onset or class ("early-onset Alzheimer disease", "Late-onset familial
  Alzheimer disease", "classical PKAN"), or a determined form, type or variant of it ("the mild type of <C>", "the
  cerebral form of <C>", "This form of DRD");
* a determined form of the page's condition named by anaphor, the one nearest the claim
  ("Males with the non-classic form of this condition", "with the severe form of the
  disorder"), or one that opens the sentence as its subject or setting, of nothing named after
  it ("The adult form commonly begins after age 16", "In the infantile form, ...");
* words fused to the condition's mention in an earlier sentence, which the claim's condition
  was taken from ("... this type of non-Hodgkin lymphoma. Swollen lymph nodes are a common
  sign.").

"this" points back to a form; "the", "that" and "its" determine one only with a word that
names it ("the mild type", not "Depending on the type of mucopolysaccharidosis"). A form with
no determiner is none: "a rare form of skeletal dysplasia" classifies the subject, "all types
of anemia" and "the different forms of" name no one form.
Roman type numbers are written in Arabic ("type II" -> "type 2"), so the two spellings are
one population.
"""
from __future__ import annotations

import re
from functools import lru_cache

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}
# a Roman numeral only in capitals: "type in" is no type
_TYPE_NUMBER = r"(?:[0-9]{1,2}[A-Za-z]?|(?-i:[IVX]{1,4}[A-Z]?))"
_NUMBERED_TYPES = r"types?\s{1,3}" + _TYPE_NUMBER + r"(?:\s{1,3}(?:and|or)\s{1,3}(?:type\s{1,3})?" + _TYPE_NUMBER + r")?"
_NUMBERED_TYPE = re.compile(r"\b(?P<subtype>" + _NUMBERED_TYPES + r")\s{1,3}$", re.IGNORECASE)
# an onset or a class fused to a name: "early-onset Alzheimer disease", "classical PKAN"
_FORM_ADJECTIVES = (r"(?:(?:very\s{1,3})?(?:early|late|adult|juvenile|childhood|infantile|neonatal|adolescent)[- ]onset"
                    r"|(?:non-?)?classic(?:al)?|atypical)")
_ADJECTIVE_QUALIFIERS = r"(?:,?\s{1,3}(?:familial|sporadic|primary|autosomal\s{1,3}(?:dominant|recessive)))?"
_FORM_ADJECTIVE = re.compile(r"\b(?P<adjective>" + _FORM_ADJECTIVES + r")" + _ADJECTIVE_QUALIFIERS + r"\s{1,3}$", re.IGNORECASE)
# words that, after "the", count or contrast forms instead of naming one
_NOT_A_FORM_NAME = r"(?!(?:same|other|different|various|several|many|all|both|each|every|any|certain|main|two|three|four)\b)"
_WORD = r"[\w-]{1,20}\s{1,3}"
_KIND = r"(?:form|type|variant|subtype)"
# "this form" points back to one; "the type of <C>" names none ("Depending on the type of
# mucopolysaccharidosis"): after "the", "that" or "its" a word must name the form
_DETERMINED_FORM = (
    r"\b(?:this\s{1,3}(?P<pointed>(?:" + _WORD + r"){0,2}" + _KIND + r")"
    r"|(?:the|that|its)\s{1,3}" + _NOT_A_FORM_NAME + r"(?P<named>(?:" + _WORD + r"){1,2}" + _KIND + r"))"
)
# the words that name a subtype between a population's "with" and its condition's name,
# optional: "with the mild type of ", "with type 1 or type 4 ", "with early-onset ", "with classical "
FORM_OF = (r"(?:(?:this\s{1,3}(?:" + _WORD + r"){0,2}|(?:the|that|its)\s{1,3}(?:" + _WORD + r"){1,2})" + _KIND + r"\s{1,3}of\s{1,3}"
           r"|" + _NUMBERED_TYPES + r"\s{1,3}|" + _FORM_ADJECTIVES + _ADJECTIVE_QUALIFIERS + r"\s{1,3})?")
_FORM_OF_MENTION = re.compile(_DETERMINED_FORM + r"\s{1,3}of\s{1,3}(?:the\s{1,3})?$", re.IGNORECASE)
_FORM_OF_ANAPHOR = re.compile(
    _DETERMINED_FORM + r"\s{1,3}of\s{1,3}(?:this|that|the)\s{1,3}(?:condition|disorder|disease|syndrome)\b", re.IGNORECASE
)
# (matched at a sentence's start: no "^", which would not match there)
_FORM_OPENING = re.compile(r"\s{0,3}(?:in\s{1,3})?" + _DETERMINED_FORM + r"\b(?!\s{0,3}of\b)", re.IGNORECASE)
# how far before a mention its fused words can start ("the autosomal dominant form of ")
_PREFIX_CHARS = 60


def subtype_named(text: str, sentence: tuple[int, int], condition_start: int | None, claim_start: int) -> str:
    """The subtype the claim whose words start at ``claim_start`` is about, normalized ("type 2",
    "the early-onset form", "the mild type", "this form"), or "" when the text names none.
    ``sentence`` is the claim's sentence's (start, end); ``condition_start`` where the claim's
    condition mention starts (None: no mention)."""
    start, end = sentence
    fused = fused_form(text, condition_start) if condition_start is not None else None
    if fused is not None and start <= condition_start < end:
        return fused
    anaphors, opening = _sentence_forms(text, start, end)
    if anaphors:  # the anaphor nearest the claim's words: "Most people with the severe form of the disorder have"
        return min(anaphors, key=lambda anaphor: abs(anaphor[0] - claim_start))[1]
    # else the form of a condition named in an earlier sentence ("... this type of NHL. Swollen
    # lymph nodes are a common sign.")
    return opening or fused or ""


# A sentence's claims share its forms, and a page's claims their condition's mention: a GARD
# table is one sentence of a hundred claims, each of which would scan it again.
@lru_cache(maxsize=64)
def _sentence_forms(text: str, start: int, end: int) -> tuple[tuple[tuple[int, str], ...], str | None]:
    """The forms the sentence names by anaphor, as (offset, subtype) pairs, and the form that
    opens it (None: none)."""
    anaphors = tuple((found.start(), _normalized(found)) for found in _FORM_OF_ANAPHOR.finditer(text, start, end))
    opening = _FORM_OPENING.match(text, start, end)
    return anaphors, _normalized(opening) if opening else None


@lru_cache(maxsize=256)
def fused_form(text: str, condition_start: int) -> str | None:
    """The form named by the words fused to the front of the condition mention at
    ``condition_start`` ("type 2", "the early-onset form", "this type"), else None."""
    before = text[max(0, condition_start - _PREFIX_CHARS):condition_start]
    for pattern in (_NUMBERED_TYPE, _FORM_ADJECTIVE, _FORM_OF_MENTION):
        if found := pattern.search(before):
            return _normalized(found)
    return None


def with_subtype(population: str, subtype: str) -> str:
    """The population narrowed to the subtype: ("children", "the mild type") -> "children with the
    mild type"; an unstated population is people."""
    return f"{population or 'people'} with {subtype}" if subtype else population


def _normalized(found: re.Match) -> str:
    """"type 2", "the mild type", "this form"; an onset or class as the form it names ("the
    early-onset form")."""
    groups = found.re.groupindex
    if "adjective" in groups:
        words = found.group("adjective")
    elif "named" in groups:
        words = found.group("named") or found.group("pointed")
    else:
        words = found.group("subtype")
    subtype = re.sub(r"\s+", " ", words).lower()
    subtype = re.sub(r"\b(type )([ivx]{1,4})\b", lambda m: f"{m.group(1)}{_ROMAN.get(m.group(2), m.group(2))}", subtype)
    subtype = re.sub(r"\b(early|late|adult|juvenile|childhood|infantile|neonatal|adolescent) onset\b", r"\1-onset", subtype)
    subtype = re.sub(r"\b(?:non-?)?classical\b", lambda m: m.group(0)[:-2], subtype)  # "classical PKAN" is the classic form
    if "adjective" in groups:
        return f"the {subtype} form"
    if "named" in groups:
        return f"{'the' if found.group('named') else 'this'} {subtype}"
    return subtype
