"""Ingestion of every supported format, every reject reason, and the id rules."""
from __future__ import annotations

import codecs
import gzip
import hashlib
import json
import os
import re
import sys
import zlib

import pytest

import ingest.readers
from ingest import IngestLimits, SourceDocument, UsageError, iter_documents

REASON_KEYWORDS = ("binary", "empty", "undecodable", "too_large", "parse_error", "unreadable", "unsupported_format", "over_limit")


def ingest_all(*paths, **options) -> list[SourceDocument]:
    return list(iter_documents(list(paths), **options))


def by_source(docs: list[SourceDocument]) -> dict[str, SourceDocument]:
    return {doc.source: doc for doc in docs}


def only(docs: list[SourceDocument]) -> SourceDocument:
    assert len(docs) == 1, docs
    return docs[0]


def make_symlink(target, link) -> None:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks are not available here")


# --- formats -----------------------------------------------------------------------


def test_text_markdown_and_html_are_one_document_each(tmp_path):
    (tmp_path / "README.md").write_text("# Notes\nFatigue is common.")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "ms.txt").write_text("Numbness\r\nand tingling\rin MS")
    (tmp_path / "page.htm").write_text("<p>Head&shy;ache &amp; fever</p>")

    docs = by_source(ingest_all(tmp_path))

    assert docs["README.md"].text == "# Notes\nFatigue is common."
    assert docs["notes/ms.txt"].text == "Numbness\nand tingling\nin MS"
    assert docs["notes/ms.txt"].doc_id == "notes/ms.txt"
    assert docs["page.htm"].text == "Head\xadache & fever"
    assert all(doc.status == "ok" and doc.reason == "" for doc in docs.values())


def test_html_keeps_only_visible_text_with_block_newlines(tmp_path):
    deep_junk = "<div><span>" * 3000 + "deep text" + "</b></i>" * 10
    page = (
        "<html><head><title>Not shown</title><meta charset=utf-8>"
        "<style>body { color: red }</style></head><body>"
        "<script>var x = '<p>not text</p>';</script><noscript>enable JS</noscript>"
        "<template><p>hidden</p></template>"
        "<h1>Migraine</h1><p>Nausea &eacute;&#233;&nbsp;and <b>aura</b></p><ul><li>one</li><li>two</li></ul>"
        f"{deep_junk}<p>unclosed <a href='x"
    )
    (tmp_path / "page.html").write_text(page)

    doc = only(ingest_all(tmp_path / "page.html"))

    assert doc.status == "ok"
    assert doc.text.startswith("Migraine\n\nNausea éé and aura\n\none\n\ntwo\n\ndeep text")
    for hidden in ("Not shown", "color", "not text", "enable JS", "hidden", "var x"):
        assert hidden not in doc.text


def test_html_without_closing_head_still_shows_body(tmp_path):
    (tmp_path / "p.html").write_text("<html><head><title>t</title><body><p>Visible</p>")
    assert only(ingest_all(tmp_path / "p.html")).text == "Visible"


@pytest.mark.parametrize("page", [
    "<html><head><title>t</title><meta charset=utf-8><h1>Migraine</h1><p>Aura in 20%</p>",  # a body tag ends the head
    "<html><head><title>t</title><meta charset=utf-8>Migraine<p>Aura in 20%</p>",  # so does text
], ids=["tag", "text"])
def test_html_whose_head_and_body_tags_are_left_out_shows_its_body(tmp_path, page):
    (tmp_path / "p.html").write_text(page)
    assert only(ingest_all(tmp_path / "p.html")).text in ("Migraine\n\nAura in 20%", "Migraine\nAura in 20%")


def test_html_comment_left_open_hides_the_rest_of_the_page(tmp_path):
    (tmp_path / "p.html").write_text("<p>Fever</p><!-- <p>draft: rash in 90%</p> and > more")
    assert only(ingest_all(tmp_path / "p.html")).text == "Fever"


def test_html_tags_left_open_at_the_end_are_text(tmp_path):
    (tmp_path / "p.html").write_text("<p>Fever</p>" + "<a " * 3 + "x")
    assert only(ingest_all(tmp_path / "p.html")).text == "Fever\n<a <a <a x"


def test_malformed_html_declaration_is_a_parse_error_not_a_crash(tmp_path):
    (tmp_path / "p.html").write_text("<p>text</p><![bogus section<p>more</p>")
    assert only(ingest_all(tmp_path / "p.html")).reason.startswith("parse_error: html")


def test_jsonl_broken_line_is_rejected_alone(tmp_path):
    lines = ['{"id": "a", "text": "Fever"}', "{not json", "", '{"text": "Cough"}', "[1, 2]", "[" * 100_000]
    (tmp_path / "posts.jsonl").write_text("\n".join(lines) + "\n")

    docs = by_source(ingest_all(tmp_path))

    assert docs["posts.jsonl#1"].text == "Fever" and docs["posts.jsonl#1"].doc_id == "a"
    assert docs["posts.jsonl#2"].reason.startswith("parse_error: line 2: ")
    assert docs["posts.jsonl#4"].text == "Cough" and docs["posts.jsonl#4"].doc_id == "4"
    assert docs["posts.jsonl#5"].reason == "parse_error: line 5: expected an object, got list"
    assert docs["posts.jsonl#6"].reason == "parse_error: line 6: nested too deeply"
    assert "posts.jsonl#3" not in docs  # blank line


def test_jsonl_number_too_long_to_convert_rejects_its_line_only(tmp_path):
    (tmp_path / "ids.jsonl").write_text('{"id": ' + "9" * 5000 + ', "text": "x"}\n{"id": "b", "text": "Fever"}\n')

    docs = by_source(ingest_all(tmp_path))

    assert docs["ids.jsonl#1"].reason.startswith("parse_error: line 1: Exceeds the limit")
    assert docs["ids.jsonl#2"].text == "Fever"


def test_record_fields_are_detected_in_priority_order(tmp_path):
    records = [
        {"doc_id": "d1", "body": "from body", "content": "not used"},
        {"id": 7, "text": None, "answer": "from answer"},
        {"id": "x", "title": "no text here"},
        {"id": "y", "text": 42},
    ]
    (tmp_path / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))

    docs = ingest_all(tmp_path)

    assert [(d.doc_id, d.text) for d in docs[:2]] == [("d1", "from body"), ("7", "from answer")]
    assert docs[2].reason == "parse_error: no text field (looked for text, answer, body, content)"
    assert docs[3].reason == "parse_error: text field 'text' holds int, not text"


def test_explicit_text_and_id_fields(tmp_path):
    (tmp_path / "r.jsonl").write_text('{"key": "k1", "post": "Rash", "text": "ignored"}\n{"post": "Itch"}\n')

    docs = ingest_all(tmp_path, text_field="post", id_field="key")

    assert [(d.doc_id, d.text) for d in docs] == [("k1", "Rash"), ("2", "Itch")]


def test_a_title_field_opens_the_text_on_a_line_of_its_own(tmp_path):
    """MedQuAD's question is its page's title: "What are the symptoms of Foodborne Illnesses ?"."""
    (tmp_path / "qa.jsonl").write_text(
        '{"id": "a", "question": "What causes\\n  hives ?", "answer": "Allergies."}\n'
        '{"id": "b", "answer": "No title."}\n{"id": "c", "question": " ", "answer": "Blank title."}\n'
        '{"id": "d", "question": 7, "answer": "A number."}\n')
    (tmp_path / "qa.csv").write_text('id,title,text\ne,Migraine,Aura is common.\n', newline="")

    docs = by_source(ingest_all(tmp_path, title_field="question"))
    titled = by_source(ingest_all(tmp_path / "qa.csv", title_field="title"))

    assert docs["qa.jsonl#1"].text == "What causes hives ?\n\nAllergies."
    assert docs["qa.jsonl#1"].sha256 == hashlib.sha256(docs["qa.jsonl#1"].text.encode()).hexdigest()  # the cache's key moves with it
    assert (docs["qa.jsonl#2"].text, docs["qa.jsonl#3"].text) == ("No title.", "Blank title.")
    assert docs["qa.jsonl#4"].reason == "parse_error: title field 'question' holds int, not text"
    assert titled["qa.csv#2"].text == "Migraine\n\nAura is common."
    assert by_source(ingest_all(tmp_path))["qa.jsonl#1"].text == "Allergies."  # no title unless asked for


def test_csv_handles_quotes_newlines_and_huge_fields(tmp_path):
    huge = "x" * 300_000  # beyond the csv module's default field size limit
    (tmp_path / "qa.csv").write_text(
        f'id,answer\nq1,"Line one\nline ""two"", with comma"\n\nq2,{huge}\n', newline=""
    )

    docs = by_source(ingest_all(tmp_path))

    assert docs["qa.csv#2"].text == 'Line one\nline "two", with comma'
    assert docs["qa.csv#2"].doc_id == "q1"
    assert docs["qa.csv#5"].text == huge


def test_csv_with_a_quote_left_open_is_a_parse_error_keeping_earlier_rows(tmp_path):
    (tmp_path / "open.csv").write_text('id,text\n1,Fever is common.\n2,"Cough starts\n3,Rash in 20% of people\n', newline="")

    docs = by_source(ingest_all(tmp_path))

    assert docs["open.csv#2"].text == "Fever is common."
    assert docs["open.csv"].reason.startswith("parse_error: line ")
    assert len(docs) == 2  # rows 3 and 4 are not glued into one record with the open quote


def test_a_record_file_without_records_is_one_reject(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    (tmp_path / "empty.jsonl").write_text("")
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    (tmp_path / "header.csv").write_text("id,text\n")
    (tmp_path / "none.jsonl.gz").write_bytes(gzip.compress(b"\n"))
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), tmp_path / "zero.parquet")

    docs = ingest_all(tmp_path)

    assert sorted((d.doc_id, d.status, d.reason) for d in docs) == [
        (name, "rejected", "empty: no records") for name in ("blank.jsonl", "empty.jsonl", "header.csv", "none.jsonl.gz", "zero.parquet")]


def test_a_rejected_record_does_not_take_another_records_id(tmp_path):
    (tmp_path / "rows.csv").write_bytes(b"id,text\n1,fever\n2,bad\0 row\n3,cough\n")
    (tmp_path / "posts.jsonl").write_text('{"id": "2", "text": "rash"}\n{broken\n')

    docs = by_source(ingest_all(tmp_path))

    assert [docs[f"rows.csv#{n}"].doc_id for n in (2, 3, 4)] == ["1", "rows.csv#3", "3"]
    assert docs["posts.jsonl#2"].doc_id == "posts.jsonl#2" and docs["posts.jsonl#1"].doc_id == "2"


def test_csv_without_text_column_is_one_file_level_reject(tmp_path):
    (tmp_path / "t.csv").write_text("id,title\n1,a\n2,b\n")
    doc = only(ingest_all(tmp_path))
    assert (doc.source, doc.reason) == ("t.csv", "parse_error: no text field (looked for text, answer, body, content)")


def test_parquet_rows(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"id": ["p1", None], "text": ["Dizziness", "Vertigo"], "extra": [1, 2]})
    pq.write_table(table, tmp_path / "rows.parquet")

    docs = ingest_all(tmp_path)

    assert [(d.doc_id, d.source, d.text) for d in docs] == [
        ("p1", "rows.parquet#1", "Dizziness"),
        ("2", "rows.parquet#2", "Vertigo"),
    ]


def test_a_parquet_file_with_a_damaged_page_is_a_parse_error(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"text": ["Fever is common."] * 200}), tmp_path / "good.parquet")
    data = bytearray((tmp_path / "good.parquet").read_bytes())
    data[40:200] = b"\xab" * 160  # the first data page's header
    (tmp_path / "bad.parquet").write_bytes(bytes(data))
    (tmp_path / "good.parquet").unlink()

    assert only(ingest_all(tmp_path)).reason.startswith("parse_error: parquet: ")


def test_parquet_without_working_pyarrow_is_rejected_not_raised(tmp_path, monkeypatch):
    (tmp_path / "rows.parquet").write_bytes(b"PAR1 whatever")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # makes `import pyarrow` fail
    ingest.readers._load_pyarrow_or_reason.cache_clear()
    try:
        doc = only(ingest_all(tmp_path))
    finally:
        ingest.readers._load_pyarrow_or_reason.cache_clear()
    assert doc.reason.startswith("unsupported_format: parquet needs a working pyarrow")


def test_gzip_is_transparent(tmp_path):
    with gzip.open(tmp_path / "a.jsonl.gz", "wt") as f:
        f.write('{"id": "g1", "text": "Chills"}\n')
    (tmp_path / "b.txt.gz").write_bytes(gzip.compress(b"Sweats"))

    docs = by_source(ingest_all(tmp_path))

    assert docs["a.jsonl.gz#1"].text == "Chills"
    assert docs["b.txt.gz"].text == "Sweats" and docs["b.txt.gz"].doc_id == "b.txt.gz"


def test_truncated_gzip_keeps_earlier_records_and_rejects_the_file(tmp_path):
    lines = "".join(json.dumps({"id": f"r{n}", "text": f"record {n} " + os.urandom(50).hex()}) + "\n" for n in range(2000))
    compressed = gzip.compress(lines.encode())
    (tmp_path / "cut.jsonl.gz").write_bytes(compressed[: len(compressed) // 2])
    (tmp_path / "cut.txt.gz").write_bytes(gzip.compress(b"some text" * 100)[:-12])

    docs = ingest_all(tmp_path)

    kept = [d for d in docs if d.status == "ok"]
    readable = zlib.decompressobj(wbits=31).decompress(compressed[: len(compressed) // 2])
    assert [d.doc_id for d in kept] == [f"r{n}" for n in range(readable.count(b"\n"))]  # every whole line before the cut
    rejects = by_source([d for d in docs if d.status == "rejected"])
    assert rejects["cut.jsonl.gz"].reason.startswith("parse_error: gzip")
    assert rejects["cut.txt.gz"].reason.startswith("parse_error: gzip")


def test_gzip_bomb_is_stopped_by_both_limits(tmp_path):
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 5_000_000))

    by_size = only(ingest_all(tmp_path, limits=IngestLimits(max_decompressed_bytes=100_000, max_compression_ratio=10**6)))
    by_ratio = only(ingest_all(tmp_path, limits=IngestLimits(max_compression_ratio=50)))

    assert by_size.reason == "too_large: decompressed more than 100,000 bytes; raise --max-decompressed-mb"
    assert by_ratio.reason == "too_large: compression ratio above 50 (a gzip bomb?); if the file is genuine, raise --max-compression-ratio"


# --- decoding ----------------------------------------------------------------------

DECODING_CASES = {
    "utf8_bom.txt": (codecs.BOM_UTF8 + "Ache in the knee".encode(), "Ache in the knee"),
    "utf16_bom.txt": ("Ménière's disease".encode("utf-16"), "Ménière's disease"),
    "utf16le_no_bom.txt": ("Ménière's disease".encode("utf-16-le"), "Ménière's disease"),
    "utf16be_no_bom.txt": ("Ménière's disease".encode("utf-16-be"), "Ménière's disease"),
    "latin1.txt": ("café au lait spots".encode("latin-1"), "café au lait spots"),
    "short_latin1.txt": ("café".encode("latin-1"), "café"),
}


@pytest.mark.parametrize("name", DECODING_CASES)
def test_decoding(tmp_path, name):
    data, expected = DECODING_CASES[name]
    (tmp_path / name).write_bytes(data)
    doc = only(ingest_all(tmp_path / name))
    assert (doc.status, doc.text) == ("ok", expected)


REJECTED_BYTES = {
    "binary.txt": (bytes([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 0x0D, 0x49, 0x48]) * 20, "binary"),
    "controls.txt": (b"\x01\x02\x03\x04abc" * 50, "binary"),
    "empty.txt": (b"", "empty"),
    "blank.md": (b" \n\t\r\n  ", "empty"),
    "invalid_utf8.txt": (bytes(range(0x80, 0x100)) * 3, "undecodable"),
    "empty_tags.html": (b"<html><script>x()</script><p> </p></html>", "empty"),
}


@pytest.mark.parametrize("name", REJECTED_BYTES)
def test_undecodable_binary_and_empty_inputs_are_rejected(tmp_path, name):
    data, keyword = REJECTED_BYTES[name]
    (tmp_path / name).write_bytes(data)
    doc = only(ingest_all(tmp_path / name))
    assert (doc.status, doc.text, doc.sha256) == ("rejected", None, "")
    assert doc.reason.split(":")[0] == keyword


def test_stray_legacy_bytes_in_utf8_are_not_read_as_another_encoding(tmp_path):
    utf8 = "Spasms affect 40–80% of people with MS. It's common.".encode()
    (tmp_path / "page.txt").write_bytes(utf8.replace(b"'", b"\x92"))
    (tmp_path / "posts.jsonl").write_bytes(b'{"text": "fever 40\xe2\x80\x9380%"}\n{"text": "It\x92s bad"}\n{"text": "caf\xc3\xa9"}\n')

    docs = by_source(ingest_all(tmp_path))

    assert docs["page.txt"].text == "Spasms affect 40–80% of people with MS. It’s common."
    assert docs["posts.jsonl#1"].text == "fever 40–80%" and docs["posts.jsonl#3"].text == "café"
    assert docs["posts.jsonl#2"].reason == "undecodable: line 2"


def test_latin1_jsonl_and_invalid_bytes_in_one_csv_row(tmp_path):
    (tmp_path / "l1.jsonl").write_bytes('{"text": "fièvre"}\n'.encode("latin-1"))
    (tmp_path / "mixed.csv").write_bytes(b"text\nfine\n" + b"x" * 70_000 + b"\nbad \xff\xfe byte\nlast\n")

    docs = by_source(ingest_all(tmp_path))

    assert docs["l1.jsonl#1"].text == "fièvre"
    assert docs["mixed.csv#4"].reason == "undecodable: line 4"
    assert docs["mixed.csv#5"].text == "last"


@pytest.mark.parametrize("padding", [0, 70_000], ids=["within the sniffed head", "past it"])
def test_a_nul_byte_rejects_only_its_record(tmp_path, padding):
    first = "fever" + "x" * padding
    (tmp_path / "posts.jsonl").write_bytes(f'{{"text": "{first}"}}\n{{"text": "bad\0 line"}}\n{{"text": "cough"}}\n'.encode())
    (tmp_path / "rows.csv").write_bytes(f'id,text\n1,{first}\n2\0,bad row\n3,cough\n'.encode())

    docs = by_source(ingest_all(tmp_path))

    assert {source: (doc.status, doc.reason) for source, doc in docs.items()} == {
        "posts.jsonl#1": ("ok", ""), "posts.jsonl#2": ("rejected", "binary: line 2: contains NUL bytes"), "posts.jsonl#3": ("ok", ""),
        "rows.csv#2": ("ok", ""), "rows.csv#3": ("rejected", "binary: line 3: contains NUL bytes"), "rows.csv#4": ("ok", ""),
    }


def test_a_binary_file_named_as_records_is_one_reject(tmp_path):
    (tmp_path / "program.jsonl").write_bytes(open(os.path.realpath(sys.executable), "rb").read(200_000))
    rows = "".join(f"{i},Nausea affects {i % 90}% of people with migraine\n" for i in range(20_000))
    (tmp_path / "export.csv").write_bytes(gzip.compress(f"id,text\n{rows}".encode(), mtime=0))  # lost its .gz

    docs = by_source(ingest_all(tmp_path))

    assert set(docs) == {"program.jsonl", "export.csv"}
    for doc in docs.values():
        assert re.fullmatch(r"binary: \d+ of the first \d+ bytes are NUL or control bytes", doc.reason), doc


def test_lone_surrogates_from_json_escapes_become_replacement_chars(tmp_path):
    (tmp_path / "s.jsonl").write_text('{"id": "\\ud800", "text": "pain \\udc00 here"}\n')
    doc = only(ingest_all(tmp_path))
    assert (doc.doc_id, doc.text) == ("\ufffd", "pain \ufffd here")
    assert doc.sha256


# --- limits ------------------------------------------------------------------------


def test_size_limits(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 1000)
    (tmp_path / "r.jsonl").write_text('{"text": "short"}\n' + json.dumps({"text": "long " * 100}) + "\n")
    limits = IngestLimits(max_file_bytes=4000, max_record_chars=100)

    docs = by_source(ingest_all(tmp_path, limits=limits))

    assert docs["big.txt"].reason == "too_large: 5,000 bytes > 4,000 byte limit; raise --max-file-mb"
    assert docs["r.jsonl#1"].text == "short"
    assert docs["r.jsonl#2"].reason == "too_large: 500 chars > 100 char limit; raise --max-record-chars"


@pytest.mark.parametrize("field", ["max_file_bytes", "max_record_chars", "max_decompressed_bytes", "max_compression_ratio", "max_documents"])
@pytest.mark.parametrize("value", [0, -1])
def test_limits_must_be_positive(field, value):
    with pytest.raises(ValueError, match=f"IngestLimits.{field} must be positive, got {value}"):
        IngestLimits(**{field: value})


def test_documents_past_the_run_limit_are_listed_as_rejected_not_dropped(tmp_path):
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "b.txt").write_text("")  # a reject keeps its own reason and does not count
    (tmp_path / "c.jsonl").write_text("".join(json.dumps({"id": f"r{i}", "text": f"record {i}"}) + "\n" for i in range(4)))
    unlimited = ingest_all(tmp_path)

    limited = ingest_all(tmp_path, limits=IngestLimits(max_documents=3))

    assert [d.doc_id for d in limited] == [d.doc_id for d in unlimited]  # same ids, same order
    assert [(d.doc_id, d.status) for d in limited] == [
        ("a.txt", "ok"), ("b.txt", "rejected"), ("r0", "ok"), ("r1", "ok"), ("r2", "rejected"), ("r3", "rejected")]
    assert limited[1].reason == "empty"
    for doc in limited[4:]:
        assert doc.reason == "over_limit: run limit of 3 documents reached; raise --max-documents"
        assert (doc.text, doc.sha256, doc.source) == (None, "", f"c.jsonl#{int(doc.doc_id[1:]) + 1}")
    assert ingest_all(tmp_path, limits=IngestLimits(max_documents=5)) == unlimited


# --- walking, ids and accounting -----------------------------------------------------


def test_missing_path_raises_usage_error_before_reading(tmp_path):
    (tmp_path / "a.txt").write_text("fine")
    with pytest.raises(UsageError) as raised:
        iter_documents([tmp_path / "a.txt", tmp_path / "missing\nname"])
    assert isinstance(raised.value, ValueError)
    assert "\n" not in str(raised.value)
    with pytest.raises(UsageError):
        iter_documents(str(tmp_path))  # a bare path instead of a list


def test_excluded_paths_inside_an_input_folder_are_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "out" / ".cache").mkdir(parents=True)
    (corpus / "a.txt").write_text("Fatigue is common.")
    (corpus / "outline.txt").write_text("A name that starts like the output folder's.")
    (corpus / "out" / "mentions.csv").write_text("text\nfatigue\n")
    (corpus / "out" / ".cache" / "x.txt").write_text("cached")
    (corpus / "decisions.csv").write_text("conflict_id,status\n")
    make_symlink(corpus, tmp_path / "link")
    exclude = {corpus / "out": "the output folder", corpus / "decisions.csv": "the decisions file"}

    for root in (corpus, tmp_path / "link"):  # the same real paths, however the root is named
        assert [doc.source for doc in ingest_all(root, exclude=exclude)] == ["a.txt", "outline.txt"]


def test_naming_an_excluded_path_as_input_is_a_usage_error(tmp_path):
    output = tmp_path / "out"
    output.mkdir()
    (output / "mentions.csv").write_text("text\nfatigue\n")
    exclude = {output: "the output folder"}

    with pytest.raises(UsageError, match=r"^input path '.*/out/mentions.csv' lies in the output folder '.*/out', which is never read as input$"):
        iter_documents([tmp_path / "out" / "mentions.csv"], exclude=exclude)
    with pytest.raises(UsageError, match=r"^input path '.*/out' is the output folder '.*/out', which is never read as input$"):
        iter_documents([output], exclude=exclude)


def test_unknown_extensions_are_rejected_and_dotfiles_skipped(tmp_path):
    (tmp_path / "scan.pdf").write_bytes(b"%PDF")
    (tmp_path / "archive.gz").write_bytes(gzip.compress(b"x"))
    (tmp_path / ".DS_Store").write_bytes(b"\0")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "config.txt").write_text("hidden")

    docs = by_source(ingest_all(tmp_path))

    assert {source: doc.reason for source, doc in docs.items()} == {
        "archive.gz": "unsupported_format",
        "scan.pdf": "unsupported_format",
    }


def test_duplicate_ids_are_qualified_by_file_then_numbered(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"id": "x", "text": "one"}\n')
    (tmp_path / "b.jsonl").write_text('{"id": "x", "text": "two"}\n{"id": "x", "text": "three"}\n')

    docs = ingest_all(tmp_path)

    assert [d.doc_id for d in docs] == ["x", "x~b.jsonl", "x~b.jsonl~2"]


def test_same_relative_path_from_two_roots_is_disambiguated(tmp_path):
    for parent in ("site_a", "site_b"):
        (tmp_path / parent / "notes").mkdir(parents=True)
        (tmp_path / parent / "notes" / "ms.txt").write_text(parent)
    roots = [tmp_path / "site_a" / "notes", tmp_path / "site_b" / "notes", tmp_path / "site_b" / "notes" / "ms.txt"]

    docs = ingest_all(*roots)

    assert [(d.doc_id, d.source, d.text) for d in docs] == [
        ("ms.txt", "ms.txt", "site_a"),
        ("notes/ms.txt", "notes/ms.txt", "site_b"),  # and given twice, read once
    ]


def test_awkward_file_names(tmp_path):
    names = ["with space.txt", "new\nline.txt", "naïve-μ-症状.txt"]
    for name in names:
        (tmp_path / name).write_text(f"text of {name}")
    try:
        (tmp_path / os.fsdecode(b"latin1-\xe9.txt")).write_text("bytes name")
    except (OSError, UnicodeError):
        pass  # file system insists on valid names

    docs = by_source(ingest_all(tmp_path))

    for name in names:
        assert docs[name].text == f"text of {name}"
    for doc in docs.values():
        doc.doc_id.encode("utf-8")  # ids must be writable to UTF-8 tables
    if os.path.exists(tmp_path / os.fsdecode(b"latin1-\xe9.txt")):
        assert docs["latin1-\\xe9.txt"].text == "bytes name"


def test_symlink_loops_broken_links_and_linked_folders_are_unreadable(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "real.txt").write_text("real")
    make_symlink("loop_b.txt", tmp_path / "loop_a.txt")
    make_symlink("loop_a.txt", tmp_path / "loop_b.txt")
    make_symlink("nowhere.txt", tmp_path / "broken.txt")
    make_symlink("..", tmp_path / "sub" / "up")
    make_symlink("sub/real.txt", tmp_path / "alias.txt")

    docs = by_source(ingest_all(tmp_path))

    assert docs["loop_a.txt"].reason == "unreadable: symlink loop"
    assert docs["loop_b.txt"].reason == "unreadable: symlink loop"
    assert docs["broken.txt"].reason == "unreadable: broken symlink"
    assert docs["sub/up"].reason == "unreadable: symlinked directory not followed"
    assert docs["alias.txt"].text == docs["sub/real.txt"].text == "real"


def test_unreadable_file_is_rejected(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("x")
    secret.chmod(0)
    try:
        if os.access(secret, os.R_OK):
            pytest.skip("running with privileges that ignore file permissions")
        doc = only(ingest_all(tmp_path))
    finally:
        secret.chmod(0o644)
    assert doc.reason.startswith("unreadable: ")


def test_permission_error_while_opening_is_rejected(tmp_path, monkeypatch):
    """Same as above, but also exercised when tests run as root."""
    (tmp_path / "secret.txt").write_text("x")

    def refuse(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(ingest.readers, "open", refuse, raising=False)
    assert only(ingest_all(tmp_path)).reason == "unreadable: Permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_not_opened(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    assert only(ingest_all(tmp_path)).reason == "unreadable: not a regular file"


def build_mixed_tree(root) -> set[str]:
    """A bit of everything; returns the relative paths of all files that must be accounted for."""
    files = {
        "README.md": b"# About",
        "a/notes.txt": b"Fatigue",
        "a/qa.csv": b"id,text\n1,Fever\n2,\n",
        "a/b/posts.jsonl": b'{"id": "1", "text": "Cough"}\n{oops\n',
        "a/b/page.html": b"<p>Rash</p>",
        "a/b/blob.txt": b"\0\0\0binary",
        "a/b/image.png": b"\x89PNG",
        "a/b/empty.md": b"",
        "z.jsonl.gz": gzip.compress(b'{"text": "Chills"}\n'),
    }
    for relative, data in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    return set(files)


def test_same_tree_gives_same_ids_and_accounts_for_every_file(tmp_path):
    expected_files = build_mixed_tree(tmp_path)

    first, second = ingest_all(tmp_path), ingest_all(tmp_path)

    assert [d.doc_id for d in first] == [d.doc_id for d in second]
    assert len({d.doc_id for d in first}) == len(first)
    assert {d.source.split("#")[0] for d in first} == expected_files
    for doc in first:
        assert doc.status in ("ok", "rejected")
        if doc.status == "ok":
            assert doc.reason == "" and doc.text.strip()
        else:
            assert doc.reason.startswith(REASON_KEYWORDS) and doc.text is None and doc.sha256 == ""


def test_sha256_is_of_utf8_text(tmp_path):
    import hashlib

    (tmp_path / "t.txt").write_text("Übelkeit")
    assert only(ingest_all(tmp_path)).sha256 == hashlib.sha256("Übelkeit".encode()).hexdigest()
