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
    "Gollop coates refers to a group of genetic conditions that are characterized by weakness.",  # no name holds a clause
    # a symptom's page, though defined by a disease noun: its symptom stays one ("Aphasia is common after stroke")
    "Aphasia is a neurological disorder caused by damage to the parts of the brain that are responsible for language.",
    "As its name suggests, a Huntington disease-like (HDL) syndrome is a condition that resembles Huntington disease.",  # a clause, no name
    "Polycystic kidney (renal) disease is a disorder. Renal disease is common.",  # a gloss in parentheses is no short form
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


@pytest.mark.parametrize("title, name", [
    ("What are the symptoms of Foodborne Illnesses ?", "Foodborne Illnesses"),  # MedQuAD's question, the page's title
    ("What is (are) Foodborne Illnesses ?", "Foodborne Illnesses"),  # no disease said but by the name's head noun
    ("Who is at risk for Foodborne Illnesses? ?", "Foodborne Illnesses"),
    ("What to do for What I need to know about Foodborne Illnesses ?", "Foodborne Illnesses"),
])
def test_a_records_title_names_the_condition_of_its_text(nlp, title, name):
    doc = nlp(f"{title}\n\nCommon symptoms of foodborne illnesses include vomiting and chills.")
    assert [e.text for e in doc.ents if e._.match_source == "page"] == [name, "foodborne illnesses"]
    # every occurrence's claims are named as the page names the condition
    assert ("Vomiting", "Foodborne Illnesses") in {(c.symptom_name, c.condition_name) for c in doc._.claims}


def test_a_title_that_says_no_disease_names_none(nlp):
    assert page_conditions(nlp, "What is (are) Chiropractic ?\n\nChiropractic is a health care profession.") == []
    assert page_conditions(nlp, "What is (are) Soma ?\n\nSoma is a brand of muscle relaxant.") == []  # "-oma" needs two letters before it


@pytest.mark.parametrize("text, name", [
    ("What is (are) Gollop Coates cardiomyopathy ?\n\nSome people have fatigue.", "Gollop Coates cardiomyopathy"),  # a disease's suffix
    ("What is (are) Gollop Coates angiitis ?\n\nSome people have fatigue.", "Gollop Coates angiitis"),
    ("What is (are) Gollop Coates hypoplasia ?\n\nMost people develop a cough.", "Gollop Coates hypoplasia"),  # a malformation's
    ("What is (are) 1q21.1 microdeletion ?\n\nMost people have delayed development.", "1q21.1 microdeletion"),  # a chromosome change's
    ("Renal tubular acidosis with deafness is characterized by kidney problems and hearing loss.", "Renal tubular acidosis with deafness"),
    ("Chromosome 11q deletion is a rare chromosome abnormality that affects many different parts of the body. Common features "
     "shared by many people with this deletion include heart defects.", "Chromosome 11q deletion"),  # GARD's deletion pages
])
def test_a_name_ending_in_a_diseases_suffix_or_defined_by_its_features_is_the_pages_condition(nlp, text, name):
    assert page_conditions(nlp, text)[0][0] == name  # (with the concept whose words it has, if one has: "1q21.1 microdeletion")


def test_a_plural_name_defined_by_a_disease_noun_is_the_pages_condition(nlp):
    assert page_conditions(nlp, "What is (are) food poisoning ?\n\nFoodborne illnesses are infections of the gut.") == [
        ("Foodborne illnesses", None)]
    assert page_conditions(nlp, "Antibiotics are drugs that treat infections. They cure many.") == []


@pytest.mark.parametrize("title, names", [
    ("What causes Parasites - Lice - Head Lice ?", ["Head Lice", "Head lice"]),  # the categories filed before the name
    ("What causes Head Lice - Dutch type ?", ["Head Lice - Dutch type"]),  # a subtype's label, no category before it
    ("What are the symptoms of Head Lice: What to Look For ?", ["Head Lice", "Head lice"]),  # a subtitle after a colon
    ("What are the treatments for Knee Replacement ?", []),  # a procedure
    ("Who is at risk for I Can Lower My Risk for Head Lice: A Guide? ?", []),  # a guide addressing its reader
    ("What is the outlook for Living with Head Lice ?", []),
    ("How are Gollop Coates head lice definitively diagnosed?", ["Gollop Coates head lice"]),  # an adverb before the verb
    ("How can Gollop Coates head lice best be treated?", ["Gollop Coates head lice"]),
])
def test_a_titles_name_is_cut_to_the_condition_and_a_guide_or_procedure_names_none(nlp, title, names):
    assert [name for name, _ in page_conditions(nlp, f"{title}\n\nHead lice are tiny insects. Some children scratch.")] == names


def test_a_title_naming_a_disease_in_another_order_takes_its_concept(nlp):
    """OMIM and Orphanet write "Bartter syndrome, type 1, antenatal"; the page's title, not."""
    found = page_conditions(nlp, "What are the signs and symptoms of Bartter syndrome antenatal type 1? "
                                 "Bartter syndrome antenatal type 1 is a kidney disorder. Most affected infants have polyhydramnios.")
    assert len(found) == 2 and len({concept for _, concept in found}) == 1 and found[0][1] is not None


def test_a_title_is_looked_up_in_the_forms_of_the_lexicons_keys(nlp):
    """The keys' forms are normalized ("x link" for "X-linked", "diabete"): a raw title's words were
    no key's, and "Dyskeratosis congenita X-linked" found no concept."""
    found = page_conditions(nlp, "What are the signs and symptoms of Dyskeratosis congenita X-linked? "
                                 "Some people have nail dystrophy.")
    lexicon = nlp.get_pipe("terminology_matcher").lexicon
    assert found[0][1] is not None and found[0][1] == lexicon.resolve("OMIM:305000").id


def test_a_title_spelling_a_disease_otherwise_takes_its_concept(nlp):
    """GARD writes "Simosa cranio facial syndrome", OMIM "Simosa craniofacial syndrome"."""
    found = page_conditions(nlp, "What are the signs and symptoms of Simosa cranio facial syndrome? "
                                 "Most people with Simosa cranio facial syndrome have a long face.")
    lexicon = nlp.get_pipe("terminology_matcher").lexicon
    assert [concept for _, concept in found] == [lexicon.resolve("OMIM:182150").id] * 2


def test_a_name_that_holds_its_short_form_is_the_pages_condition_with_and_without_it(nlp):
    doc = nlp("Cardiofaciocutaneous (CFC) syndrome is a disorder that affects many parts of the body. "
              "About half of people with cardiofaciocutaneous syndrome have seizures. Most people with CFC syndrome have a short stature.")
    assert [e.text for e in doc.ents if e._.match_source == "page"] == [
        "Cardiofaciocutaneous (CFC) syndrome", "cardiofaciocutaneous syndrome", "CFC syndrome"]
    first = next(e for e in doc.ents if e._.match_source == "page")
    assert first.label_ == "CONDITION"
    # its claims carry the name without the short form
    assert ("Seizure", "cardiofaciocutaneous syndrome") in {(c.symptom_name, c.condition_name) for c in doc._.claims}


def test_the_claims_of_every_occurrence_carry_the_name_without_its_short_form(nlp):
    doc = nlp("Gollopcoates (GCS) syndrome is a rare disorder. Most people with GCS syndrome have short stature. "
              "Seizures are common in Gollopcoates (GCS) syndrome, and some people with gollopcoates syndrome have hearing loss.")
    assert {c.condition_name for c in doc._.claims} == {"Gollopcoates syndrome"}
    assert {c.symptom_name for c in doc._.claims} >= {"Short stature", "Seizure", "Hearing impairment"}


def test_a_name_with_a_possessive_that_holds_its_short_form_is_found_again_without_it(nlp):
    doc = nlp("Hirschbaum's (HBD) disease is a rare condition. Most people with Hirschbaum disease have seizures.")
    assert ("Seizure", "Hirschbaum's disease") in {(c.symptom_name, c.condition_name) for c in doc._.claims}


@pytest.mark.parametrize("text, name", [
    ("Autosomal dominant hyper-IgE syndrome (AD-HIES), also known as Job syndrome, is a condition that affects several body systems.",
     "Autosomal dominant hyper-IgE syndrome"),
    ("Cerebral autosomal recessive arteriopathy with subcortical infarcts and leukoencephalopathy, commonly known as CARASIL, "
     "is an inherited condition that causes stroke.", "Cerebral autosomal recessive arteriopathy with subcortical infarcts and leukoencephalopathy"),
    # a name that says it is a disease, defined as a kind of a symptom
    ("Carbon baby syndrome, also known as universal acquired melanosis, is a rare form of hyperpigmentation.", "Carbon baby syndrome"),
])
def test_a_second_name_between_the_name_and_its_definition_leaves_the_first_the_pages_condition(nlp, text, name):
    assert [found for found, _ in page_conditions(nlp, text)][:1] == [name]


def test_the_page_whose_name_a_second_name_follows_is_the_topic_of_this_condition(nlp):
    doc = nlp("Autosomal dominant hyper-IgE syndrome (AD-HIES), also known as Job syndrome, is a condition that affects "
              "several body systems. Dental abnormalities are also common in this condition.")
    assert ("Abnormality of the dentition", "Autosomal dominant hyper-IgE syndrome") in {(c.symptom_name, c.condition_name) for c in doc._.claims}


@pytest.mark.parametrize("text", [
    "Gollopcoates syndrome is thought to be a rare condition; approximately 70 cases have been described.",
    "Gollopcoates syndrome is primarily a neurological disorder that affects movement.",
])
def test_a_definition_after_an_adverb_names_the_pages_condition(nlp, text):
    assert [name for name, _ in page_conditions(nlp, text)] == ["Gollopcoates syndrome"]
