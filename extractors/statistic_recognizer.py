"""spaCy component that marks statistics as spans in ``doc.spans["statistics"]``.

It finds proportions ("about 20 percent", "1 in 5", "most"), rates ("5.2 per 100,000
live births"), counts of people, durations, onset ages and qualitative frequency words
("common", "rare"), each normalised by :func:`extractors.statistics.find_statistics`;
frequency words and proportions carry their HPO frequency-annotation bin (obligate,
very frequent, frequent, occasional, very rare).
"""
from spacy.language import Language
from spacy.tokens import Doc

from extractors.batching import BatchedPipe
from extractors.extensions import STATISTICS_KEY, document_text, register_extensions, set_span_values
from extractors.statistics import find_statistics

register_extensions()


@Language.factory("statistic_recognizer")
def create_statistic_recognizer(nlp: Language, name: str) -> "StatisticRecognizer":
    return StatisticRecognizer()


class StatisticRecognizer(BatchedPipe):
    """Stores one STATISTIC span per statistic, with ``span._.statistic`` set.

    Spans are expanded to token boundaries, but the Statistic keeps its own exact
    character offsets because the mention table reports those.
    """

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for statistic in find_statistics(document_text(doc)):
            span = doc.char_span(statistic.start, statistic.end, label="STATISTIC", alignment_mode="expand")
            if span is not None:
                set_span_values(span, statistic=statistic)
                spans.append(span)
        doc.spans[STATISTICS_KEY] = spans
        return doc
