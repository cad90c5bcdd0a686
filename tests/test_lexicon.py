"""Lexicon compilation: sources, merging, labels, filtering, caching."""
import os
import time
import weakref

import pytest

from extractors import lexicon as lexicon_module
from extractors.lexicon import CONDITION, SYMPTOM, compute_fingerprint, default_shared_dir, load_lexicon

SHARED = default_shared_dir()
needs_shared = pytest.mark.skipif(SHARED is None, reason="../shared/terminology (Disease/Symptom Ontology) is absent")


@pytest.fixture(scope="session")
def lexicon_cache(tmp_path_factory):
    """One cache dir per test session, so each lexicon variant is compiled once."""
    return tmp_path_factory.getbasetemp() / "lexicon-cache"


@pytest.fixture(scope="session")
def fallback_lexicon(lexicon_cache):
    return load_lexicon(None, lexicon_cache)


@pytest.fixture(scope="session")
def shared_lexicon(lexicon_cache):
    if SHARED is None:
        pytest.skip("../shared/terminology is absent")
    return load_lexicon(SHARED, lexicon_cache)


def concept(lexicon, text):
    found = lexicon.lookup(text.split())
    assert found is not None, f"{text!r} not in the lexicon"
    return found


@needs_shared
def test_multiple_sclerosis_is_one_condition_with_xrefs(shared_lexicon):
    ms = concept(shared_lexicon, "multiple sclerosis")
    assert (ms.id, ms.label) == ("DOID:2377", CONDITION)
    assert "ICD10CM:G35" in ms.xrefs
    assert shared_lexicon.resolve("ICD10CM:G35") == ms


@needs_shared
@pytest.mark.parametrize("text", ["fatigue", "tremor", "spasticity", "pain", "numbness", "dizziness"])
def test_phenotype_words_are_symptoms(shared_lexicon, text):
    assert concept(shared_lexicon, text).label == SYMPTOM


@needs_shared
@pytest.mark.parametrize("text", ["neuropathy", "lupus", "amyotrophic lateral sclerosis", "asthma"])
def test_disease_names_are_conditions(shared_lexicon, text):
    assert concept(shared_lexicon, text).label == CONDITION


def test_fallback_builds_from_pip_packages(fallback_lexicon):
    ms = concept(fallback_lexicon, "multiple sclerosis")
    assert ms.label == CONDITION and ms.id.startswith(("ICD10CM:", "OMIM:"))
    assert concept(fallback_lexicon, "fatigue").id == "HP:0012378"
    assert concept(fallback_lexicon, "lupus").label == CONDITION
    assert not any(c.source in ("DOID", "SYMP") for c in fallback_lexicon.concepts.values())


@pytest.mark.parametrize("text", ["disease", "syndrome", "abnormality", "finding", "fall", "may", "all", "1", "x"])
def test_generic_and_ordinary_words_are_filtered(fallback_lexicon, text):
    assert fallback_lexicon.lookup([text]) is None


def test_related_uses_hpo_ancestry(fallback_lexicon):
    # Spasticity is_a Hypertonia
    assert fallback_lexicon.related("HP:0001257", "HP:0001276") == "HP:0001257 is a descendant of HP:0001276"
    assert fallback_lexicon.related("HP:0001276", "HP:0001257") == "HP:0001257 is a descendant of HP:0001276"
    assert fallback_lexicon.related("HP:0001257", "HP:0012378") is None


def test_cache_is_reused(fallback_lexicon, lexicon_cache, monkeypatch):
    lexicon_module._LOADED.clear()
    monkeypatch.setattr(lexicon_module, "build_lexicon", pytest.fail)
    started = time.perf_counter()
    reloaded = load_lexicon(None, lexicon_cache)
    assert time.perf_counter() - started < 2.0
    assert reloaded.fingerprint == fallback_lexicon.fingerprint
    assert len(reloaded.terms) == len(fallback_lexicon.terms)


def test_cache_is_rebuilt_when_fingerprint_changes(fallback_lexicon, lexicon_cache, monkeypatch):
    monkeypatch.setattr(lexicon_module, "LEXICON_VERSION", "test-" + lexicon_module.LEXICON_VERSION)
    assert compute_fingerprint(None) != fallback_lexicon.fingerprint
    built = []
    monkeypatch.setattr(lexicon_module, "build_lexicon", lambda shared: built.append(shared) or fallback_lexicon)
    load_lexicon(None, lexicon_cache)
    assert built == [None]


# Common English words: spaCy's stop words plus this list (frequent nouns, verbs, adjectives
# and adverbs, and everyday words that are also lay symptom names). None may be a lexicon
# term except the symptom/condition words of MEDICAL_WORDS.
COMMON_WORDS = """
time year people way day man thing woman life child world school state family student group country problem
hand part place case week company system program question work government number night point home water room
mother area money story fact month lot right study book eye job word business issue side kind head house
service friend father power hour game line end member law car city community name president team minute idea
kid body information back parent face others level office door health person art war history party result
change morning reason research girl guy moment air teacher force education foot boy age policy everything
process music market sense nation plan college interest death experience effect use class control care field
development role effort rate heart drug show leader light voice wife police mind price report decision son view
relationship town road arm difference value building action model season society tax director position player
record paper space ground form event official matter center couple site project activity star table need court
oil situation cost industry figure street image phone data picture practice piece land product doctor wall
patient worker news test movie north love support technology step baby computer type attention film tree source
organization hair window evidence population truth west meadow crab dent blush whim tear clutter
be have do say get make go know take see come think look want give use find tell ask work seem feel try leave
call need become put mean keep let begin help talk turn start show hear play run move like live believe hold
bring happen write provide sit stand lose pay meet include continue set learn change lead understand watch
follow stop create speak read allow add spend grow open walk win offer remember love consider appear buy wait
serve die send expect build stay fall cut reach kill remain suggest raise pass sell require report decide pull
check worth pick tag
good new first last long great little own other old right big high different small large next early young
important few public bad same able late hard major better economic strong possible whole free military true
federal international full special easy clear recent certain personal open red difficult available likely
short single medical current wrong private past foreign fine common poor natural significant similar hot dead
central happy serious ready simple left physical general environmental financial blue democratic dark various
entire close legal religious cold final main green nice huge popular traditional cultural grave
also very often however too usually really never always sometimes together simply generally instead actually
again rather almost especially ever quickly probably already below directly therefore else thus easily
eventually exactly certainly normally currently extremely finally constantly
blow fit spell attack crisis burn cut mark spot lump bump patch sore stitch weak drop drops stress low dry
baker hunter potter harper felon leech sundown
""".split()
MEDICAL_WORDS = {"anxiety", "cancer", "chill", "chills", "cough", "depression", "fatigue", "fever", "flu", "pain",
                 "rash", "shock", "stroke", "itch", "cramp", "cramps", "bruise", "sneeze", "sweat"}


@needs_shared
def test_common_english_words_are_not_terms(shared_lexicon):
    from spacy.lang.en.stop_words import STOP_WORDS

    from extractors.tokenization import normalize_token

    found = {}
    for word in sorted(set(COMMON_WORDS) | set(STOP_WORDS)):
        concept_id = shared_lexicon.terms.get(normalize_token(word))
        if concept_id and word not in MEDICAL_WORDS:
            found[word] = shared_lexicon.concepts[concept_id].name
    assert found == {}


@needs_shared
def test_curated_concept_and_synonyms(shared_lexicon):
    aura = concept(shared_lexicon, "aura")
    assert (aura.id, aura.label, aura.source) == ("CURATED:aura", SYMPTOM, "CURATED")
    diabetes = concept(shared_lexicon, "diabete")  # "diabetes" normalized
    assert (diabetes.id, diabetes.label) == ("DOID:9351", CONDITION)


def test_fallback_diabetes(fallback_lexicon):
    assert concept(fallback_lexicon, "diabete").id == "HP:0000819"


def test_the_run_says_which_terminologies_it_uses(tmp_path, monkeypatch):
    from extractors.options import PipelineOptions, terminology_used

    monkeypatch.setenv("SYMPTOM_CLAIMS_SHARED", str(tmp_path))
    assert terminology_used(PipelineOptions()).endswith("only; Disease and Symptom Ontologies no terminology folder found: set SYMPTOM_CLAIMS_SHARED")
    (tmp_path / "terminology").mkdir()
    assert f"Disease and Symptom Ontologies ({tmp_path / 'terminology'})" in terminology_used(PipelineOptions())
    assert terminology_used(PipelineOptions(use_shared_terminology=False)).endswith("Ontologies not asked for")


@needs_shared
def test_a_phenotype_reading_keeps_the_ancestry_of_the_disease_concept_it_was_merged_into():
    """A GARD table's "Hypogonadotropic hypogonadism" is read as HP:0000044 rather than the
    disease concept HPO's term is merged into; it must stay a kind of Hypogonadism, itself read
    as HP:0000135, for related_numeric conflicts between such claims."""
    lexicon = load_lexicon()
    reading = lexicon.phenotype(["hypogonadotropic", "hypogonadism"])
    assert (reading.id, reading.label, lexicon.resolve(reading.id).label) == ("HP:0000044", SYMPTOM, CONDITION)
    assert "HP:0000135" in lexicon.ancestors("HP:0000044")


def test_the_ancestry_answers_without_the_lexicon_and_a_lexicon_not_remembered_is_let_go(lexicon_cache, monkeypatch):
    """The flow's process keeps the is-a graph for consolidation, not the whole lexicon."""
    monkeypatch.setattr(lexicon_module, "_LOADED", {})
    lexicon = load_lexicon(None, lexicon_cache, remember=False)
    assert lexicon_module._LOADED == {}
    ancestry, alive = lexicon.ancestry, weakref.ref(lexicon)
    del lexicon  # (no collection: nothing may keep it in a reference cycle either)
    assert alive() is None
    assert ancestry("HP:0001250") == {"HP:0012638", "HP:0000707"}  # Seizure: Abnormal nervous system physiology, its parent
    assert load_lexicon(None, lexicon_cache) is load_lexicon(None, lexicon_cache)  # remembered by default


@pytest.mark.usefixtures("ontology_terms")
def test_an_icd_code_broader_than_the_do_concept_that_xrefs_it_stays_its_own_concept(shared_lexicon):
    """G71.11 *Myotonic muscular dystrophy*, xref of DO's type 1, also lists type 2's "Proximal
    myotonic myopathy": its generic "myotonic dystrophy" must not become type 1. J84.10 lists
    "Postinflammatory pulmonary fibrosis", a kind of DO's pulmonary fibrosis, and stays merged."""
    generic = concept(shared_lexicon, "myotonic dystrophy")
    assert (generic.id, generic.label) == ("ICD10CM:G71.11", CONDITION)
    assert shared_lexicon.resolve("ICD10CM:G71.11") == generic
    assert concept(shared_lexicon, "myotonic dystrophy type 1").id == "DOID:11722"
    assert concept(shared_lexicon, "proximal myotonic myopathy").id != "DOID:11722"
    assert shared_lexicon.resolve("ICD10CM:J84.10").id == concept(shared_lexicon, "pulmonary fibrosis").id == "DOID:3770"


@pytest.mark.parametrize("text, concept_id, name", [
    ("bruit", "ICD10CM:R09.89#bruit-arterial", "Bruit (arterial)"),
    ("chest tympany", "ICD10CM:R09.89#chest-tympany", "Chest tympany"),
    ("loneliness", "ICD10CM:R45.89#loneliness", "Loneliness"),
    ("precordial friction", "ICD10CM:R01.2#precordial-friction", "Precordial friction"),
])
def test_each_inclusion_term_of_a_residual_icd_category_is_a_concept_of_its_own(fallback_lexicon, text, concept_id, name):
    """R09.89 *Other specified symptoms and signs involving the circulatory and respiratory
    systems* lists "Abnormal chest percussion", "Bruit (arterial)", "Chest tympany", ...: as one
    concept named by the first, every "bruit" was an abnormal chest percussion and every
    "loneliness" a flat affect (R45.89)."""
    found = concept(fallback_lexicon, text)
    assert (found.id, found.name, found.label) == (concept_id, name, SYMPTOM)


@pytest.mark.parametrize("text, hpo_id", [
    ("microglossia", "HP:0000171"), ("menorrhagia", "HP:0000132"), ("microcornea", "HP:0000482"),
    ("intention tremor", "HP:0002080"),  # G25.2 *Other specified forms of tremor* lists it alone
])
def test_an_inclusion_term_of_a_residual_disease_category_that_hpo_names_stays_a_phenotype(fallback_lexicon, text, hpo_id):
    """Q38.3 *Other congenital malformations of tongue* lists "Microglossia", N92.0 "Menorrhagia":
    a disease chapter's residual category says nothing of what each listed thing is."""
    found = concept(fallback_lexicon, text)
    assert (found.id, found.label) == (hpo_id, SYMPTOM)


def test_an_inclusion_terms_id_spells_its_accented_letters_as_their_base_letters():
    assert lexicon_module._icd_term_slug("Ménétrier's disease") == "menetrier-s-disease"
    assert lexicon_module._icd_term_slug("Bruit (arterial)") == "bruit-arterial"


@pytest.mark.usefixtures("ontology_terms")
def test_an_icd_code_that_is_both_a_block_and_a_category_is_one_concept(shared_lexicon):
    """simple_icd_10_cm lists C50 twice (the block of one category and the category): one record
    merged into DO's breast cancer, the other stayed a concept with the same id."""
    assert not set(shared_lexicon.concepts) & set(shared_lexicon.aliases)
    assert concept(shared_lexicon, "malignant neoplasm of breast") == shared_lexicon.resolve("ICD10CM:C50")


@pytest.mark.usefixtures("ontology_terms")
def test_disease_ontology_parents_come_from_the_current_release(shared_lexicon):
    """A term only HumanDO.tsv has takes its parent from the TSV's third column, a label
    (DOID:0112370 Coffin-Siris syndrome 12); where the 2016 OBO's parents differ, the TSV's win:
    the OBO made metabolic acidosis a kind of lactic acidosis, the reverse of the current DO."""
    assert shared_lexicon.related("DOID:0112370", "DOID:1925") == "DOID:0112370 is a descendant of DOID:1925"
    lactic, metabolic = concept(shared_lexicon, "lactic acidosis"), concept(shared_lexicon, "metabolic acidosis")
    assert metabolic.id in shared_lexicon.ancestors(lactic.id)
    assert lactic.id not in shared_lexicon.ancestors(metabolic.id)


def test_a_damaged_compiled_lexicon_is_built_again(lexicon_cache, monkeypatch, tmp_path):
    """A file cut short (a full disk, a power loss) failed every run until deleted by hand."""
    import shutil

    monkeypatch.setattr(lexicon_module, "_LOADED", {})
    good = load_lexicon(None, lexicon_cache, remember=False)
    (compiled,) = lexicon_cache.glob(f"lexicon-{good.fingerprint}.pkl")
    damaged_cache = tmp_path / "cache"
    damaged_cache.mkdir()
    shutil.copy(compiled, damaged_cache / compiled.name)
    with open(damaged_cache / compiled.name, "r+b") as handle:
        handle.truncate(compiled.stat().st_size // 2)
    rebuilt = load_lexicon(None, damaged_cache, remember=False)
    assert rebuilt.terms == good.terms and (damaged_cache / compiled.name).stat().st_size == compiled.stat().st_size


def named(lexicon, text):
    """The concept a text names, its words normalized as the matcher normalizes them."""
    from extractors.tokenization import normalize_tokens

    return lexicon.lookup([form for form, _ in normalize_tokens(text.split())])


@pytest.mark.parametrize("text, concept_id", [
    ("difficulty walking", "HP:0001288"),  # obsolete HP:0002355, replaced by Gait disturbance
    ("psychomotor retardation", "HP:0001263"),  # obsolete, replaced by Global developmental delay
])
def test_an_obsolete_hpo_name_names_the_term_that_replaced_it(fallback_lexicon, text, concept_id):
    assert named(fallback_lexicon, text).id == concept_id


def test_an_obsolete_hpo_name_outside_the_phenotypes_names_nothing(fallback_lexicon):
    # "Heterogeneous" was replaced by Mode of inheritance, not a phenotypic abnormality
    assert named(fallback_lexicon, "heterogeneous") is None


@pytest.mark.parametrize("text, concept_id", [
    ("trouble swallowing", "HP:0002015"),  # HPO: "Difficulty swallowing"
    ("problems with breathing", "HP:0002094"),  # "Difficulty breathing"
    ("difficulty feeding", "HP:0011968"),  # "Feeding difficulties"
    ("trouble with memory", "HP:0002354"),  # "Memory problems"
    ("problems walking", "HP:0001288"),  # the obsolete "Difficulty walking"
])
def test_a_lay_difficulty_phrase_matches_in_its_other_wordings(fallback_lexicon, text, concept_id):
    assert named(fallback_lexicon, text).id == concept_id


@pytest.mark.parametrize("text, concept_id", [
    ("loss of memory", "HP:0002354"),  # HPO: "Memory loss"
    ("loss of hair", "HP:0001596"),  # "Hair loss" of Alopecia
    ("appetite loss", "HP:0004396"),  # "Loss of appetite" of Poor appetite
])
def test_a_loss_reads_either_way_round(fallback_lexicon, text, concept_id):
    assert named(fallback_lexicon, text).id == concept_id


@pytest.mark.parametrize("text, concept_id", [
    ("blood in the urine", "HP:0000790"),  # HPO: "Blood in urine" of Hematuria
    ("swelling of face", "HP:0000282"),  # "Swelling of the face" of Facial edema
])
def test_a_preposition_reads_with_or_without_the(fallback_lexicon, text, concept_id):
    assert named(fallback_lexicon, text).id == concept_id


def test_article_variants_add_or_drop_the_after_the_first_inner_preposition():
    assert lexicon_module._article_variants(["blood", "in", "urine"]) == [["blood", "in", "the", "urine"]]
    assert lexicon_module._article_variants(["swell", "of", "the", "face"]) == [["swell", "of", "face"]]
    assert lexicon_module._article_variants(["hair", "loss"]) == []
    assert lexicon_module._article_variants(["pain", "in", "the"]) == []


@pytest.mark.parametrize("text, concept_id", [
    ("pale skin", "HP:0000980"), ("enlarged spleen", "HP:0001744"), ("slow growth", "HP:0001510"), ("blurring of vision", "HP:0000622"),
])
def test_curated_lay_wordings_of_symptom_lists(fallback_lexicon, text, concept_id):
    assert named(fallback_lexicon, text).id == concept_id


@pytest.mark.parametrize("text", ["poor muscle tone", "decreased muscle tone", "reduced muscle tone", "weak muscle tone"])
def test_lay_muscle_tone_phrases_are_hypotonia(fallback_lexicon, text):
    assert named(fallback_lexicon, text).name == "Hypotonia"


def test_hearing_loss_is_the_phenotype_not_icd_10_cms_condition(fallback_lexicon):
    # HPO gives "Hearing loss" only as a RELATED synonym; "sensorineural hearing loss" keeps its own concepts
    assert (named(fallback_lexicon, "hearing loss").id, named(fallback_lexicon, "hearing loss").label) == ("HP:0000365", "SYMPTOM")


def test_a_difficulty_wording_never_takes_a_term_another_concept_names(fallback_lexicon):
    # each is the other's difficulty wording, and each is named by HPO for its own concept
    assert named(fallback_lexicon, "respiratory difficulty").name == "Respiratory distress"
    assert named(fallback_lexicon, "respiratory problems").name == "Abnormal respiratory system physiology"


def test_difficulty_variants_keep_the_activity_and_swap_the_head():
    heads = frozenset({"difficulty", "trouble"})
    variants = lexicon_module._difficulty_variants(["difficulty", "in", "swallow"], heads)
    assert ["trouble", "swallow"] in variants and ["swallow", "difficulty"] in variants
    assert ["difficulty", "with", "swallow"] in variants and ["difficulty", "in", "swallow"] not in variants
    assert lexicon_module._difficulty_variants(["swallow"], heads) == []
    assert lexicon_module._difficulty_variants(["difficulty", "a", "b", "c", "d"], heads) == []


@pytest.mark.parametrize("page_name, source_name", [
    ("Usher syndrome type 1C", "Usher syndrome, type 1C"),
    ("Glycogen storage disease type IX", "glycogen storage disease IX"),
    ("Hereditary pancreatitis", "Pancreatitis, hereditary"),
    ("Kawasaki syndrome", "Kawasaki disease"),
    ("2q37 deletion syndrome", "Chromosome 2q37 deletion syndrome"),
])
def test_a_disease_name_has_the_same_words_in_any_order_and_punctuation(page_name, source_name):
    assert lexicon_module.name_words(page_name) == lexicon_module.name_words(source_name)
    assert lexicon_module.name_words("Bartter syndrome, type 1") != lexicon_module.name_words("Bartter syndrome, type 2")


@pytest.mark.parametrize("a, b", [
    ("OMIM:106220", "ORPHA:1069"),  # "Aniridia and absent patella", "Aniridia-absent patella syndrome"
    ("OMIM:221320", "ORPHA:3236"),  # "Deafness, conductive, with ptosis and skeletal anomalies", "Conductive deafness-ptosis-skeletal anomalies syndrome"
])
def test_two_sources_names_of_one_disease_with_the_same_words_are_one_concept(fallback_lexicon, a, b):
    assert fallback_lexicon.resolve(a).id == fallback_lexicon.resolve(b).id
    assert fallback_lexicon.resolve(a).label == CONDITION


@needs_shared
def test_a_do_disease_joins_the_omim_entry_of_its_words_but_a_disease_is_no_syndrome(shared_lexicon):
    schwartz_jampel = shared_lexicon.resolve("OMIM:255800")  # "Schwartz-jampel syndrome, type 1"
    assert schwartz_jampel.id == "DOID:0090005" and "OMIM:255800" in schwartz_jampel.xrefs  # "Schwartz-Jampel syndrome 1"
    assert shared_lexicon.resolve("ORPHA:90186").id != shared_lexicon.resolve("DOID:3982").id  # Meige disease (a lymphedema), Meige syndrome (a dystonia)


def test_a_subtypes_letter_a_the_x_of_x_linked_and_a_word_twice_are_words_of_a_name():
    assert lexicon_module.name_words("Hemophilia A") != lexicon_module.name_words("Hemophilia")
    assert lexicon_module.name_words("Dyskeratosis congenita, X-linked") == "congenita dyskeratosis linked x"
    assert lexicon_module.name_words("dyskeratosis congenita x link") == "congenita dyskeratosis link x"  # (a lexicon key's forms)
    assert lexicon_module.name_words("Mucopolysaccharidosis type X") == "10 mucopolysaccharidosis"
    assert lexicon_module.name_words("MHC class II deficiency 2") != lexicon_module.name_words("MHC class II deficiency")


def test_a_page_title_names_a_disease_whose_words_only_one_concept_has(fallback_lexicon):
    bartter = fallback_lexicon.condition_named("Bartter syndrome antenatal type 1")  # OMIM: "Bartter syndrome, type 1, antenatal"
    assert bartter is not None and bartter.label == CONDITION and "bartter" in bartter.name.lower()
    assert fallback_lexicon.lookup("bartter syndrome antenatal type 1".split()) is None  # (what the fallback is for)
    assert fallback_lexicon.condition_named("fatigue") is None  # a symptom's words name no disease
    # OMIM's and Orphanet's names of one disease, one concept now: no longer two to choose from
    assert fallback_lexicon.condition_named("Aniridia absent patella").id == fallback_lexicon.resolve("ORPHA:1069").id


def test_a_names_spelling_is_its_words_run_together_in_american_spelling():
    spelling = lexicon_module.spelling
    assert spelling("Simosa cranio facial syndrome") == spelling("Simosa craniofacial syndrome") == "simosacraniofacial"
    assert spelling("Tetra-amelia syndrome") == spelling("tetraamelia syndrome")
    assert spelling("Familial juvenile hyperuricaemic nephropathy") == spelling("familial juvenile hyperuricemic nephropathy")
    assert spelling("medium chain acyl coenzyme a dehydrogenase deficiency") == spelling("Medium-chain acyl-CoA dehydrogenase deficiency")
    assert spelling("Bartter syndrome, type III") == spelling("Bartter syndrome 3")
    assert spelling("Dyskeratosis congenita, X-linked") != spelling("X-linked dyskeratosis congenita")  # words keep their order
    assert spelling("Hemophilia A") != spelling("Hemophilia")


@pytest.mark.parametrize("title, concept_id", [
    ("simosa cranio facial syndrome", "OMIM:182150"),  # OMIM: "Simosa craniofacial syndrome"
    ("mac dermot winter syndrome", "OMIM:247990"),  # "Macdermot-Winter syndrome"
    ("oesophageal atresia", "ORPHA:1199"),  # "Esophageal atresia"
    ("medium chain acyl coenzyme a dehydrogenase deficiency", "ICD10CM:E71.311"),  # "Medium chain acyl CoA dehydrogenase deficiency"
    # "brainstem", where GARD's title writes "brain stem"
    ("leukoencephalopathy with brain stem and spinal cord involvement and lactate elevation", "OMIM:611105"),
])
def test_a_page_title_names_the_disease_its_terminology_spells_otherwise(fallback_lexicon, title, concept_id):
    assert fallback_lexicon.lookup(title.split()) is None and fallback_lexicon.condition_words.get(lexicon_module.name_words(title)) is None
    assert fallback_lexicon.condition_named(title).id == fallback_lexicon.resolve(concept_id).id


@needs_shared
def test_a_spelling_two_diseases_share_names_neither(shared_lexicon):
    # Orphanet's "Carbamoyl-phosphate synthetase 1 deficiency" and DO's "carbamoyl phosphate
    # synthetase I deficiency disease", two concepts no xref joins
    title = "carbamoyl phosphate synthetase i deficiency"
    spelled = lexicon_module.spelling(title)
    assert spelled == lexicon_module.spelling("Carbamoyl-phosphate synthetase 1 deficiency") == lexicon_module.spelling(
        "carbamoyl phosphate synthetase I deficiency disease")  # the same spelling, so None comes from the tie
    assert shared_lexicon.resolve("ORPHA:147").id != shared_lexicon.resolve("DOID:9280").id
    assert shared_lexicon.condition_named(title) is None


@needs_shared
@pytest.mark.parametrize("title, concept_id", [
    ("Mucopolysaccharidosis type IVA", "DOID:0111391"),  # not DO's mucopolysaccharidosis IV, whose synonym "MPS IVA" has the words
    ("Familial hemiplegic migraine type 1", "DOID:0111181"),  # not the whole familial hemiplegic migraine
])
def test_a_page_title_takes_the_disease_whose_own_name_has_its_words_over_one_whose_synonym_has(shared_lexicon, title, concept_id):
    assert shared_lexicon.condition_named(title).id == concept_id


def test_a_new_compiled_lexicon_removes_those_no_load_touched_for_a_month(fallback_lexicon, tmp_path, monkeypatch):
    month_old = time.time() - (lexicon_module.STALE_COMPILED_DAYS + 1) * 86_400
    stale, partial, recent = tmp_path / "lexicon-old.pkl", tmp_path / "lexicon-old.123.tmp", tmp_path / "lexicon-recent.pkl"
    for path in (stale, partial, recent):
        path.write_bytes(b"x")
    for path in (stale, partial):
        os.utime(path, (month_old, month_old))
    other = tmp_path / "notes.txt"
    other.write_text("not ours")
    os.utime(other, (month_old, month_old))
    monkeypatch.setattr(lexicon_module, "build_lexicon", lambda shared: fallback_lexicon)
    load_lexicon(None, tmp_path, remember=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["lexicon-recent.pkl", "notes.txt", f"lexicon-{compute_fingerprint(None)}.pkl"])


def test_loading_a_compiled_lexicon_marks_it_in_use(fallback_lexicon, lexicon_cache):
    path = lexicon_cache / f"lexicon-{fallback_lexicon.fingerprint}.pkl"
    month_old = time.time() - (lexicon_module.STALE_COMPILED_DAYS + 1) * 86_400
    os.utime(path, (month_old, month_old))
    lexicon_module._LOADED.pop(path, None)
    load_lexicon(None, lexicon_cache)
    assert path.stat().st_mtime > month_old + 86_400
