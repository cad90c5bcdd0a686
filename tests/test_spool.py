"""The extraction spool: tables built from Parquet shards equal the tables built in memory."""
import pickle

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from claims import schema
from claims.consolidate import build_tables
from claims import spool as spool_module
from claims.signatures import document_signature
from claims.spool import ExtractionSpool
from extractors.pipeline import extract_texts
from ingest import iter_documents
from tests.conftest import PROJECT_ROOT
from tests.test_claims_tables import SPASTICITY, occurrence, write_tables

SAMPLE = PROJECT_ROOT / "data" / "raw"


def test_spooled_tables_equal_in_memory_tables(nlp, tmp_path, monkeypatch):
    docs = [d for d in iter_documents([SAMPLE]) if d.status == "ok"]
    extractions = [e.to_dict() for e in extract_texts((d.doc_id, d.text) for d in docs)]
    signatures = {d.doc_id: document_signature(d.text) for d in docs}
    signatures[docs[0].doc_id] = None  # a document without a signature still counts
    documents = [{"doc_id": d.doc_id, "source": d.source, "sha256": d.sha256, "status": "ok", "reason": "", "n_chars": len(d.text)} for d in docs]
    in_memory = build_tables(documents, extractions, {k: v for k, v in signatures.items() if v is not None})

    (tmp_path / "spool").mkdir()
    (tmp_path / "spool" / "mentions-00000.parquet").write_bytes(b"left by a killed run")
    monkeypatch.setattr(spool_module, "MENTION_ROW_GROUP_ROWS", 5)
    spool = ExtractionSpool(tmp_path / "spool", docs_per_shard=4)
    for extraction in extractions:
        spool.add(extraction, signatures[extraction["doc_id"]])
    assert len(list(spool.folder.glob("mentions-*.parquet"))) == len(extractions) // 4  # the rest still in memory
    layouts = [pq.ParquetFile(path).metadata for path in spool.folder.glob("mentions-*.parquet")]
    assert max(layout.num_row_groups for layout in layouts) > 1  # so that a reader decodes a few rows at a time
    assert all(layout.row_group(group).num_rows <= 5 for layout in layouts for group in range(layout.num_row_groups))
    frames, spooled_signatures = spool.frames()
    assert {k: v.tolist() for k, v in spooled_signatures.items()} == {k: v for k, v in signatures.items() if v is not None}
    sent = pickle.dumps(spooled_signatures)  # to the side process: the path, read there
    assert len(sent) < 1_000 and {k: v.tolist() for k, v in pickle.loads(sent).items()} == {k: v.tolist() for k, v in spooled_signatures.items()}
    spooled = build_tables(documents, frames, spooled_signatures)
    assert len(in_memory["mentions"]) > 100 and len(in_memory["claims"]) > 10
    for table in schema.TABLES:
        if table is not schema.MENTIONS:
            pd.testing.assert_frame_equal(spooled[table.name], in_memory[table.name])

    mentions = spooled["mentions"]  # left in the shards, read back a chunk at a time
    monkeypatch.setattr(spool_module, "MIN_ROWS_READ", 1)  # each shard read a few rows at a time: chunks span its batches
    assert len(mentions) == len(in_memory["mentions"])
    chunks = list(mentions.chunks(rows=25))
    assert len(chunks) > 3 and all(not set(a["doc_id"]) & set(b["doc_id"]) for a, b in zip(chunks, chunks[1:]))  # a document is never split
    pd.testing.assert_frame_equal(pd.concat(chunks, ignore_index=True), in_memory["mentions"])
    shown = set(in_memory["mentions"]["mention_id"][::7])
    pd.testing.assert_frame_equal(mentions.rows_with("mention_id", shown), in_memory["mentions"][in_memory["mentions"]["mention_id"].isin(shown)].reset_index(drop=True))
    for written in ("spooled", "in_memory"):
        write_tables({"spooled": spooled, "in_memory": in_memory}[written], tmp_path / written, ("csv", "parquet"))
    for table in schema.TABLES:
        assert (tmp_path / "spooled" / table.file_name).read_bytes() == (tmp_path / "in_memory" / table.file_name).read_bytes()
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "spooled" / f"{table.name}.parquet"),
                                      pd.read_parquet(tmp_path / "in_memory" / f"{table.name}.parquet"))
    spool.remove()
    assert not spool.folder.exists()


def test_an_empty_spool_gives_empty_tables(tmp_path):
    frames, signatures = ExtractionSpool(tmp_path / "spool").frames()
    tables = build_tables([], frames, signatures)
    assert signatures == {} and all(tables[t.name].empty and list(tables[t.name].columns) == t.column_names for t in schema.TABLES)


def test_documents_without_mentions_give_an_empty_mentions_table_with_its_header(tmp_path):
    spool = ExtractionSpool(tmp_path / "spool", docs_per_shard=1)
    for doc_id in ("b", "a"):
        spool.add({"doc_id": doc_id, "n_sentences": 1, "mentions": [], "evidence": [], "aliases": []}, None)
    tables = build_tables([{"doc_id": d, "source": d, "sha256": d, "status": "ok", "reason": ""} for d in "ab"], *spool.frames())
    assert len(tables["mentions"]) == 0 and tables["documents"]["n_mentions"].tolist() == [0, 0]
    write_tables(tables, tmp_path / "out", ("csv", "parquet"))
    assert (tmp_path / "out" / "mentions.csv").read_text() == ",".join(schema.MENTIONS.column_names) + "\n"
    assert list(pd.read_parquet(tmp_path / "out" / "mentions.parquet").columns) == schema.MENTIONS.column_names


def test_sentences_stay_categorical_until_written(tmp_path):
    """The spool reads the evidence's sentences dictionary-encoded, its shards' dictionaries
    merged, and consolidation keeps them so, each distinct sentence held once
    (schema.EVIDENCE.categorical); the files hold strings, as the schema declares, made
    spreadsheet-safe in the CSV."""
    shared, formula = "Fatigue and spasticity affect 80% of people with MS.", '=HYPERLINK("http://x") fatigue in 30%.'
    rows = {"a": [occurrence("a", "HP:0012378", 0.8, 0.8, sentence=shared), occurrence("a", SPASTICITY, 0.8, 0.8, sentence=shared)],
            "b": [occurrence("b", "HP:0012378", 0.3, 0.3, sentence=formula), occurrence("b", SPASTICITY, 0.8, 0.8, sentence=shared)]}
    spool = ExtractionSpool(tmp_path / "spool", docs_per_shard=1)  # a shard, and a dictionary, per document
    for doc_id, evidence in rows.items():
        spool.add({"doc_id": doc_id, "n_sentences": 1, "mentions": [], "evidence": evidence, "aliases": []}, None)
    frames, signatures = spool.frames()
    assert isinstance(frames.evidence["sentence"].dtype, pd.CategoricalDtype)
    tables = build_tables([{"doc_id": d, "source": d, "sha256": d, "status": "ok", "reason": ""} for d in rows], frames, signatures)
    sentences = tables["evidence"]["sentence"]
    assert isinstance(sentences.dtype, pd.CategoricalDtype) and list(sentences.cat.categories) == sorted([shared, formula])
    assert sentences.tolist() == [shared, shared, shared, formula]
    write_tables(tables, tmp_path / "out", ("csv", "parquet"))
    written = pq.read_schema(tmp_path / "out" / "evidence.parquet")
    assert written.field("sentence").type == written.field("doc_id").type and not pa.types.is_dictionary(written.field("sentence").type)
    assert pd.read_parquet(tmp_path / "out" / "evidence.parquet")["sentence"].tolist() == sentences.tolist()
    assert pd.read_csv(tmp_path / "out" / "evidence.csv")["sentence"].tolist() == [shared, shared, shared, "'" + formula]


def test_a_shard_without_any_sentence_joins_the_others(tmp_path):
    """Parquet does not dictionary-encode a column of missing values only: that shard's
    sentences still join the others' categorical."""
    said = "Fatigue affects 80% of people with MS."
    spool = ExtractionSpool(tmp_path / "spool", docs_per_shard=1)
    spool.add({"doc_id": "a", "n_sentences": 1, "mentions": [], "evidence": [occurrence("a", "HP:0012378", 0.8, 0.8, sentence=said)], "aliases": []}, None)
    spool.add({"doc_id": "b", "n_sentences": 1, "mentions": [], "evidence": [{**occurrence("b", SPASTICITY, 0.2, 0.2), "sentence": None}], "aliases": []}, None)
    frames, _ = spool.frames()
    sentences = frames.evidence["sentence"]
    assert isinstance(sentences.dtype, pd.CategoricalDtype) and list(sentences.cat.categories) == [said]
    assert sentences.isna().tolist() == [False, True]


def test_conditions_without_a_concept_stay_apart_by_name_whatever_shard_they_are_in(tmp_path):
    """A shard that holds condition ids beside one that holds none reads back its missing ids as
    NaN: the claims must still be told apart by the conditions' names (GARD's pages of rare
    syndromes the terminology does not know; the NaN once merged 1,921 claims of MedQuAD)."""
    def unknown(doc_id, condition):
        return {**occurrence(doc_id, SPASTICITY, 0.3, 0.3), "condition": condition, "condition_id": None}

    rows = {"a": [unknown("a", "Chromosome 3p- syndrome")], "b": [occurrence("b", SPASTICITY, 0.2, 0.2)],
            "c": [unknown("c", "Chromosome 8p23.1 deletion")]}
    documents = [{"doc_id": d, "source": d, "sha256": d, "status": "ok", "reason": ""} for d in rows]
    spool = ExtractionSpool(tmp_path / "spool", docs_per_shard=3)
    for doc_id, evidence in rows.items():
        spool.add({"doc_id": doc_id, "n_sentences": 1, "mentions": [], "evidence": evidence, "aliases": []}, None)
    spooled = build_tables(documents, *spool.frames())
    claims = spooled["claims"].sort_values("condition")
    assert claims["condition"].tolist() == ["Chromosome 3p- syndrome", "Chromosome 8p23.1 deletion", "multiple sclerosis"]
    assert claims["n_documents"].tolist() == [1, 1, 1]
    in_memory = build_tables(documents, [{"doc_id": d, "n_sentences": 1, "mentions": [], "evidence": e, "aliases": []} for d, e in rows.items()])
    pd.testing.assert_frame_equal(spooled["claims"], in_memory["claims"])
