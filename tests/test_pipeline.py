"""The pipeline as a whole: built once per options value, and the same extractions whether
documents go through it one by one or in batches."""
from extractors.pipeline import PipelineOptions, get_nlp
from extractors.records import doc_to_extraction


def test_one_pipeline_per_options_value(nlp):
    """The default options, named or not, give the pipeline already built: a second build
    costs a second or two and another vocabulary, and its caches start cold."""
    assert get_nlp() is nlp
    assert get_nlp(PipelineOptions()) is nlp
    assert get_nlp(PipelineOptions(curated_abbreviations=True)) is nlp


def test_batches_give_the_same_extractions_as_single_documents(nlp, seed_passages):
    """Components take a batch at a time (extractors.batching); what a document yields must
    not depend on the batch it came in nor on its neighbours."""
    texts = [text for text in seed_passages if text.strip()]
    one_by_one = [doc_to_extraction(nlp(text), str(number)).to_dict() for number, text in enumerate(texts)]
    for batch_size in (1, 3, 64):
        batched = [doc_to_extraction(doc, str(number)).to_dict() for number, doc in enumerate(nlp.pipe(texts, batch_size=batch_size))]
        assert batched == one_by_one
    assert sum(len(extraction["mentions"]) for extraction in one_by_one) > 20
