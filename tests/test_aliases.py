"""Alias mining on the seed's naming statements."""
import pytest


def aliases(nlp, text):
    return {(a.term.lower(), a.relation, a.alias.lower()) for a in nlp(text)._.aliases}


@pytest.mark.parametrize("text, expected", [
    ("Many people with multiple sclerosis have stiff muscles and spasms, a condition called spasticity.",
     {("spasticity", "described_as", "stiff muscles"), ("spasticity", "described_as", "spasms")}),
    ("Muscle spasms (also called cramps or fasciculations) are a common symptom of multiple sclerosis (MS).",
     {("muscle spasms", "same_as", "cramps"), ("muscle spasms", "same_as", "fasciculations")}),
    ("Steppage gait (also known as neuropathic gait) is characterized by drop foot.",
     {("steppage gait", "same_as", "neuropathic gait")}),
    ("Amyotrophic lateral sclerosis (ALS), also sometimes called Lou Gehrig disease or motor neuron disease.",
     {("amyotrophic lateral sclerosis", "same_as", "lou gehrig disease"), ("amyotrophic lateral sclerosis", "same_as", "motor neuron disease")}),
    ("Muscle twitches (or fasciculations) are a common symptom in ALS.", {("muscle twitches", "same_as", "fasciculations")}),
    ("A muscle twitch and a muscle spasm are both involuntary contractions of a muscle, although they are not quite the same.",
     {("muscle twitch", "not_same_as", "muscle spasm")}),
])
def test_alias_statements(nlp, text, expected):
    assert expected <= aliases(nlp, text)


def test_plain_sentences_make_no_aliases(nlp):
    assert aliases(nlp, "Fatigue affects about 80 percent of people with multiple sclerosis.") == set()
    assert aliases(nlp, "Symptoms of asthma include wheezing, cough and shortness of breath.") == set()


def test_alias_offsets_point_into_the_text(nlp):
    text = "Steppage gait (also known as neuropathic gait) is characterized by drop foot."
    alias = nlp(text)._.aliases[0]
    assert text[alias.start:alias.end].startswith("Steppage gait") and "neuropathic gait" in text[alias.start:alias.end]


def test_a_clause_is_not_an_alias(nlp):
    found = aliases(nlp, "C syndrome, also known as Opitz trigonocephaly syndrome, is characterized by trigonocephaly and hypotonia.")
    assert not any("characterized" in alias for _, _, alias in found)
