"""What a pipeline is built from, and the fingerprint of what it produces.

Importable without spaCy, so that a rerun can tell whether its cached extractions and
outputs are current (:mod:`flows.manifest`) before paying for the spaCy import.
"""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable

from extractors.lexicon import (
    Lexicon,
    compute_fingerprint,
    content_hash,
    default_shared_dir,
    load_lexicon,
)

PIPELINE_VERSION = "1"
EXTRACTORS_DIR = Path(__file__).parent
SIGNATURE_CODE = EXTRACTORS_DIR.parent / "claims" / "signatures.py"  # document signatures are cached with extractions
MAX_DOC_CHARS = 2_000_000  # default of ingest's IngestLimits.max_record_chars
RESULT_NEUTRAL_OPTIONS = ("max_doc_chars",)  # options that change no extraction: not in the fingerprint
LIBRARIES = ("spacy", "scispacy")  # their tokenizer and abbreviation detector shape every extraction


@dataclass(frozen=True)
class PipelineOptions:
    ner_model: str | None = None  # name or path of an installed spaCy NER model
    curated_abbreviations: bool = True
    use_shared_terminology: bool = True
    lexicon_cache_dir: str | None = None
    max_doc_chars: int = MAX_DOC_CHARS  # nlp.max_length; the flow passes its max_record_chars


def digest_files(digest, files: Iterable[Path], root: Path, suffixes: tuple[str, ...]) -> None:
    """Feed ``digest`` the path (relative to ``root``) and bytes of each of ``files`` with one
    of ``suffixes``, outside __pycache__, in sorted order: the fingerprint of code and
    resources (here and in :mod:`flows.manifest`)."""
    for file in sorted(files):
        if file.suffix in suffixes and "__pycache__" not in file.parts and file.is_file():
            digest.update(f"{file.relative_to(root).as_posix()}\n".encode())
            digest.update(file.read_bytes())


def _shared_dir(options: PipelineOptions) -> Path | None:
    """The terminology folder the lexicon of ``options`` is built with (None: pip packages only)."""
    return default_shared_dir() if options.use_shared_terminology else None


def terminology_used(options: PipelineOptions) -> str:
    """Which terminologies the lexicon of ``options`` is built from, for the run's log: without
    ``../shared/terminology`` the extractions differ (fewer synonyms), and nothing else says so."""
    shared = _shared_dir(options)
    if shared is not None:
        return f"HPO and ICD-10-CM (pip packages), Disease and Symptom Ontologies ({shared / 'terminology'})"
    reason = "not asked for" if not options.use_shared_terminology else "no terminology folder found: set SYMPTOM_CLAIMS_SHARED"
    return f"HPO and ICD-10-CM (pip packages) only; Disease and Symptom Ontologies {reason}"


def lexicon_for(options: PipelineOptions = PipelineOptions(), remember: bool = True) -> Lexicon:
    """The lexicon the terminology matcher of ``options`` uses, without building the pipeline
    (``remember``: as :func:`extractors.lexicon.load_lexicon`)."""
    return load_lexicon(_shared_dir(options), Path(options.lexicon_cache_dir) if options.lexicon_cache_dir else None, remember)


def ner_model_identity(name: str | None) -> str:
    """What tells one version of the NER model from another: for a saved pipeline folder, its
    files' names and contents (SHA-256, ~0.2 s per 300 MB, once per process: copies of one model
    on several Dask hosts are one model, which modification times were not); for an installed
    package, its version."""
    if not name:
        return ""
    folder = Path(name)
    if folder.exists():
        files = sorted(file for file in folder.rglob("*") if file.is_file())
        return repr([(file.relative_to(folder).as_posix(), content_hash(file)) for file in files])
    return _installed_version(name)


def _installed_version(name: str) -> str:
    """The version of an installed distribution, "" if there is none."""
    try:
        return version(name)
    except PackageNotFoundError:
        return ""


def pipeline_fingerprint(options: PipelineOptions = PipelineOptions()) -> str:
    """Changes whenever the lexicon, the extractor code and rules, the signature code, the
    options, the NER model or the spaCy and scispaCy versions change: the key of cached
    extractions. Needs no pipeline, so a rerun where every document is cached never builds one."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode())
    digest.update(repr(sorted((k, v) for k, v in asdict(options).items() if k not in RESULT_NEUTRAL_OPTIONS)).encode())
    digest.update(ner_model_identity(options.ner_model).encode())
    digest.update(repr([_installed_version(library) for library in LIBRARIES]).encode())
    digest.update(compute_fingerprint(_shared_dir(options)).encode())  # the lexicon's, without loading it
    digest_files(digest, [*EXTRACTORS_DIR.rglob("*"), SIGNATURE_CODE], EXTRACTORS_DIR.parent, (".py", ".tsv", ".txt", ".csv"))
    return digest.hexdigest()[:16]
