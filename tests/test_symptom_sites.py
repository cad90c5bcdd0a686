"""symptom_site_resolver: "<symptom> in/of the <site>" read as the site's own symptom term."""
import pytest


def symptoms(nlp, text):
    return [(e.text, e._.concept_name) for e in nlp(text).ents if e.label_ == "SYMPTOM"]


@pytest.mark.parametrize("text, expected", [
    ("In rare cases, people who have PV may have pain in their bones.", ("pain in their bones", "Bone pain")),
    ("Some children have weakness in the muscles.", ("weakness in the muscles", "Muscle weakness")),
    ("Adults report pain in the lower back.", ("pain in the lower back", "Low back pain")),
    ("Stiffness of the joints occurs in the morning.", ("Stiffness of the joints", "Joint stiffness")),
    ("Many have tingling in the hands.", ("tingling in the hands", "Hand paresthesia")),
])
def test_a_symptom_postmodified_by_its_site_is_the_sites_symptom(nlp, text, expected):
    assert expected in symptoms(nlp, text)


@pytest.mark.parametrize("text, expected", [
    ("It can cause itching in the ears.", ("itching", "Pruritus")),  # no "ear itching" term
    ("Some have weakness of the eye muscles.", ("weakness", "Asthenia")),  # not "eye weakness": the site goes on
    ("It causes stabbing pain in the back of the throat.", ("pain", "Pain")),  # a part of the throat, not the back
])
def test_a_site_the_lexicon_has_no_compound_for_leaves_the_mention_alone(nlp, text, expected):
    assert symptoms(nlp, text) == [expected]


def test_a_site_never_swallows_the_next_mention(nlp):
    found = symptoms(nlp, "Patients have pain in the joints and muscle weakness.")
    assert found == [("pain in the joints", "Arthralgia"), ("muscle weakness", "Muscle weakness")]


def test_the_widened_mention_carries_the_claim(nlp):
    doc = nlp("Polycythemia vera is a blood disorder. In rare cases, people who have PV may have pain in their bones.")
    assert [(c.symptom_name, c.condition_name.lower(), c.measure) for c in doc._.claims] == [("Bone pain", "polycythemia vera", "frequency")]
