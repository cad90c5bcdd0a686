"""The extraction spool: tables built from Parquet shards equal the tables built in memory."""
import pandas as pd

from claims import schema
from claims.consolidate import build_tables
from claims.dedup import document_signature
from claims.spool import ExtractionSpool
from extractors.pipeline import extract_texts
from ingest import iter_documents
from tests.conftest import PROJECT_ROOT

SAMPLE = PROJECT_ROOT / "data" / "raw"


def test_spooled_tables_equal_in_memory_tables(nlp, tmp_path):
    docs = [d for d in iter_documents([SAMPLE]) if d.status == "ok"]
    extractions = [e.to_dict() for e in extract_texts((d.doc_id, d.text) for d in docs)]
    signatures = {d.doc_id: document_signature(d.text) for d in docs}
    signatures[docs[0].doc_id] = None  # a document without a signature still counts
    documents = [{"doc_id": d.doc_id, "source": d.source, "sha256": d.sha256, "status": "ok", "reason": "", "n_chars": len(d.text)} for d in docs]
    in_memory = build_tables(documents, extractions, {k: v for k, v in signatures.items() if v is not None})

    (tmp_path / "spool").mkdir()
    (tmp_path / "spool" / "mentions-00000.parquet").write_bytes(b"left by a killed run")
    spool = ExtractionSpool(tmp_path / "spool", docs_per_shard=4)
    for extraction in extractions:
        spool.add(extraction, signatures[extraction["doc_id"]])
    assert len(list(spool.folder.glob("mentions-*.parquet"))) == len(extractions) // 4  # the rest still in memory
    frames, spooled_signatures = spool.frames()
    assert {k: v.tolist() for k, v in spooled_signatures.items()} == {k: v for k, v in signatures.items() if v is not None}
    spooled = build_tables(documents, frames, spooled_signatures)
    assert len(in_memory["mentions"]) > 100 and len(in_memory["claims"]) > 10
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(spooled[table.name], in_memory[table.name])
    spool.remove()
    assert not spool.folder.exists()


def test_an_empty_spool_gives_empty_tables(tmp_path):
    frames, signatures = ExtractionSpool(tmp_path / "spool").frames()
    tables = build_tables([], frames, signatures)
    assert signatures == {} and all(tables[t.name].empty and list(tables[t.name].columns) == t.column_names for t in schema.TABLES)
