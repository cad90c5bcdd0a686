"""spaCy component that names the condition a page is about where the terminology does not."""
from __future__ import annotations

import re
from itertools import islice
from typing import Iterable, NamedTuple

from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from extractors.batching import BatchedPipe
from extractors.extensions import document_text, set_span_values
from extractors.lexicon import CONDITION, Concept
from extractors.terminology_matcher import matcher_before, set_concept
from extractors.tokenization import normalize_tokens

# The head nouns of a disease's name or definition
_DISEASE_NOUNS = (r"conditions?|disorders?|diseases?|syndromes?|cancers?|tumou?rs?|infections?|malformations?|dysplasias?"
                  r"|deficienc(?:y|ies)|defects?|illness(?:es)?|myopath(?:y|ies)|neuropath(?:y|ies)")
# ... and of a definition only: "Chromosome 4q deletion is a chromosome abnormality that affects
# many different parts of the body" (GARD's deletion pages)
_DEFINITION_NOUNS = _DISEASE_NOUNS + r"|chromosom(?:e|al)\s{1,3}abnormalit(?:y|ies)"
# The questions a health page's title asks about the condition it is about: GARD's "What are the
# signs and symptoms of <C>?", "What causes <C>?", "How is <C> inherited?", "How might <C> be
# treated?", "Is genetic testing available for <C>?", "What treatment is available for <C>?", and
# the NIH pages' titles MedQuAD keeps as its questions: "What are the treatments for <C> ?", "How
# many people are affected by <C> ?", "What are the genetic changes related to <C> ?", "How to
# diagnose <C> ?", "Who is at risk for <C>? ?", "What to do for What I need to know about <C> ?".
# Each presupposes that <C> is a disease; the whole name ends the question, but for the verb these
# ask about.
_DISEASE_QUESTIONS = (
    r"what\s{1,3}(?:are|is)\s{1,3}(?:the\s{1,3})?(?:signs\s{1,3}and\s{1,3}symptoms|symptoms|complications|stages)\s{1,3}(?:of|for)"
    r"|what\s{1,3}(?:signs\s{1,3}and\s{1,3})?symptoms\s{1,3}are\s{1,3}associated\s{1,3}with|what\s{1,3}causes"
    r"|what\s{1,3}(?:(?:is|are)\s{1,3}the\s{1,3})?treatments?\s{1,3}(?:(?:is|are)\s{1,3}available\s{1,3})?for"
    r"|is\s{1,3}(?:there\s{1,3})?genetic\s{1,3}testing\s{1,3}available\s{1,3}for|what\s{1,3}is\s{1,3}the\s{1,3}outlook\s{1,3}for"
    r"|how\s{1,3}many\s{1,3}people\s{1,3}are\s{1,3}affected\s{1,3}by|what\s{1,3}are\s{1,3}the\s{1,3}genetic\s{1,3}changes\s{1,3}related\s{1,3}to"
    r"|how\s{1,3}to\s{1,3}(?:diagnose|prevent)|who\s{1,3}is\s{1,3}at\s{1,3}risk\s{1,3}for|what\s{1,3}to\s{1,3}do\s{1,3}for"
    r"|how\s{1,3}(?:is|are|might|can)|is|are"
)
# A title that asks about its subject without saying it is a disease ("What is (are) Chiropractic
# ?", "What research (or clinical trials) is being done for …"): its name is the page's topic
# where the terminology calls it a condition or where the name ends as a disease's does
_ANY_QUESTIONS = r"(?:what\s{1,3}is\s{1,3}\(are\)|what\s{1,3}research\s{1,3}(?:\(or\s{1,3}clinical\s{1,3}trials\)\s{1,3})?is\s{1,3}being\s{1,3}done\s{1,3}for)"
_QUESTION_END = r"\s{1,3}(?:what\s{1,3}i\s{1,3}need\s{1,3}to\s{1,3}know\s{1,3}about\s{1,3})?(?:the\s{1,3})?"
TITLE_QUESTION_BEFORE = re.compile(r"^\W{0,5}(?:" + _DISEASE_QUESTIONS + "|" + _ANY_QUESTIONS + ")" + _QUESTION_END + "$", re.IGNORECASE)
# (an adverb before the verb is no part of the name: "How is febrile ulceronecrotic Mucha-Habermann
# disease definitively diagnosed?", "How can <C> best be treated?"; a closed list: names end in -ly too)
_TITLE_ADVERB = r"(?:\b(?:usually|typically|generally|definitively|currently|commonly|clinically|accurately|properly|best)\s{1,3})?"
TITLE_QUESTION_AFTER = re.compile(r"\s{0,3}(?:\([^()]{0,40}\)\s{0,3})?" + _TITLE_ADVERB + r"(?:be\s{1,3})?" + _TITLE_ADVERB
                                  + r"(?:inherited|treated|diagnosed)?\s{0,3}\?(?:\s{0,3}\?)?\s*$",
                                  re.IGNORECASE)
# Words no name of a condition starts with ("Are there any recent advancements …?", "The GBA
# gene is a …", "Most tremors are …")
_NOT_A_NAME = (r"(?!(?:the|a|an|as|any|this|these|that|those|there|it|its|they|most|some|many|in|each|about|people|patients"
               r"|symptoms?|signs?|treatments?|although|while|because|when|if|since|both|all|other|one|your|their)\b)")


def _title_asking(questions: str, name: str) -> re.Pattern:
    """A title that asks one of ``questions`` about a ``name`` (group "name") ending the question."""
    return re.compile(r"^\W{0,5}(?:" + questions + ")" + _QUESTION_END + _NOT_A_NAME + r"(?P<name>" + name + ")" + TITLE_QUESTION_AFTER.pattern,
                      re.IGNORECASE)


# The name a title asks about: what lies between the two parts above
_TITLE_NAME = _title_asking(_DISEASE_QUESTIONS, r"[^?]{3,150}?")
# The same of a title that does not say its subject is a disease, where the name does: its last
# word a disease noun or a disease's suffix ("What is (are) Levator syndrome ?", "… Foodborne
# Illnesses ?", "… Familial hypertrophic cardiomyopathy ?", "… Acanthoma ?", not "… Coma ?"),
# a malformation's or a chromosome change's ("… Tracheobronchomalacia ?", "… Pontocerebellar
# hypoplasia ?", "… Cone-rod dystrophy ?", "… Porencephaly ?", "… 1q21.1 microdeletion ?")
_DISEASE_HEADS = (_DISEASE_NOUNS + r"|\w*path(?:y|ies)|\w+itis|\w{3,}os[ie]s|\w+emias?|\w{2,}omas?"
                  r"|\w{3,}malacias?|\w*plasias?|\w*troph(?:y|ies)|\w{3,}cephal(?:y|ies)"
                  r"|(?:micro)?deletions?|duplications?|trisom(?:y|ies)|monosom(?:y|ies)")
_DISEASE_NAME_TITLE = _title_asking(_ANY_QUESTIONS, r"(?:[^?]{0,150}?[\w-]\s{1,3})?(?:" + _DISEASE_HEADS + ")")
# GARD: "The Human Phenotype Ontology provides the following list of signs and symptoms for <C>."
_TABLE_INTRO = "following list of signs and symptoms for"
_TABLE_INTRO_NAME = re.compile(r"\bfollowing\s{1,3}list\s{1,3}of\s{1,3}signs\s{1,3}and\s{1,3}symptoms\s{1,3}for\s{1,3}"
                               r"(?P<name>[^.?!;:]{3,150}?)\.(?:\s|$)", re.IGNORECASE)
# "a rare form of epilepsy", "a group of disorders": a kind of a disease noun or of a condition
# the terminology knows (not "Domestic violence is a type of abuse")
_KINDS = r"(?P<kind>forms?|types?|groups?|subtypes?)"
_KIND_OF_DISEASE_NOUN = re.compile(r"\s{1,3}of\s{1,3}(?:[\w-]+\s{1,3}){0,3}?(?:" + _DISEASE_NOUNS + r")\b", re.IGNORECASE)
# A name may hold its short form before its head noun ("Cardiofaciocutaneous (CFC) syndrome",
# "Carnitine palmitoyltransferase 2 (CPT2) deficiency", "Hemoglobin E (HbE) disease": 74 of
# MedQuAD's answers open so), and a second name may come between it and its definition
# ("Afibrinogenemia, sometimes called congenital afibrinogenemia, is an inherited blood
# disorder", "Autosomal dominant hyper-IgE syndrome (AD-HIES), also known as Job syndrome, is a
# condition": 91)
# (a short form: two capitals or digits at least, not a gloss such as "Polycystic kidney (renal) disease")
SPLICED_SHORT_FORM = re.compile(r"\s{0,3}\(\s{0,3}(?P<short>(?-i:(?=(?:[^()\s]*[A-Z0-9]){2}))[^()\s]{2,12})\s{0,3}\)\s{1,3}(?=(?:"
                                + _DISEASE_NOUNS + r")\b)", re.IGNORECASE)
# Words between "is" and a definition's article: "Axenfeld-Rieger syndrome is primarily an eye
# disorder", "Carpenter syndrome is thought to be a rare condition" (42 of MedQuAD's answers)
DEFINING_ADVERB = (r"(?:(?:primarily|mainly|mostly|usually|typically|generally|essentially|probably"
                   r"|(?:considered|thought|believed)(?:\s{1,3}to\s{1,3}be)?)\s{1,3})?")
_ALSO_CALLED = (r"(?:,\s{0,3}(?:(?:also|sometimes|often|commonly)\s{1,3})?(?:known\s{1,3}as|called|referred\s{1,3}to\s{1,3}as)"
                r"\s{1,3}[^.;:?!\n]{1,120}?,)?")
# A first statement that defines its subject as a disease: "Ataxia with oculomotor apraxia is a
# condition characterized by …", "Autosomal dominant partial epilepsy with auditory features
# (ADPEAF) is a rare form of epilepsy", "16p11.2 deletion syndrome is a disorder caused by …";
# "Renal tubular acidosis with deafness is characterized by kidney (renal) problems …"; a plural
# name defined without an article takes the disease noun at once ("Foodborne illnesses
# are infections or irritations of …", "… are rare genetic disorders"), not "Antibiotics are drugs
# that treat infections"
_DEFINED_NAME = re.compile(
    r"^\W{0,5}" + _NOT_A_NAME + r"(?P<name>[A-Za-z0-9][^.;:()?!\n]{2,100}?(?:" + SPLICED_SHORT_FORM.pattern + r"(?:" + _DISEASE_NOUNS + r"))?)"
    r"\s{0,3}(?:\([^()]{1,30}\)\s{0,3})?" + _ALSO_CALLED + r",?\s{1,3}"
    r"(?:(?:is|are)\s{1,3}" + DEFINING_ADVERB + r"(?:a|an|one\s{1,3}of(?:\s{1,3}the)?)\s{1,3}(?:[\w,-]+\s{1,3}){0,6}?(?:" + _DEFINITION_NOUNS + "|" + _KINDS + r")"
    r"|are\s{1,3}(?:[\w-]+\s{1,3}){0,2}?(?:" + _DISEASE_NOUNS + r")|(?:is|are)\s{1,3}(?:characterized|characterised|marked)\s{1,3}by)\b",
    re.IGNORECASE,
)
# A second name or a gloss after the first: "Asphyxiating thoracic dystrophy, also known as Jeune
# syndrome", "Shingles -- also called varicella-zoster", "Premenstrual syndrome, or PMS",
# "Myotonic dystrophy type 1, one of the two types of …", "Trichothiodystrophy, which is …"; a
# title's subtitle after a colon ("Pyelonephritis: Kidney Infection", "Kidney Failure: What to Expect")
_SECOND_NAME = re.compile(r"\s{0,3}(?:,|-{1,2}|—)\s{0,3}(?:(?:also|sometimes|often|commonly)\s{1,3})?(?:known\s{1,3}as|called|referred\s{1,3}to\s{1,3}as"
                          r"|or|which|one\s{1,3}of)\b|\s{0,3}:\s", re.IGNORECASE)
# What separates the categories a title files its condition under from its name: "What causes
# Parasites - Lice - Head Lice ?"
_TITLE_CATEGORY_DASHES = (" - ", " – ")
_SUBTYPE_LABEL = re.compile(r"(?:[\w-]{1,30}\s{1,3})?(?:type|form|variant|subtype)s?(?:\s{1,3}[\w-]{1,30})?\s{0,3}", re.IGNORECASE)
MAX_NAME_WORDS = 14
# A clause before the name is no part of it: "As its name suggests, a Huntington disease-like (HDL) syndrome is …"
_CLAUSE_IN_NAME = re.compile(r",\s{0,3}(?:a|an|the)\s", re.IGNORECASE)
# A name whose last word says it is a disease may be defined as a kind of anything: "Carbon baby
# syndrome, also known as universal acquired melanosis, is a rare form of hyperpigmentation"
_DISEASE_NAME_END = re.compile(r"\b(?:" + _DISEASE_NOUNS + r")$", re.IGNORECASE)
# What a title asks about a condition's patients or a feature of it is no name of the page's
# condition ("How might infections in individuals with epidermolysis bullosa be treated?", "itching
# related to polycythemia vera"), nor is a name followed by its pronunciation ("Acinetobacter [asz−…]"),
# a guide's title addressing its reader or naming what it is for ("I Can Lower My Risk for Type 2
# Diabetes", "Preparing for Pregnancy if I Have Diabetes", "Deep Brain Stimulation for Parkinson's
# Disease", "Living with Kidney Failure", "Causes of Diabetes") or a procedure ("What are the
# treatments for Knee Replacement ?", "Oxygen Therapy")
_NOT_A_PAGE_NAME = re.compile(r"\b(?:individuals?|people|persons?|patients?|children|adults?|women|men|related\s{1,3}to"
                              r"|associated\s{1,3}with|for|my|you|your|our|prevent|preparing|creating|choosing|replacement"
                              r"|stimulation|surgery|therapy|vaccination|care|how|what|causes|diagnosis|surviving|coping|living|caregiving|that|which|refers?)\b|\[", re.IGNORECASE)
PAGE_SOURCE = "page"


@Language.factory("page_condition_namer")
class PageConditionNamer(BatchedPipe):
    """Finds the condition a page is about when the page names it in its title ("What are the
    signs and symptoms of Gollop Coates syndrome?"), in a GARD phenotype table's introduction
    ("… the following list of signs and symptoms for Gollop Coates syndrome.") or as the subject
    of a first statement that defines a disease ("Ataxia with oculomotor apraxia is a condition
    characterized by …"), and no CONDITION mention covers that name: every occurrence of the name
    in the page (and of an abbreviation the page defines for it) becomes a CONDITION mention,
    replacing the mentions inside it. Its concept is the lexicon's for the whole name (a page
    about "Absent patella", a name HPO gives a phenotype), or the one disease whose name has
    the same words in another order ("Usher syndrome, type 1C", "Pancreatitis, hereditary":
    ``Lexicon.condition_named``, or spelled otherwise), else none: the name itself then stands
    for the condition (``match_source`` "page"), each occurrence's ``page_name`` the same. A
    name may hold its short form ("Cardiofaciocutaneous (CFC) syndrome"): it is found again
    with or without it and as "CFC syndrome".

    Rule: a document names its topic in its title and first definition and keeps to one sense
    of it (one sense per discourse: Gale, Church & Yarowsky 1992); a rare disease's name is
    often a list of its features or a subtype no terminology spells so ("Charcot-Marie-Tooth
    disease type 2G"), and read word by word it turns into those features. Needs
    ``terminology_matcher`` and scispaCy's ``abbreviation_detector`` earlier in the pipeline.
    """

    def __init__(self, nlp: Language, name: str):
        self.lexicon = matcher_before(nlp, "page_condition_namer").lexicon

    def __call__(self, doc: Doc) -> Doc:
        names = self._names(doc)
        if not names:
            return doc
        entities = list(doc.ents)  # (spaCy builds every entity's Span on each read of doc.ents)
        conditions = {(e.start, e.end) for e in entities if e.label_ == CONDITION}
        names = [(name, in_table) for name, in_table in names if (name.start, name.end) not in conditions]
        spans: list[Span] = []
        for name, in_table in names:
            split = _split_at_short_form(name)
            forms = _forms([*split.before, *split.after] if split else name)
            concept = self.lexicon.lookup(forms) or self.lexicon.condition_named(" ".join(forms))
            if concept is not None and concept.label != CONDITION and not in_table:
                # "How is insomnia treated?", "Spasticity is a condition in which …": a page about a symptom, unless GARD
                # tabulates its phenotypes. (A definition by a disease noun says no more: "Aphasia is a neurological disorder".)
                continue
            # where no concept names it, every occurrence is named as the page names it, without its short form
            page_name = None if concept is not None else _without_short_form(name.text)
            spans += [self._mention(doc, occurrence.start, occurrence.end, concept, page_name) for occurrence in _occurrences(doc, name, split)]
            # the short form of a name that holds it stands for the words before it: "Cardiofaciocutaneous (CFC)"
            long_form = _forms(split.before) if split else forms
            spans += [self._mention(doc, short.start, short.end, concept, page_name) for short in self._abbreviations(doc, long_form)]
        # a longer mention keeps its words: "HTLV-1 associated myelopathy" is no "HTLV-1"
        spans = [s for s in _without_overlaps(spans) if not any(e.start < s.end and s.start < e.end and (e.start < s.start or s.end < e.end)
                                                                 for e in entities)]
        if spans:
            kept = [e for e in entities if not any(e.start < s.end and s.start < e.end for s in spans)]
            doc.set_ents(sorted(kept + spans, key=lambda span: span.start))
        return doc

    @staticmethod
    def _names(doc: Doc) -> list[tuple[Span, bool]]:
        """The page's names for its condition, from the title, the first statement and a
        phenotype table's introduction (each at most once), with whether the table's names it."""
        found: list[tuple[Span | None, bool]] = []
        whole = document_text(doc)
        # a title of the record (ingest's title field) before the page's own, then its first statement
        for sentence in islice(doc.sents, 3):  # (not extensions.sentences: every sentence's Span for three)
            text = whole[sentence.start_char:sentence.end_char]
            is_title = text.rstrip().endswith("?")
            match = (_TITLE_NAME.match(text) or _DISEASE_NAME_TITLE.match(text)) if is_title else _DEFINED_NAME.match(text)
            if (match is not None and not is_title and match["kind"] and not _DISEASE_NAME_END.search(match["name"])
                    and not _a_kind_of_disease(doc, sentence.start_char + match.end(), sentence.end_char)):
                match = None  # "Domestic violence is a type of abuse": a kind of something no terminology calls a condition
            if match is not None:
                start = sentence.start_char + match.start("name") + (_after_categories(match["name"]) if is_title else 0)
                found.append((_name_span(doc, start, sentence.start_char + match.end("name")), False))
            if not is_title:
                break  # the first statement only
        if _TABLE_INTRO in whole:
            match = _TABLE_INTRO_NAME.search(whole)
            if match is not None:
                found.append((_name_span(doc, match.start("name"), match.end("name")), True))
        return [(name, in_table) for name, in_table in found
                if name is not None and 0 < len(name) and not _CLAUSE_IN_NAME.search(name.text) and len(name.text.split()) <= MAX_NAME_WORDS and not _NOT_A_PAGE_NAME.search(name.text)]

    @staticmethod
    def _abbreviations(doc: Doc, forms: list[str]) -> list[Span]:
        """The occurrences of the short forms the page defines for the name ("(ADPEAF)")."""
        shorts = {doc.vocab.strings[short.text] for short in doc._.abbreviations
                  if _forms(short._.long_form) == forms}
        if not shorts:
            return []
        return [doc[i:i + 1] for i, orth in enumerate(doc.to_array(ORTH).tolist()) if orth in shorts]

    @staticmethod
    def _mention(doc: Doc, start: int, end: int, concept: Concept | None, page_name: str | None) -> Span:
        span = set_concept(Span(doc, start, end, label=CONDITION), concept, PAGE_SOURCE)
        set_span_values(span, page_name=page_name)
        return span


class _SplitName(NamedTuple):
    """A name that holds its short form, around it: "Cardiofaciocutaneous", "CFC", "syndrome"."""

    before: list[Token]
    short: str
    after: list[Token]


def _split_at_short_form(name: Span) -> _SplitName | None:
    """``name`` split at the short form it holds (``SPLICED_SHORT_FORM``), if it holds one."""
    found = SPLICED_SHORT_FORM.search(name.text)
    if found is None:
        return None
    start, end = name.start_char + found.start(), name.start_char + found.end()
    return _SplitName([token for token in name if token.idx < start], found["short"], [token for token in name if token.idx >= end])


def _forms(tokens: Iterable[Token]) -> list[str]:
    """The tokens' normalized forms, as the lexicon's keys are made."""
    return [form for form, _ in normalize_tokens([token.text for token in tokens])]


def _without_short_form(name: str) -> str:
    """A page's name as its claims carry it, without the short form it holds
    ("Tetrahydrobiopterin (BH4) deficiency": "Tetrahydrobiopterin deficiency")."""
    return SPLICED_SHORT_FORM.sub(" ", name)


def _a_kind_of_disease(doc: Doc, start_char: int, end_char: int) -> bool:
    """Whether the words after "form"/"type"/"group" at ``start_char`` name a disease noun ("a
    group of disorders") or a CONDITION mention ("a rare form of epilepsy")."""
    return bool(_KIND_OF_DISEASE_NOUN.match(document_text(doc), start_char, end_char)) or any(
        start_char <= e.start_char < min(end_char, start_char + 40) for e in doc.ents if e.label_ == CONDITION)


def _after_categories(name: str) -> int:
    """Where a title's name starts after the categories filed before it, if any; not before a
    subtype's label ("Hereditary cerebral hemorrhage with amyloidosis - Dutch type")."""
    start = max((name.rfind(dash) + len(dash) for dash in _TITLE_CATEGORY_DASHES if dash in name), default=0)
    return 0 if _SUBTYPE_LABEL.fullmatch(name, start) else start


def _occurrences(doc: Doc, name: Span, split: _SplitName | None = None) -> list[Span]:
    """The places the page writes ``name`` again, as whole tokens: its words in any case, with
    any spacing or hyphen between them, a plural "s" allowed at the end ("Adenoameloblastomas");
    a name that holds its short form (``SPLICED_SHORT_FORM``) with or without it, or as the
    short form and the head noun ("CFC syndrome"). A pattern over the text: normalizing every
    token of the page to compare forms cost as much as the terminology matcher."""
    if split is None:
        words = _words_pattern(name)
    else:
        short = re.escape(split.short)
        words = rf"(?:{_words_pattern(split.before)}(?:\s{{0,3}}\(\s{{0,3}}{short}\s{{0,3}}\))?|{short}){_BETWEEN_WORDS}{_words_pattern(split.after)}"
    pattern = re.compile(r"(?<![\w-])" + words + r"(?:s|es)?(?![\w-])", re.IGNORECASE)
    spans = (doc.char_span(match.start(), match.end()) for match in pattern.finditer(document_text(doc)))
    return [span for span in spans if span is not None]


_BETWEEN_WORDS = r"(?:\s{0,3}-?\s{0,3}|'s\s{1,3})"  # any spacing or hyphen, or a possessive "'s"


def _words_pattern(tokens: Iterable[Token]) -> str:
    """The tokens' texts as a pattern of words (hyphens and "'s" left to what joins them)."""
    return _BETWEEN_WORDS.join(re.escape(token.text) for token in tokens if token.text not in ("-", "'s"))


def _name_span(doc: Doc, start: int, end: int) -> Span | None:
    """The name between the two offsets, without a second name or gloss after it."""
    second = _SECOND_NAME.search(document_text(doc), start, end)
    return doc.char_span(start, second.start() if second else end, alignment_mode="contract")


def _without_overlaps(spans: list[Span]) -> list[Span]:
    """The spans in order, a later one dropped where it overlaps one kept (two names of the
    page found in the same words)."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -len(s))):
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    return kept
