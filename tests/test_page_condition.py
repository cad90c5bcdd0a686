"""page_condition_namer: the condition a page names in its title, table introduction or first
definition becomes a CONDITION mention where the terminology has none for the whole name."""
import pytest

DEFINED = ("Ataxia with oculomotor apraxia is a condition characterized by progressive problems with movement. "
           "Nearly all individuals with ataxia with oculomotor apraxia develop neuropathy.")
GARD_TABLE = ("What are the signs and symptoms of Gollop Coates syndrome? The Human Phenotype Ontology provides the following "
              "list of signs and symptoms for Gollop Coates syndrome. If the information is available, the table below includes "
              "how often the symptom is seen in people with this condition. Signs and Symptoms Approximate number of patients "
              "(when available) Broad forehead 33% Long philtrum 33% Aortic regurgitation - Arthralgia -")


def page_conditions(nlp, text):
    return [(e.text, e._.concept_id) for e in nlp(text).ents if e._.match_source == "page"]


def test_every_occurrence_of_a_defined_name_is_the_pages_condition(nlp):
    assert page_conditions(nlp, DEFINED) == [("Ataxia with oculomotor apraxia", None), ("ataxia with oculomotor apraxia", None)]
    assert ("Peripheral neuropathy", "ataxia with oculomotor apraxia") in {
        (c.symptom_name, c.condition_name.lower()) for c in nlp(DEFINED)._.claims}


def test_a_gard_title_and_table_introduction_name_the_tables_owner(nlp):
    doc = nlp(GARD_TABLE)
    assert {e.text for e in doc.ents if e._.match_source == "page"} == {"Gollop Coates syndrome"}
    table = {(c.symptom_name, c.condition_name, c.rule) for c in doc._.claims}
    assert ("Broad forehead", "Gollop Coates syndrome", "frequency_table") in table


def test_an_abbreviation_the_page_defines_for_the_name_is_the_same_condition(nlp):
    text = ("Autosomal dominant partial epilepsy with auditory features (ADPEAF) is a rare form of epilepsy. "
            "In ADPEAF, most affected people experience seizures.")
    found = page_conditions(nlp, text)
    assert [name for name, _ in found] == ["Autosomal dominant partial epilepsy with auditory features", "ADPEAF", "ADPEAF"]


@pytest.mark.parametrize("text", [
    "Multiple sclerosis is a disease of the brain and spinal cord. Fatigue is common.",  # the lexicon's own mention stays
    "The GBA gene is a gene that provides instructions. Some people have anemia.",  # not a page condition's definition
    "Tremor is an unintentional, rhythmic muscle movement. Most tremors occur in the hands.",  # defined as no disease
    "A sign of childhood rhabdomyosarcoma is a lump or swelling that keeps getting bigger.",
    "Domestic violence is a type of abuse. It may include injuries such as bruises.",  # a kind of nothing the terminology calls a condition
])
def test_no_page_condition_where_the_page_names_none_or_the_terminology_has_it(nlp, text):
    assert page_conditions(nlp, text) == []


def test_a_name_the_lexicon_knows_whole_under_another_label_takes_that_concept_on_a_phenotype_page(nlp):
    """A GARD page about "Absent patella": HPO names it as a phenotype, the page as its condition."""
    text = ("What are the signs and symptoms of Absent patella? The Human Phenotype Ontology provides the following list of "
            "signs and symptoms for Absent patella. Signs and Symptoms Approximate number of patients (when available) "
            "Genu valgum 50% Scoliosis 50%")
    found = page_conditions(nlp, text)
    assert len(found) == 2 and all(concept is not None and concept.startswith("HP:") for _, concept in found)
    assert page_conditions(nlp, "How is insomnia treated? Insomnia is treated with sleep hygiene.") == []  # a symptom's page


def test_a_title_about_a_conditions_patients_names_no_page_condition(nlp):
    assert page_conditions(nlp, "How might infections in individuals with epidermolysis bullosa be treated? Wounds need care.") == []


def test_a_longer_mention_keeps_the_words_of_the_pages_name_inside_it(nlp):
    text = ("What are the signs and symptoms of human T-cell leukemia virus, type 1? Human T-cell leukemia virus, type 1 (HTLV-1) "
            "generally causes no signs or symptoms. Some affected people later develop HTLV-1 associated myelopathy/tropical "
            "spastic paraparesis.")
    mentions = {(e.text, e._.match_source) for e in nlp(text).ents}
    assert ("HTLV-1", "page") in mentions and ("Human T-cell leukemia virus, type 1", "page") in mentions
    assert ("HTLV-1 associated myelopathy/tropical spastic paraparesis", "lexicon") in mentions
