"""The fast span-extension helpers store and read exactly what ``span._`` does."""
import pytest
import spacy
from spacy.tokens import Span

from extractors.extensions import _SPAN_EXTENSIONS, set_span_values, span_value, span_values


@pytest.fixture()
def doc():
    return spacy.blank("en")("Spasticity affects about 20 percent of people with MS.")


def test_values_written_by_the_helper_are_read_by_span_underscore(doc):
    span = Span(doc, 0, 1, label="SYMPTOM")
    set_span_values(span, concept_id="HP:0001257", xrefs=("UMLS:C0026838",), negated=True)
    assert (span._.concept_id, span._.xrefs, span._.negated) == ("HP:0001257", ("UMLS:C0026838",), True)
    assert span._.hedged is False and span._.concept_name is None


def test_values_written_by_span_underscore_are_read_by_the_helper(doc):
    span = Span(doc, 3, 5, label="STATISTIC")
    span._.statistic = "20 percent"
    span._.hedged = True
    values = span_values(span)
    assert values == {name: getattr(span._, name) for name in _SPAN_EXTENSIONS}
    assert all(span_value(span, name) == values[name] for name in _SPAN_EXTENSIONS)
    assert values["statistic"] == "20 percent" and values["hedged"] is True and values["negated"] is False


def test_values_belong_to_the_character_offsets_like_span_underscore(doc):
    set_span_values(Span(doc, 0, 1, label="SYMPTOM"), concept_id="HP:0001257")
    assert span_values(Span(doc, 0, 1, label="CONDITION"))["concept_id"] == "HP:0001257"  # spaCy's keying
    assert span_values(Span(doc, 0, 2))["concept_id"] is None


def test_unknown_names_are_refused(doc):
    with pytest.raises(AttributeError, match="no span extension 'concept'"):
        set_span_values(Span(doc, 0, 1), concept="HP:0001257")


def test_defaults_are_immutable():
    """span._ copies mutable defaults on first read; the helper hands defaults out as they are."""
    assert all(isinstance(default, (type(None), bool, tuple, str)) for default in _SPAN_EXTENSIONS.values())

