"""Which field of a record holds the text, which its title and which its id."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .decode import decode_document, replace_lone_surrogates
from .model import PARSE_ERROR, Rejected

DEFAULT_TEXT_FIELDS = ("text", "answer", "body", "content")
DEFAULT_ID_FIELDS = ("id", "doc_id")


@dataclass(frozen=True)
class FieldSelector:
    """Candidate field names in priority order; a field holding null counts as absent."""

    text_fields: tuple[str, ...] = DEFAULT_TEXT_FIELDS
    id_fields: tuple[str, ...] = DEFAULT_ID_FIELDS
    title_field: str | None = None  # only when asked for: it moves every offset of the text

    @classmethod
    def from_options(cls, text_field: str | None, id_field: str | None, title_field: str | None = None) -> FieldSelector:
        return cls(
            (text_field,) if text_field else DEFAULT_TEXT_FIELDS,
            (id_field,) if id_field else DEFAULT_ID_FIELDS,
            title_field or None,
        )

    @property
    def wanted(self) -> frozenset[str]:
        return frozenset(self.text_fields + self.id_fields + ((self.title_field,) if self.title_field else ()))

    def require_text_column(self, columns: Iterable[str]) -> None:
        """For tabular files: one file-level reject instead of one per row."""
        if not set(self.text_fields) & set(columns):
            raise self._no_text_field()

    def text_of(self, record: Mapping[str, object]) -> str:
        """The document's text: the record's title on a line of its own and a blank line
        before its text field's, when a title field is asked for and the record has a title
        (a page's title names what it is about: "What are the symptoms of Foodborne Illnesses
        ?"), else the text field's as it is."""
        name = next((name for name in self.text_fields if record.get(name) is not None), None)
        if name is None:
            raise self._no_text_field()
        text = _text_value(record, name, "text")
        title = " ".join(_text_value(record, self.title_field, "title").split()) if self.title_field and record.get(self.title_field) is not None else ""
        return f"{title}\n\n{text}" if title else text

    def id_of(self, record: Mapping[str, object]) -> str | None:
        """The record's own id as a string, or None when it has no usable one."""
        value = next((record[name] for name in self.id_fields if record.get(name) is not None), None)
        if value is None:
            return None
        as_text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        return replace_lone_surrogates(as_text) if as_text.strip() else None

    def _no_text_field(self) -> Rejected:
        return Rejected(PARSE_ERROR, f"no text field (looked for {', '.join(self.text_fields)})")


def _text_value(record: Mapping[str, object], name: str, role: str) -> str:
    value = record[name]
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):  # binary Parquet columns
        return decode_document(value)
    raise Rejected(PARSE_ERROR, f"{role} field {name!r} holds {type(value).__name__}, not text")
