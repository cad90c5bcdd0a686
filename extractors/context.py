"""ConText-style attributes for mentions: negated, hedged, hypothetical, other person.

Implements the ConText algorithm (Harkema et al., J Biomed Inform 2009): cue phrases from
``resources/context_rules.tsv`` open a scope that runs forward, backward or both ways from
the cue until a clause terminator or the sentence end. A list bullet (" - " between items,
"•", a line break), a subordinate clause ("because", "until", "if", ", leading to") or a
second verb after "and" ("cannot bind oxygen and causes cyanosis") ends a negation like ";"
does (a hedge or condition before a list covers the list), a negation in a relative or
subordinate clause (", which does not hurt or itch,", "If levels do not drop,") ends at its
comma, and one before a gloss at the gloss ("no spleen (asplenia)" names a finding
that is present). A cue inside a parenthesis scopes over that parenthesis only. "not" in a
cue also matches it fused to its verb ("doesn't", "can't", "cannot"). A negation
scope is also cut after a NegEx-sized window of tokens either side (Chapman et al. 2001),
and the scope of a nominal cue ("absence of", "lack of") at the end of its noun phrase: a
comma, a parenthesis glossing it or its verb. So "no fever, chills, or cough" still denies
the three items (they follow the cue in one clause, within the window) while "lack of
energy, constipation" does not deny constipation. A cue inside an entity is part of that
term ("lack of energy" is HPO lethargy), not a cue. Pseudo-cues ("not only", "no one", "not
enough", "with or without", and negated verbs of a finding's course or response, "does not
go away", "do not respond", or of what is done or known about it, "cannot prevent", "do not
know") block the cues they overlap. Every entity in ``doc.ents`` and
every statistic in ``doc.spans["statistics"]`` whose start lies in a scope gets the matching
``span._`` flag.

Own rules rather than negspacy: negspacy covers negation only, while claims also need
hedging, hypotheticals and experiencer, and one cue table keeps all four consistent.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import resources

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.extensions import STATISTICS_KEY, document_text, sentences, set_span_values

CATEGORIES = ("negated", "hedged", "hypothetical", "other_person")
NEGATION_WINDOW_TOKENS = 8
# A clause ends at ; : or a comma/word that turns the sentence ("..., but", "however"), or a
# comma before a new quantified subject ("some patients may not have symptoms, most patients
# have stomach pain").
_TERMINATOR = re.compile(
    r"[;:]|,\s*(?:but|however|although|though|yet|while|whereas|which|who|except|so|most|many|others)\b"
    r"|\b(?:but|however|although|though|except)\b",
    re.IGNORECASE,
)
# A list bullet (" - " between items, "•", a line break) ends a negation: "UTI symptoms can
# include - fever - not eating - nausea" denies eating only. A hedge or a condition before the
# list covers all of it ("Seek care quickly if you have - A sudden fever - A severe headache").
_LIST_BULLET = re.compile(r"[\n•]|\s-\s")
# A subordinate or participle clause ends a negation too: what it says is not denied ("a biopsy
# cannot be done safely because of where the tumor formed", "signs usually don't occur until
# they're 40 to 60 years old", "the cells cannot absorb fructose normally, leading to bloating",
# "the displaced lens cannot focus light correctly, contributing to the vision problems").
_SUBORDINATOR = r"\b(?:because|until|unless|if|whether|when)\b"
_SUBORDINATE_CLAUSE = re.compile(
    _SUBORDINATOR + r"|,\s{0,3}(?:[a-z]{1,15}\s{1,3})?(?:leading|causing|resulting|contributing|producing|triggering)\b",
    re.IGNORECASE,
)
# A second verb joined by "and" ends a negation before it ("the ferric iron cannot bind oxygen
# and causes cyanosis", "may have no symptoms and is often found by chance"), where a list of
# findings ("do not have fever and cough") goes on denying. It only ends one: a cue after it is
# in the clause it continues ("Zinc, which blocks … and causes no serious side effects, is …"
# ends at the relative clause's comma).
_COORDINATED_VERB = re.compile(
    r"\band\s{1,3}(?:is|are|was|were|can|may|might|could|will|would|causes?|leads?|results?)\b", re.IGNORECASE
)
# A nominal cue heads a noun phrase, which ends at a comma (the next item of a list: "lack of
# muscle control, blindness"), at a parenthesis glossing it ("absence of the sense of smell
# (anosmia)") or at its verb ("a lack of pyridoxine causes the seizures"; the verbs that follow
# "lack of"/"absence of" phrases in MedQuAD, as no tagger gives parts of speech).
_NOUN_PHRASE_END = re.compile(
    r"[,(]|\b(?:is|are|was|were|can|may|might|could|will|would"
    r"|causes?|leads?|results?|affects?|prevents?|means|contributes?|makes?)\b",
    re.IGNORECASE,
)

# A negation ends at a parenthesis glossing what it denies: the gloss names the absence as a
# finding, present ("have no spleen (asplenia) or multiple small, poorly functioning spleens",
# "eyes that do not look in the same direction (strabismus) and farsightedness"). A parenthesis
# listing items ("do not have B symptoms (fever, weight loss, or night sweats)") is no gloss.
_GLOSS_OPENING = re.compile(r"\((?=[^(),;]{1,60}\))")
# A non-restrictive relative clause (", which does not ...", ", who do not ...", opened at a
# _TERMINATOR) and a subordinate clause put first ("If your CPAP isn't adjusted properly, you may
# get stomach bloating") end at their comma: a negation in one denies the clause's content only
# ("The rash, which generally does not hurt or itch, often appears ..."). So does a concession
# put first, which its capital tells ("Although this virus generally causes no signs or symptoms,
# … some affected people may later develop … chronic lung infections"); not one that follows
# its clause, whose list a comma would cut (", though it does not reduce pain, bloating, or …").
_COMMA_CLOSED_CLAUSE_OPENING = re.compile(r",\s{0,3}(?:which|who)\b|(?P<concession>(?-i:Although|Though|Whereas|While))\b|" + _SUBORDINATOR,
                                          re.IGNORECASE)

# "not" written fused to the verb before it: "doesn't", "isn't", "won't", "can’t", "cannot"
# (spaCy splits "does" + "n't", "can" + "not", but the text the cues are matched on keeps them)
_FUSED_NOT = r"(?<=[a-z])n['’]t|(?<=\bcan)not"


@dataclass(frozen=True)
class Cue:
    phrase: str
    category: str
    direction: str


def load_cues() -> list[Cue]:
    """Read the cue table shipped with the package."""
    text = resources.files("extractors.resources").joinpath("context_rules.tsv").read_text("utf-8")
    cues = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            phrase, category, direction = line.split("\t")
            cues.append(Cue(phrase, category, direction))
    return cues


# Where a cue ends: at a word boundary, and not before "'t", so that the hedge "can" is not the
# "ca" of "can't".
_CUE_END = r"\b(?!['’]t)"


def _word_regex(word: str, first: bool) -> str:
    """One word of a cue: on a word boundary if first, else after any whitespace; ' matching '
    and ’. "not" also matches its fused forms (``_FUSED_NOT``), which take the place of the
    whitespace before it: "doesn't go away" is the pseudo-cue "not go away", "isn't present"
    the cue "is not present", "cannot" and "can't" the cue "not"."""
    separator = (r"\b" if word[0].isalnum() else "") if first else r"\s+"
    written = separator + re.escape(word).replace("'", "['’]")
    return f"(?:{written}|{_FUSED_NOT})" if word == "not" else written


def _phrase_regex(phrase: str) -> str:
    """The cue, word by word (:func:`_word_regex`), to its end."""
    return "".join(_word_regex(word, index == 0) for index, word in enumerate(phrase.split(" "))) + _CUE_END


def _cue_trie(ordered: list[Cue]) -> str:
    """The cues of ``ordered`` (lower-cased) as one regex over their words' trie, each ending in
    the empty group ``c<index>``: it finds what the alternation of :func:`_cue_pattern` finds
    (a longer cue before the shorter one it continues; two cues that do not continue each other
    cannot both match at one place, as each ends at a word boundary), but tries a word once
    for all the cues it begins: at a "not", once instead of once for each of ~100 cues."""
    root: dict = {}
    for index, cue in enumerate(ordered):
        node = root
        for word in cue.phrase.lower().split(" "):
            node = node.setdefault(word, {})
        node.setdefault(None, index)  # a duplicate phrase: the first (longest-first order) wins

    def branches(node: dict, first: bool) -> str:
        options = [_word_regex(word, first) + branches(child, False) for word, child in node.items() if word is not None]
        if None in node:
            options.append(f"{_CUE_END}(?P<c{node[None]}>)")
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return branches(root, True)


def _cue_starts(ordered: list[Cue]) -> str | None:
    """Where a cue can start: a word that begins one of the cues' first words (not before "'t":
    the "n't" of "can't" starts inside "can"), or a fused "not". None when some cue does not
    start with an ASCII letter."""
    if not all(c.phrase[:1].isascii() and c.phrase[:1].isalpha() for c in ordered):
        return None
    first_words = {re.match(r"[a-z]+", c.phrase.lower()).group() for c in ordered}
    return r"\b(?:" + "|".join(sorted(first_words, key=lambda w: (-len(w), w))) + r")(?!['’]t)|" + _FUSED_NOT


def _cue_pattern(cues: list[Cue]) -> tuple[re.Pattern, list[Cue]]:
    """One alternation, longest phrases first, so "not only" wins over "not". Behind a lookahead
    for where a cue can start (:func:`_cue_starts`): without it the ~200 case-insensitive
    branches were tried at every character, 10 µs a character (a 100 kB line took 4 s); with
    it, the same matches (every cue starts there) in 1/20 to 1/200 of the time."""
    ordered = sorted(cues, key=lambda c: -len(c.phrase))
    alternation = "|".join(f"(?P<c{i}>{_phrase_regex(c.phrase)})" for i, c in enumerate(ordered))
    starts = _cue_starts(ordered)
    return re.compile(alternation if starts is None else f"(?=(?:{starts}))(?:{alternation})", re.IGNORECASE), ordered


def _ascii_cue_patterns(ordered: list[Cue]) -> tuple[re.Pattern, re.Pattern] | None:
    """Fast path for ASCII sentences: (the cues' trie (:func:`_cue_trie`), case-sensitive, for
    lower-cased text; the pattern of :func:`_ascii_cue_starts`).

    The search runs only at word starts that begin a cue's first word, and the trie is then
    tried there with ``match``, which gives the same matches as ``finditer`` (every cue starts
    with ``\b`` and a letter or with a fused "not", so no match can start anywhere else).
    Lower-casing is exactly IGNORECASE on ASCII text (the cues are ASCII). On every 8th MedQuAD
    answer the matches at the candidates took 0.87 s with the flat alternation, 0.30 s with the
    trie, the same matches on all 16,346 ASCII answers. None when :func:`_cue_starts` is.
    """
    if _cue_starts(ordered) is None:
        return None
    return re.compile(_cue_trie(ordered)), re.compile(_ascii_cue_starts(ordered))


def _ascii_cue_starts(ordered: list[Cue]) -> str:
    """:func:`_cue_starts` for lower-cased text, written so that sre skips ahead in C: each
    branch opens with a literal letter (the first letter of cues' first words), the word
    boundary before it checked behind, and a whole first word after it (or the start of a fused
    "n't"/"not": "isn't", "cannot"), where :func:`_cue_starts` also stopped inside longer words
    ("no" in "normal"). On every 8th MedQuAD answer 19,896 candidates instead of 29,563 and the
    cue search 0.10 s instead of 0.19 s (2026-11-30), the same matches on all of MedQuAD, its
    answers whole and cut at every ". "."""
    rests_by_letter: dict[str, list[str]] = {}
    for word in sorted({re.match(r"[a-z]+", c.phrase.lower()).group() for c in ordered}, key=lambda w: (-len(w), w)):
        rests_by_letter.setdefault(word[0], []).append(re.escape(word[1:]))
    word_end = r"(?:\b|(?=n['’]t)|(?<=can)(?=not))(?!['’]t)"
    branches = [rf"{letter}(?<!\w.)(?:{'|'.join(rests)}){word_end}" for letter, rests in sorted(rests_by_letter.items())]
    return "|".join([*branches, r"n(?<=[a-z]n)['’]t", r"not(?<=\bcannot)"])  # _FUSED_NOT, led by its letter


def _first_match_start(pattern: re.Pattern, text: str, start: int, end: int) -> int:
    """Where ``pattern`` first matches in ``text[start:end]`` (``end`` when it does not): the end
    of a noun phrase a nominal cue heads (``_NOUN_PHRASE_END``), a gloss (``_GLOSS_OPENING``)."""
    found = pattern.search(text, start, end)
    return end if found is None else found.start()


def _comma_closed_clause_end(text: str, clause_start: int, start: int, clause_end: int) -> int:
    """``clause_end``, or the closing comma of the relative or subordinate clause that
    ``text[clause_start:]`` opens, the cue at ``start`` being in it (``_COMMA_CLOSED_CLAUSE_OPENING``);
    of a concession, only when the cue is in it: after its comma the cue is in the main clause and
    may deny a list ("Although rare, this form does not cause fever, rash, or joint pain")."""
    opening = _COMMA_CLOSED_CLAUSE_OPENING.match(text, clause_start)
    if opening is None or (opening["concession"] and "," in text[clause_start:start]):
        return clause_end
    closing = text.find(",", start, clause_end)
    return clause_end if closing < 0 else closing


def _enclosing_parenthesis(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Offsets of the "(" and ")" around ``text[start:end]`` (the text's end when it is not
    closed), None outside parentheses. A cue in a parenthesis scopes over that parenthesis
    only: "primary headache (not caused by another medical condition) is migraine"."""
    opened = text.rfind("(", 0, start)
    if opened < 0 or text.rfind(")", opened, start) >= 0:
        return None
    closed = text.find(")", end)
    return opened, len(text) if closed < 0 else closed


def _inside_entity(entity_bounds: tuple[list[int], list[int]], start: int, end: int) -> bool:
    """Whether the characters ``start:end`` of the document lie in one entity of
    ``entity_bounds`` (the start and end offsets of ``doc.ents``, in order): such a cue is
    part of the term ("lack of energy" is HPO lethargy, "Absence of the pulmonary valve" a
    finding), not a cue."""
    starts, ends = entity_bounds
    index = bisect_right(starts, start) - 1
    return index >= 0 and end <= ends[index]


class ContextAnnotator(BatchedPipe):
    """Assigns ConText flags to the entity and statistic spans of each sentence."""

    def __init__(self, cues: list[Cue]):
        self.pattern, self.ordered_cues = _cue_pattern(cues)
        self.ascii_patterns = _ascii_cue_patterns(self.ordered_cues)

    def _cue_matches(self, text: str) -> list[re.Match]:
        """``self.pattern.finditer(text)``, computed the fast way for ASCII text."""
        if self.ascii_patterns is None or not text.isascii():
            return list(self.pattern.finditer(text))
        pattern, starts = self.ascii_patterns
        lowered = text.lower()
        matches, end = [], 0
        for candidate in starts.finditer(lowered):
            if candidate.start() >= end:
                match = pattern.match(lowered, candidate.start())
                if match:
                    matches.append(match)
                    end = match.end()
        return matches

    def __call__(self, doc: Doc) -> Doc:
        entities = list(doc.ents)
        spans = entities + list(doc.spans.get(STATISTICS_KEY, []))
        if not spans:
            return doc
        entity_bounds = ([e.start_char for e in entities], [e.end_char for e in entities])
        # Bucket the spans by sentence in one sorted pass, and slice sentence texts out of
        # one ``doc.text`` (which, like ``Span.text``, is rebuilt from the tokens on access).
        spans.sort(key=lambda s: s.start)
        starts = [s.start for s in spans]
        doc_text = document_text(doc)
        for sent in sentences(doc):
            first = bisect_left(starts, sent.start)
            last = bisect_left(starts, sent.end, first)
            if last > first:
                self._annotate_sentence(sent, spans[first:last], doc_text, entity_bounds)
        return doc

    def _annotate_sentence(
        self, sent: Span, spans: list[Span], doc_text: str, entity_bounds: tuple[list[int], list[int]]
    ) -> None:
        offset = sent.start_char
        text = doc_text[offset:sent.end_char]
        pseudo: list[tuple[int, int]] = []
        found = []
        for match in self._cue_matches(text):
            cue = self.ordered_cues[int(match.lastgroup[1:])]
            if cue.category == "pseudo":
                pseudo.append(match.span())
            else:
                found.append((match.start(), match.end(), cue))
        found = [
            (start, end, cue) for start, end, cue in found
            if not any(p_start <= start < p_end for p_start, p_end in pseudo)
            and not _inside_entity(entity_bounds, offset + start, offset + end)
        ]
        if not found:
            return  # most sentences: no clause breaks needed (their scan was a third of this component)
        clause_breaks = [m.start() for m in _TERMINATOR.finditer(text)]
        negation_starts = negation_ends = clause_breaks
        if any(cue.category == "negated" for _, _, cue in found):
            negation_starts = sorted(clause_breaks + [m.start() for p in (_LIST_BULLET, _SUBORDINATE_CLAUSE) for m in p.finditer(text)])
            negation_ends = sorted(negation_starts + [m.start() for m in _COORDINATED_VERB.finditer(text)])
        for start, end, cue in found:
            starts, ends = (negation_starts, negation_ends) if cue.category == "negated" else (clause_breaks, clause_breaks)
            clause_start = max([b for b in starts if b < start], default=0)
            clause_end = min([b for b in ends if b >= end], default=len(text))
            parenthesis = _enclosing_parenthesis(text, start, end)
            if parenthesis is not None:
                clause_start, clause_end = max(clause_start, parenthesis[0]), min(clause_end, parenthesis[1])
            if cue.category == "negated":
                clause_end = _comma_closed_clause_end(text, clause_start, start, clause_end)
            low, high = {
                "forward": (end, clause_end),
                "noun_phrase": (end, _first_match_start(_NOUN_PHRASE_END, text, end, clause_end)),
                "backward": (clause_start, start),
                "both": (clause_start, clause_end),
            }[cue.direction]
            if cue.category == "negated" and cue.direction in ("forward", "noun_phrase"):
                high = min(high, self._window_end(sent, offset + end) - offset,
                           _first_match_start(_GLOSS_OPENING, text, end, len(text)))
            elif cue.category == "negated" and cue.direction == "backward":
                low = max(low, self._window_start(sent, offset + start) - offset)
            for span in spans:
                if low <= span.start_char - offset < high:
                    set_span_values(span, **{cue.category: True})

    @staticmethod
    def _window_start(sent: Span, char: int) -> int:
        """Start offset of the NEGATION_WINDOW_TOKENS-th token ending at or before ``char`` in
        the sentence (of its first token when fewer precede; ``char`` when none does): the
        window of a backward cue ("a rare condition in which the brain's cerebral hemispheres
        are absent" does not deny the condition named before)."""
        if char <= sent.start_char:
            return char
        doc = sent.doc
        last = min(doc.char_span(char - 1, char, alignment_mode="expand").end, sent.end) - 1
        if doc[last].idx + len(doc[last]) > char:
            last -= 1
        if last < sent.start:
            return char
        return doc[max(last - NEGATION_WINDOW_TOKENS + 1, sent.start)].idx

    @staticmethod
    def _window_end(sent: Span, char: int) -> int:
        """End offset of the NEGATION_WINDOW_TOKENS-th token starting at or after ``char`` in
        the sentence (of its last token when fewer follow; ``char`` when none does). Only the
        tokens it needs are built, not one per token of the sentence."""
        if char >= sent.end_char:
            return char
        doc = sent.doc
        first = max(doc.char_span(char, char + 1, alignment_mode="expand").start, sent.start)
        if doc[first].idx < char:
            first += 1
        if first >= sent.end:
            return char
        last = doc[min(first + NEGATION_WINDOW_TOKENS, sent.end) - 1]
        return last.idx + len(last)


@Language.factory("context_annotator")
def make_context_annotator(nlp: Language, name: str) -> ContextAnnotator:
    return ContextAnnotator(load_cues())
