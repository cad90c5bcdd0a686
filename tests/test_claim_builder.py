"""Claim linking on sentences of the domain and on the seed passages."""
import pytest


def claims(nlp, text):
    return [(c.symptom_name.lower(), c.condition_name.lower(), c.measure, c.population, c.negated, c.rule) for c in nlp(text)._.claims]


def values(nlp, text):
    doc = nlp(text)
    stats = {(s._.statistic.start, s._.statistic.end): s._.statistic for s in doc.spans["statistics"]}
    return {(c.symptom_name.lower(), c.condition_name.lower(), c.measure):
            c.interval or ((stats[c.statistic].value_low, stats[c.statistic].value_high) if c.statistic else None)
            for c in doc._.claims}


def test_symptom_affects_share_of_people_with_condition(nlp):
    found = values(nlp, "Spasticity, which causes muscle stiffness and tightness, affects about 20 percent of people with MS.")
    assert found == {("spasticity", "multiple sclerosis", "prevalence"): (0.2, 0.2)}


def test_a_share_affected_each_year_is_an_incidence(nlp):
    found = values(nlp, "About 2 percent of people with MS develop seizures each year.")
    assert found == {("seizure", "multiple sclerosis", "incidence"): (0.02, 0.02)}


def test_a_parenthesized_figure_is_the_item_before_it(nlp):
    """GHR's lists give each item its share in parentheses: never the next item's."""
    found = values(nlp, "Symptoms may include: Palatal abnormalities (69% of individuals) Characteristic facial features "
                        "(elongated face, wide nose) Learning difficulties (70-90% of individuals) Feeding difficulties (30%).")
    assert found == {("feeding difficulties", "", "prevalence"): (0.3, 0.3)}
    assert values(nlp, "MS causes fatigue in most people (about 80%).")[("fatigue", "multiple sclerosis", "prevalence")] == (0.8, 0.8)
    glossed = claims(nlp, "Other signs may include swelling of the hands (edema), skin rashes (seen in 30 to 40 percent) and enlarged lymph nodes.")
    assert [(s, m) for s, _, m, *_ in glossed if m != "association"] == [("skin rash", "prevalence")]  # "(seen in …" too
    assert values(nlp, "MS causes fatigue in most people (about 80% of people with MS).")[("fatigue", "multiple sclerosis", "prevalence")] == (0.8, 0.8)
    # a parenthesis whose people do something else counts that, not the item before it
    for parenthesis in ("(fewer than 5% of patients need wheelchairs)", "(fewer than 5% of patients with it need wheelchairs)"):
        counted_otherwise = claims(nlp, f"Multiple sclerosis may call for surgery to correct severe pes cavus and canes for stability {parenthesis}.")
        assert [c for c in counted_otherwise if c[2] != "association"] == []
    assert values(nlp, "MS causes fatigue in most people (about 80% of those affected).")[("fatigue", "multiple sclerosis", "prevalence")] == (0.8, 0.8)


@pytest.mark.parametrize("text", [
    "Cap myopathy causes muscle weakness. Individuals in whom 70 to 75 percent of muscle cells have caps typically have severe breathing problems.",
    "Mycosis fungoides causes papules. In stage IA, less than 10% of the skin surface is covered with papules.",
    "For adults, weight loss is a success if you lose at least 10 percent of your initial weight.",
])
def test_a_share_of_a_thing_counts_no_people(nlp, text):
    """A share of cells, of the skin's surface or of one's weight says nothing of how many people have a symptom."""
    assert [c for c in claims(nlp, text) if c[2] == "prevalence"] == []


def test_the_people_a_share_counts_may_do_something_to_a_thing():
    """The share is still theirs: "20% of patients lose weight" counts patients."""
    from extractors.claim_builder import _SHARE_OF_A_THING

    assert [bool(_SHARE_OF_A_THING.match(after)) for after in (" of patients lose weight", " of women gain weight", " of the total population",
                                                                " of their children", " of your initial weight")] == [False] * 4 + [True]


@pytest.mark.parametrize("text", [
    "Diverticulitis causes abdominal pain. A high-fiber diet and mild pain reliever will often relieve symptoms.",
    "Some people with a balance disorder may not be able to fully relieve their dizziness.",
    "Selective serotonin reuptake inhibitors may reduce itching for some individuals with polycythemia vera.",
    "In most cases, dietary and lifestyle changes will help prevent urinary retention caused by constipation.",
    # a treatment's side effects, and how often care is needed
    "In acromegaly, digestive problems such as nausea are a side effect in about half of people taking SSAs.",
    "Chemotherapy for breast cancer has side effects; common ones are nausea and hair loss.",
    "In Madelung disease, lipomas grow on the neck. In some cases, a biopsy of the lipomas may be necessary to confirm the diagnosis.",
    "In rare cases, individuals with HSP may need to be hospitalized if they experience severe abdominal pain.",
])
def test_whom_a_treatment_helps_or_harms_or_how_often_care_is_needed_is_no_figure_of_a_symptom(nlp, text):
    assert claims_with_figures(nlp, text) == []


@pytest.mark.parametrize("text", [
    "In most cases, tracheoesophageal fistula (TEF) is not inherited and there is only one affected person in a family.",
    "In some cases, heterotaxy syndrome is caused by mutations in genes.",
    "In rare cases, a chronic cough is due to lung cancer.",
    "The exact cause of cold urticaria is poorly understood in most cases.",
    "In most cases of cold urticaria, the underlying cause is poorly understood.",
    "In some cases, the vision loss results from a condition called retinitis pigmentosa.",
    "In most cases, muscle weakness does not worsen over time, and in some instances it may improve.",
    "In 90% of affected individuals, acute attacks of sciatica usually improve within 4 to 6 weeks without surgery.",
    "In some cases, acquired heart block may go away if the factor causing it is treated.",
    "Because of their severe breathing problems, individuals with X-linked myotubular myopathy usually survive only into early childhood.",
    "Babies with hypophosphatasia have recurrent vomiting. These complications are life-threatening in some cases.",
    "Because of the respiratory problems, most affected individuals do not survive past infancy.",
    "Although most people with sporadic hemiplegic migraine recover completely between episodes, memory loss may persist.",
    "Recurrent pericarditis causes chest pain. Most cases of recurrent pericarditis are thought to be the result of autoimmune disorders.",
    "Early prostate cancer usually does not cause pain, and most affected men exhibit no noticeable symptoms.",
    "In some cases, skin lesions heal spontaneously but the lesions often later return.",
    "Hailey-Hailey disease is a skin condition. In rare cases the skin lesions may develop into a form of skin cancer.",
    # the outcome as a noun, and the people counted by what they have or had done
    "Broken heart syndrome causes sudden chest pain, and most people have a full and quick recovery.",
    "Multifocal motor neuropathy causes weakness. Most people treated with intravenous immune globulin (IVIG) have rapid improvement in weakness.",
    "Chiari malformations cause headaches. Many patients with the more severe types of Chiari malformations who undergo surgery see a reduction in their headaches.",
    "Cardiogenic shock causes low blood pressure. Now, about half of the people who go into cardiogenic shock survive.",
    "Guillain-Barre syndrome causes weakness. Most people reach the stage of greatest weakness within the first 2 weeks after symptoms appear.",
])
def test_how_often_a_cause_or_a_course_is_is_no_figure_of_the_symptom(nlp, text):
    assert claims_with_figures(nlp, text) == []


@pytest.mark.parametrize("text", [
    "Rosacea is most common in women and people with fair skin.",
    "Arrhythmias are very common in older adults.",
    "Primary ESS is most common in adults and women, and is often associated with obesity and high blood pressure.",
    "Blount disease is a growth disorder. While it is not uncommon for young children to have bowed legs, the bowing improves with age.",
    # a share of the general population a patient is measured against
    "Children with chronic kidney disease may have growth failure. When a child is below the third percentile, meaning "
    "97 percent of children the same age and gender are taller, he or she has growth failure.",
])
def test_who_in_the_general_population_gets_it_is_no_figure_of_a_symptom(nlp, text):
    assert claims_with_figures(nlp, text) == []


@pytest.mark.parametrize("text, symptom, condition", [
    ("Most people with myasthenia gravis have muscle weakness, which can improve with rest.", "muscle weakness", "myasthenia gravis"),
    ("Most people with myasthenia gravis have muscle weakness that can improve with rest.", "muscle weakness", "myasthenia gravis"),
    ("In Kawasaki disease, 80% of patients have fever and recovery is slow.", "fever", "kawasaki disease"),
])
def test_a_figure_of_people_who_have_a_symptom_that_improves_later_is_kept(nlp, text, symptom, condition):
    assert [c[:2] for c in claims(nlp, text) if c[2] == "prevalence"] == [(symptom, condition)]


def test_a_frequency_among_people_with_the_condition_is_kept(nlp):
    assert ("epistaxis", "hereditary hemorrhagic telangiectasia", "frequency") in {
        c[:3] for c in claims(nlp, "Nosebleeds are very common in people with hereditary hemorrhagic telangiectasia.")}
    assert ("anemia", "chronic kidney disease", "frequency") in {
        c[:3] for c in claims(nlp, "Anemia is common in adults with chronic kidney disease.")}


def test_a_share_of_cases_a_cause_accounts_for_is_no_figure_of_the_symptom_before(nlp):
    found = values(nlp, "Most people with COACH syndrome have oculomotor apraxia. This condition is inherited in an autosomal "
                        "recessive manner; 70% of cases are thought to be caused by mutations in the TMEM67 gene.")
    assert [key for key, interval in found.items() if interval == (0.7, 0.7)] == []


def test_a_figure_without_a_condition_nearby_takes_the_documents_topic(nlp):
    later = "Some people have muscle cramps. Also common is a tingling or prickly sensation in the skin (paresthesias)."
    found = claims(nlp, "Gitelman syndrome is a kidney disorder that causes an imbalance of charged atoms. " + later)
    assert ("paresthesia", "gitelman syndrome", "frequency", "", False, "condition_from_topic") in found
    assert {(s, c) for s, c, *_ in claims(nlp, later)} == {("muscle spasm", ""), ("paresthesia", "")}  # no topic: none



def test_a_figure_of_how_often_one_sign_comes_before_another_counts_no_one_with_it(nlp):
    text = "In Henoch-Schönlein purpura, pain in the joints or abdomen precedes the rash in about one-third of cases by as many as 14 days."
    assert [name for name, *_ in claims_with_figures(nlp, text)] == []
    assert [name for name, *_ in claims_with_figures(nlp, "The rash appears in about one-third of cases of Henoch-Schönlein purpura.")] == ["skin rash"]


@pytest.mark.parametrize("title", ["What is the outlook for Guillain-Barré Syndrome ?", "What is (are) Guillain-Barré Syndrome ?"])
def test_the_topic_is_the_condition_a_records_title_asks_about(nlp, title):
    """MedQuAD's questions are its pages' titles (ingest's title field)."""
    found = claims(nlp, f"{title}\n\nMost people recover. About 3 percent may suffer a relapse of muscle weakness years later.")
    assert ("muscle weakness", "guillain-barre syndrome", "prevalence", "", False, "condition_from_topic") in found


@pytest.mark.parametrize("opening", [
    "Autoimmune pancreatitis is caused by an immune response against the pancreas.",
    "Autoimmune pancreatitis affects the pancreas and can also affect the bile ducts.",
    "Mutations in the IGG4 gene cause autoimmune pancreatitis.",
    "The signs and symptoms of autoimmune pancreatitis vary.",
])
def test_the_topic_is_the_condition_an_opening_defines_or_gives_the_cause_or_signs_of(nlp, opening):
    found = claims(nlp, opening + " It can affect other organs. Common signs and symptoms include painless jaundice and weight loss.")
    assert ("jaundice", "autoimmune pancreatitis", "frequency", "", False, "condition_from_topic") in found

@pytest.mark.parametrize("text", [
    "In most cases, light anesthesia and pain medication help patients relax for the test.",
    "Some people have found pain relief using acupuncture.",
    "Common arrhythmia treatments include medicines, medical procedures, and surgery.",
    "Most adults require pain medication after an open hernia repair.",
    "If you have a color vision defect, you may see these colors differently than most people.",
    "Affected individuals have a low birth weight and are generally shorter than about 97 percent of their peers throughout life.",
    "Barber-Say syndrome is a rare condition with a large mouth (macrostomia). It has been described in less than 20 patients "
    "in the medical literature.",
])
def test_treatments_comparisons_and_case_reports_are_no_figures_of_a_symptom(nlp, text):
    assert claims_with_figures(nlp, text) == []


@pytest.mark.parametrize("text", [
    "A health care provider may suspect acquired cystic kidney disease if a person who has been on dialysis for several "
    "years develops symptoms such as fever, back pain, or blood in the urine.",
    "For vomiting in children and adults, avoid solid foods until vomiting has stopped for at least six hours.",
])
def test_the_span_of_a_treatment_or_a_pause_is_no_duration_of_a_symptom(nlp, text):
    assert [m for _, _, m, *_ in claims(nlp, text) if m == "duration"] == []
    assert ("fever", "", "duration") in {c[:3] for c in claims(nlp, "Patients have had a fever for at least 3 days.")}


@pytest.mark.parametrize("text", [
    "Because indigestion can be a sign of a more serious problem, see your health care provider if it lasts for more than two weeks.",
    "In babies with achondroplasia, apnea occurs when breathing stops for more than 15 seconds.",
    "If shock lasts more than a few minutes, the lack of oxygen starts to damage the organs.",
])
def test_a_span_in_a_condition_of_advice_or_a_definition_is_no_duration(nlp, text):
    assert [m for _, _, m, *_ in claims(nlp, text) if m == "duration"] == []


def test_a_span_after_a_clause_that_sets_the_scene_stays_a_duration(nlp):
    found = claims(nlp, "When attacks occur in people with migraine, the headache usually lasts 4 to 72 hours.")
    assert ("headache", "migraine", "duration") in {c[:3] for c in found}


def test_a_word_cut_at_the_end_of_the_context_is_no_verb_of_outcome(nlp):
    """"… develop liver disease": "live" of "liver" at the end of a 60-character window had read as "live"."""
    found = claims(nlp, "About 10 percent of infants with alpha-1 antitrypsin deficiency develop liver disease.")
    assert ("abnormality of the liver", "alpha 1-antitrypsin deficiency", "prevalence") in {c[:3] for c in found}


def test_a_share_of_patients_a_symptom_is_reported_in_is_kept(nlp):
    assert ("fatigue", "", "prevalence") in {c[:3] for c in claims(nlp, "Fatigue is reported in at least 50% of patients.")}


def test_not_uncommon_is_an_affirmed_frequency(nlp):
    assert claims(nlp, "Headaches are not uncommon in people with MS.") == [
        ("headache", "multiple sclerosis", "frequency", "people", False, "S_affects_N_of_population_with_C")]


def test_a_symptom_that_causes_another_keeps_its_figure(nlp):
    """Only what causes the symptom itself: "can cause headaches" and "fatigue caused by anemia
    is common" still say how often the symptom occurs."""
    assert ("headache", "", "frequency") in {c[:3] for c in claims(nlp, "In rare cases, high blood pressure can cause headaches.")}
    assert ("fatigue", "anemia", "frequency") in {c[:3] for c in claims(nlp, "Fatigue caused by anemia is common in affected individuals.")}


def test_what_people_have_is_counted_though_its_name_is_a_change(nlp):
    """Verb forms only: "have increased thirst" names what they have."""
    assert ("thirst", "diabetes mellitus", "prevalence") in values(nlp, "Most people with diabetes have increased thirst.")


def test_people_counted_as_having_no_symptoms_have_none_of_those_around(nlp):
    found = claims_with_figures(nlp, "Many people don't have symptoms, but some people have cramping, bloating, and constipation.")
    assert {figure for *_, figure in found} == {"some people"}
    assert claims_with_figures(nlp, "Complications of medullary sponge kidney include - hematuria - kidney stones - "
                                    "Many people with medullary sponge kidney have no symptoms.") == []


def test_a_figure_does_not_reach_across_a_turn_of_the_sentence(nlp):
    assert claims_with_figures(nlp, "People with Nicolaides-Baraitser syndrome are often happy and friendly, but may have periods of aggression.") == []


def claims_with_figures(nlp, text):
    doc = nlp(text)
    return [(c.symptom_name.lower(), c.measure, doc.text[c.statistic[0]:c.statistic[1]]) for c in doc._.claims if c.statistic]


@pytest.mark.parametrize("text, symptom, figure", [
    ("Most people with cyclic vomiting syndrome have normal intelligence, although some affected people have developmental delay.",
     "global developmental delay", "some affected people"),
    ("Many affected individuals with Nager syndrome have small or unusually formed ears, and about 60 percent have hearing loss.",
     "hearing impairment", "about 60 percent"),
    ("People diagnosed with VACTERL association typically have at least three of these features; between 50 and 80 percent have a tracheoesophageal fistula.",
     "tracheoesophageal fistula", "between 50 and 80 percent"),
])
def test_a_symptom_counted_by_a_share_in_its_own_clause_is_not_counted_by_one_before(nlp, text, symptom, figure):
    assert [found for name, _, found in claims_with_figures(nlp, text) if name == symptom] == [figure]


def test_a_bare_some_after_a_conjunction_counts_the_people_counted_before(nlp):
    found = claims_with_condition(nlp, "Almost all individuals with beta-mannosidosis experience intellectual disability, "
                                       "and some have delayed motor development and seizures.")
    assert found == [("motor delay", "beta-mannosidosis", "some"), ("seizure", "beta-mannosidosis", "some")]


def test_the_condition_whose_people_a_figure_counted_owns_the_list_after(nlp):
    found = values(nlp, "About half of people with Smith-Magenis syndrome have behavioral problems. "
                        "These include frequent temper tantrums and outbursts, aggression, and anxiety.")
    assert {(symptom, measure) for symptom, condition, measure in found if condition == "smith-magenis syndrome"} >= {
        ("atypical behavior", "prevalence"), ("aggressive behavior", "association"), ("anxiety", "association")}


def test_a_bare_some_before_go_on_to_develop_counts_its_clause(nlp):
    found = claims_with_condition(nlp, "Most children with Alport syndrome have blood in the urine, and some go on to develop hearing loss.")
    assert [figure for symptom, _, figure in found if symptom == "hearing impairment"] == ["some"]


@pytest.mark.parametrize("text, expected", [
    # the figure's own people, through "exhibit" (a verb the share's rules did not read)
    ("Some individuals with hyperprolinemia type I exhibit seizures, intellectual disability, or other problems.",
     ("seizure", "hyperprolinemia type 1", "Some individuals")),
    ("Most people with MS also exhibit paresthesias.", ("paresthesia", "multiple sclerosis", "Most")),
    # and a bare quantifier's, after a conjunction
    ("Many affected infants with adenylosuccinate lyase deficiency develop seizures, and some exhibit autistic behaviors.",
     ("autistic behavior", "adenylosuccinate lyase deficiency", "some")),
])
def test_every_rule_reads_the_same_verbs_of_having(nlp, text, expected):
    assert expected in claims_with_condition(nlp, text)


def test_a_bare_many_counts_the_people_named_by_a_condition_not_a_condition_named_otherwise(nlp):
    found = claims_with_condition(nlp, "People with Down syndrome often develop the brain changes seen in Alzheimer disease, "
                                       "and many have memory loss.")
    assert [(condition, figure) for symptom, condition, figure in found if symptom == "memory impairment"] == [("down syndrome", "many")]


def test_a_frequency_adverb_in_the_clause_of_a_share_does_not_displace_it(nlp):
    found = claims_with_condition(nlp, "About 70 percent of people with celiac disease usually have diarrhea.")
    assert ("diarrhea", "celiac disease", "About 70 percent") in found


def claims_with_condition(nlp, text):
    doc = nlp(text)
    return [(c.symptom_name.lower(), c.condition_name.lower(), doc.text[c.statistic[0]:c.statistic[1]]) for c in doc._.claims if c.statistic]


def test_a_frequency_word_that_describes_an_item_leaves_the_items_the_share_of_their_clause(nlp):
    found = claims_with_figures(nlp, "When symptoms of ulcerative colitis first appear, - most people with ulcerative colitis have mild to "
                                     "moderate symptoms - about 10 percent of people can have severe symptoms, such as frequent, "
                                     "bloody bowel movements; fevers; and severe abdominal cramping")
    assert {(name, figure) for name, measure, figure in found if measure == "prevalence"} == {
        ("bloody diarrhea", "about 10 percent"), ("fever", "about 10 percent"), ("severe abdominal cramp", "about 10 percent")}


def test_a_condition_in_a_list_of_findings_is_an_item_though_an_unknown_item_with_a_gloss_stands_between(nlp):
    """ "seizures" is epilepsy to the terminology; "difficulty coordinating movements (ataxia)" is no mention."""
    found = values(nlp, "About half of those affected experience seizures, difficulty coordinating movements (ataxia), decreased reflexes.")
    assert {condition for _, condition, _ in found} == {""}


def test_coordinated_symptoms_give_one_claim_each(nlp):
    found = values(nlp, "Muscle spasms or stiffness can affect between 40% and 80% of people with MS at some time.")
    assert found[("muscle spasm", "multiple sclerosis", "prevalence")] == (0.4, 0.8)
    assert found[("muscle stiffness", "multiple sclerosis", "prevalence")] == (0.4, 0.8)


def test_share_of_population_have_symptom(nlp):
    found = claims(nlp, "About 60% of children with asthma have wheezing at night.")
    assert [(s, c, m, p) for s, c, m, p, _, _ in found] == [("wheezing", "asthma", "prevalence", "children")]
    assert found[0][5] == "N_of_population_with_C_have_S"


def test_frequency_word_symptom_of_condition(nlp):
    found = claims(nlp, "Spasticity is a common symptom in MS and often affects one or both of the legs.")
    assert [(s, c, m) for s, c, m, *_ in found] == [("spasticity", "multiple sclerosis", "frequency")]


def test_parenthetical_alias_is_not_the_subject(nlp):
    found = claims(nlp, "Muscle spasms (also called cramps or fasciculations) are a common symptom of multiple sclerosis (MS).")
    assert [(s, c, m) for s, c, m, *_ in found] == [("muscle spasm", "multiple sclerosis", "frequency")]


def test_duration_without_condition(nlp):
    found = values(nlp, "These spasms usually last 60 to 90 seconds.")
    assert found == {("muscle spasm", "", "duration"): (60.0, 90.0)}


def test_pronoun_takes_the_next_sentences_symptom(nlp):
    found = claims(nlp, "It is one of the more common symptoms of MS. Spasticity may be as mild as the feeling of tightness of muscles.")
    assert ("spasticity", "multiple sclerosis", "frequency", "", False, "pronoun_reference") in found


def test_a_pronoun_stands_for_the_symptom_the_sentence_before_opens_with(nlp):
    found = claims_with_figures(nlp, "An unsteady gait is the first symptom. It usually appears between the age of 12 months and 18 months.")
    assert ("unsteady gait", "onset_age", "between the age of 12 months and 18 months") in found


@pytest.mark.parametrize("text", [
    # "It" is the syndrome: its onset, not aphasia's
    "Landau-Kleffner syndrome is characterized by the sudden development of aphasia. It most frequently occurs in children between the ages of 2 and 8.",
    # the condition's inheritance, not the last symptom listed
    "Common symptoms include feeding difficulties, vomiting, and abdominal swelling. It typically occurs sporadically, but there may be a genetic component in some cases.",
    # "This protein" is no pronoun, and the next sentence's symptom is not what it stands for
    "This protein can also damage the kidneys, in some cases leading to kidney failure. Muscle pain is also common.",
])
def test_a_pronoun_does_not_stand_for_a_symptom_deeper_in_the_sentence_before_or_after(nlp, text):
    assert [(symptom, figure) for symptom, _, figure in claims_with_figures(nlp, text) if figure in ("between the ages of 2 and 8", "in some cases")] == []


def test_symptom_list_gives_associations(nlp):
    found = claims(nlp, "Symptoms of asthma include wheezing, cough and shortness of breath.")
    assert {(s, c, m) for s, c, m, *_ in found} >= {("wheezing", "asthma", "association"), ("cough", "asthma", "association")}


def test_negated_statement_is_a_negated_claim(nlp):
    found = claims(nlp, "People with ALS do not usually experience numbness or tingling.")
    assert found and all(negated for *_, negated, _ in found)


def test_frequency_adverbs_do_not_make_claims_on_their_own(nlp):
    assert all(m != "frequency" for _, _, m, *_ in claims(nlp, "MS tremors are usually caused by damage to myelin in the cerebellum."))
    assert claims(nlp, "Muscle twitching typically isn't an emergency, but a serious medical condition may be causing it.") == []


def test_rare_disease_is_not_a_symptom_frequency(nlp):
    found = claims(nlp, "Blood tests can rule out other conditions that cause fatigue, including rare hereditary diseases.")
    assert all(m != "frequency" for _, _, m, *_ in found)


def test_seed_passages_yield_the_core_claims(nlp, seed_passages):
    found = set()
    for doc in nlp.pipe(seed_passages):
        stats = {(s._.statistic.start, s._.statistic.end): s._.statistic for s in doc.spans["statistics"]}
        for c in doc._.claims:
            stat = stats.get(c.statistic)
            found.add((c.symptom_name.lower(), c.condition_name.lower(), c.measure, stat.value_low if stat and c.measure != "frequency" else None,
                       stat.value_high if stat and c.measure != "frequency" else None, c.negated))
    expected = {
        ("spasticity", "multiple sclerosis", "prevalence", 0.2, 0.2, False),
        ("muscle spasm", "multiple sclerosis", "prevalence", 0.4, 0.8, False),
        ("muscle stiffness", "multiple sclerosis", "prevalence", 0.4, 0.8, False),
        ("muscle spasm", "", "duration", 60.0, 90.0, False),
        ("spasticity", "multiple sclerosis", "frequency", None, None, False),
        ("muscle spasm", "multiple sclerosis", "frequency", None, None, False),
    }
    assert expected <= found
    assert any(s == "hypoesthesia" and c == "multiple sclerosis" and m == "frequency" for s, c, m, *_ in found), "numbness is often the first symptom of MS"


def test_phenotype_table_rows_belong_to_the_disease_named_above(nlp):
    text = ("The Human Phenotype Ontology provides the following list of signs and symptoms for Ankylosing spondylitis. "
            "Signs and Symptoms Approximate number of patients (when available) Arthralgia 90% Uveitis 50% Asthma 7.5% "
            "Seizures 5% Fever 33% Rash -")
    found = values(nlp, text)
    # 90 %, 50 %, 7.5 % and 5 % are how GARD prints HPO's frequency classes; another figure is itself
    assert found[("arthralgia", "ankylosing spondylitis", "prevalence")] == (0.80, 0.99)
    assert found[("uveitis", "ankylosing spondylitis", "prevalence")] == (0.30, 0.79)
    assert found[("asthma", "ankylosing spondylitis", "prevalence")] == (0.05, 0.29)
    assert found[("seizure", "ankylosing spondylitis", "prevalence")] == (0.05, 0.29)
    assert found[("fever", "ankylosing spondylitis", "prevalence")] == (0.33, 0.33)
    assert all(c == "ankylosing spondylitis" for _, c, _ in found)


GARD_TABLE = ("The Human Phenotype Ontology provides the following list of signs and symptoms for Abetalipoproteinemia. "
              "Signs and Symptoms Approximate number of patients (when available) Malabsorption 90% Abnormality of movement 50% "
              "Incoordination 50% Muscular hypotonia 50% Tuberculosis 7.5% Visual impairment 7.5% Ataxia -")


@pytest.mark.usefixtures("ontology_terms")
def test_a_phenotype_table_cell_the_lexicon_reads_as_a_disease_becomes_its_hpo_symptom(nlp):
    """"Abnormality of movement" is DOID:480 "movement disease" in running text; in a GARD
    frequency table's first column it is the HPO phenotype, and its mention says so."""
    doc = nlp(GARD_TABLE)
    by_text = {doc.text[c.symptom[0]:c.symptom[1]]: c for c in doc._.claims}
    movement = by_text["Abnormality of movement"]
    assert (movement.symptom_id, movement.symptom_name) == ("HP:0100022", "Abnormality of movement")
    entity = next(e for e in doc.ents if e.start_char == movement.symptom[0])
    assert (entity.label_, entity._.concept_id) == ("SYMPTOM", "HP:0100022")
    assert "DOID:480" in entity._.xrefs


@pytest.mark.usefixtures("ontology_terms")
def test_every_mention_id_of_a_phenotype_tables_evidence_is_a_mention(nlp):
    """Evidence names each of its mentions by id; a cell no HPO term names (Tuberculosis) stays
    the CONDITION the matcher found and is named as one."""
    from claims.consolidate import build_tables
    from extractors.records import doc_to_extraction

    extraction = doc_to_extraction(nlp(GARD_TABLE), "gard").to_dict()
    documents = [{"doc_id": "gard", "source": "gard", "sha256": "0", "status": "ok", "reason": "", "n_chars": len(GARD_TABLE)}]
    tables = build_tables(documents, [extraction])
    evidence, mention_ids = tables["evidence"], set(tables["mentions"]["mention_id"])
    assert (evidence["rule"] == "frequency_table").sum() == 6
    tuberculosis = tables["mentions"].set_index("text").loc["Tuberculosis", "mention_id"]
    assert tuberculosis.endswith(":C") and tuberculosis in set(evidence["symptom_mention_id"])
    for column in ("symptom_mention_id", "condition_mention_id", "statistic_mention_id"):
        assert set(evidence[column].dropna()) <= mention_ids, column


def associations(nlp, text):
    return {(s, c, negated) for s, c, m, _, negated, _ in claims(nlp, text) if m == "association"}


def test_a_condition_listed_among_the_symptoms_owns_none_of_them(nlp):
    """"seizures" (epilepsy), "depression", "hypoglycemia" are items of these lists, not the
    condition whose symptoms they are: with no other condition named there is no claim."""
    for text in (
        "Severe low levels of sodium in the body may cause muscle twitching, seizures, stupor, coma, and death.",
        "This can cause tiredness, lack of energy, being sensitive to cold, constipation, dry skin, thinning hair, "
        "memory problems, trouble concentrating, and depression.",
        "Signs and symptoms can include feeding difficulties, lack of energy, low blood sugar (hypoglycemia), "
        "weak muscle tone (hypotonia), and liver problems.",
        "Other symptoms include - depression  - emotional changes  - difficulty swallowing and chewing  - urinary problems or constipation",
    ):
        assert associations(nlp, text) == set(), text


@pytest.mark.usefixtures("ontology_terms")
def test_the_owner_of_a_list_is_the_condition_named_as_such(nlp):
    assert associations(nlp, "In MS, muscle weakness and spasticity can make walking harder.") == {
        ("muscle weakness", "multiple sclerosis", False), ("spasticity", "multiple sclerosis", False)}
    assert ("fever", "urinary tract infection", False) in associations(nlp, "UTI symptoms can include - fever - irritability - diarrhea")
    assert associations(nlp, "MS tremors are usually caused by damage to myelin in the cerebellum.") == {("tremor", "multiple sclerosis", False)}


@pytest.mark.usefixtures("ontology_terms")
def test_a_condition_named_as_owner_is_no_list_item_for_the_comma_after_it(nlp):
    """MedQuAD: the comma after "In people with X," or "the classic signs of X," does not make X an
    item of the list that follows, as ``_may_own`` would read it (of 40 evidence rows it changed on
    MedQuAD, sampled, 17 had been right and 16 wrong)."""
    assert associations(nlp, "In people with retinitis pigmentosa, vision loss occurs as the light-sensing cells of the retina "
                             "gradually deteriorate.") == {("visual loss", "retinitis pigmentosa", False)}
    scid = ("The condition is characterized by the classic signs of SCID, including severe and recurrent infections, diarrhea, "
            "failure to thrive, and absence of T and B lymphocytes along with skeletal anomalies like short stature, bowing of the long "
            "bones and other abnormalities affecting the ends of the long bones (metaphyseal abnormalities).")
    assert {("diarrhea", "severe combined immunodeficiency", False), ("failure to thrive", "severe combined immunodeficiency", False)} <= (
        associations(nlp, scid))


def test_a_condition_after_a_feature_noun_is_named_as_no_owner(nlp):
    """MedQuAD: "feelings of", "a combination of", "impairment with" make the condition after them
    one more feature of the list, not its owner (35 of 35 evidence rows it changed were wrong)."""
    for text in (
        "When symptoms appear, they are often mild and nonspecific, such as muscle weakness, fatigue, increased need for sleep, "
        "feelings of depression, or aches and pains in bones and joints.",
        "Signs and symptoms vary widely between the forms but generally include a combination of dementia, vision loss, and epilepsy.",
        "Others experience a more progressive course characterized by slowly progressive cognitive impairment with dementia, "
        "confusion, hallucinations, or sleepiness.",
        # nor the subject before a list's cue (twenty-sixth round; the condition after "with" is denied)
        "Problems with sleep and episodes of depression are not seen in people with dopa-responsive dystonia caused by TH gene "
        "mutations.",
    ):
        assert associations(nlp, text) == set(), text


def test_episodes_of_a_condition_own_a_list_unless_listed_among_its_items(nlp):
    assert ("abdominal pain", "acute porphyria", False) in associations(
        nlp, "Episodes of acute porphyria can cause abdominal pain, vomiting, constipation, and diarrhea.")
    assert not {c for _, c, _ in associations(nlp, "Fatigue and episodes of depression are common in people with lupus.")} & {"depression"}


def test_a_title_names_one_disease_and_states_nothing(nlp):
    """MedQuAD (GARD): the question title and the line above the table name one disease by its
    features; none of its words owns the others (84 evidence rows it took away, none right)."""
    for text in (
        "What are the signs and symptoms of Hypertrichosis, hyperkeratosis, mental retardation, and distinctive facial features?",
        "The Human Phenotype Ontology provides the following list of signs and symptoms for Alaninuria with microcephaly, dwarfism, "
        "enamel hypoplasia and diabetes mellitus.",
    ):
        assert associations(nlp, text) == set(), text


@pytest.mark.usefixtures("ontology_terms")
def test_a_second_name_is_a_term_of_the_alias_statement_not_a_mention_after_it(nlp):
    """MedQuAD: "also known as" names Conradi-Hnermann-Happle syndrome; the statement's span runs on
    to skeletal dysplasia, which is no second name and may own the symptoms after it."""
    from extractors.claim_builder import _DocView, _may_own

    doc = _DocView(nlp("X-linked dominant chondrodysplasia punctata (CDPX2), also known as Conradi-Hnermann-Happle syndrome, is a rare "
                       "form of skeletal dysplasia characterized by skeletal malformations, skin abnormalities, cataracts and short stature."))
    dysplasia = next(e for e in doc.ents if doc.text_of(e) == "skeletal dysplasia")
    assert _may_own(doc, dysplasia, list(doc.ents))


@pytest.mark.usefixtures("ontology_terms")
def test_the_condition_a_diagnosis_is_suspected_of_owns_the_symptoms_that_suggest_it(nlp):
    """MedQuAD: "a diagnosis of X is suspected in people with S" names S as X's symptom; "diagnosis
    of" keeps X from being named as the owner, not from being the subject before the list's cue
    (``_may_own`` refuses it: of the 13 evidence rows this took away on MedQuAD, 11 were right)."""
    assert associations(nlp, "A diagnosis of polymyositis is often suspected in people with proximal muscle weakness and other "
                             "associated signs and symptoms.") == {("proximal muscle weakness", "polymyositis", False)}
    shingles = ("A healthcare provider usually confirms a diagnosis of shingles if the person also - reports a sharp, burning pain   "
                "- has had chickenpox   - has blisters that look like chickenpox   - is elderly.")
    assert ("pain", "herpes zoster", False) in associations(nlp, shingles)


def test_a_denied_condition_gives_no_claim_but_a_denied_relation_a_negated_one(nlp):
    assert associations(nlp, "Mirror movements can also occur in people who do not have congenital mirror movement disorder.") == set()
    assert associations(nlp, "Until your rash has developed crusts, avoid contact with pregnant women who have never had chickenpox.") == set()
    assert associations(nlp, "Fever is not a symptom of migraine, so a severe headache should be checked.") == {("fever", "migraine", True)}


def test_lists_of_risk_factors_or_side_effects_are_not_symptoms(nlp):
    assert associations(nlp, "Your risk for P.A.D. is higher if you have diabetes, high cholesterol, high blood pressure, or heart disease.") == set()
    assert associations(nlp, "Side effects of prednisone in people with hepatitis may include weight gain, acne, and high blood pressure.") == set()


def test_a_phenotype_list_without_figures_belongs_to_the_disease_named_above(nlp):
    """GARD prints HPO's annotations without a frequency as "A - B - C"; every item is a
    phenotype of the disease named above, none of them the owner of the others."""
    text = ("The Human Phenotype Ontology provides the following list of signs and symptoms for Ankylosing spondylitis. "
            "Signs and Symptoms Approximate number of patients (when available) Arthralgia - Uveitis - Dementia - Back pain - "
            "The Human Phenotype Ontology (HPO) has collected information on how often a sign or symptom occurs in a condition.")
    found = claims(nlp, text)
    assert {(s, c, r) for s, c, _, _, _, r in found} == {
        (s, "ankylosing spondylitis", "phenotype_list") for s in ("arthralgia", "uveitis", "dementia", "back pain")}


def test_a_table_figure_whose_cell_is_unknown_is_not_the_next_items(nlp):
    """ "Incomplete penetrance 50% … Bimanual synkinesia -": the terminology knows no phenotype
    in the first cell, so its 50% belongs to none; the items after it are still the disease's."""
    text = ("The Human Phenotype Ontology provides the following list of signs and symptoms for Ankylosing spondylitis. "
            "Signs and Symptoms Approximate number of patients (when available) Incomplete penetrance 50% Uveitis - Back pain - "
            "The Human Phenotype Ontology (HPO) has collected information on how often a sign or symptom occurs in a condition.")
    found = claims(nlp, text)
    assert {(s, c, m, r) for s, c, m, _, _, r in found} == {
        (s, "ankylosing spondylitis", "association", "phenotype_list") for s in ("uveitis", "back pain")}


@pytest.mark.usefixtures("ontology_terms")
def test_a_symptom_the_condition_is_named_for_makes_no_claim(nlp):
    """ "Diarrhea" in "acute diarrhea", "spastic paraplegia" in "hereditary spastic paraplegia":
    the figure is the condition's own, not a symptom's in it."""
    assert claims(nlp, "Acute diarrhea is common. Rotavirus diarrhea usually resolves in 3 to 7 days.") == []
    assert claims(nlp, "Researchers estimate that people with hereditary multiple osteochondromas have a 1 in 20 to 1 in 200 "
                       "lifetime risk of developing cancerous osteochondromas (called sarcomas).") == []


@pytest.mark.usefixtures("ontology_terms")
def test_a_time_span_is_a_duration_only_where_a_verb_of_lasting_governs_it(nlp):
    assert claims(nlp, "Many people with prediabetes develop type 2 diabetes within 10 years.") == []
    assert all(m != "duration" for _, _, m, *_ in claims(nlp, "It measures your average blood glucose, or blood sugar, level over the past 3 months."))
    found = values(nlp, "Hives are raised welts. This rash is usually apparent within 2-5 minutes after exposure and lasts for 1-2 hours.")
    assert found == {("skin rash", "urticaria", "duration"): (3600.0, 7200.0)}


def test_the_share_of_cases_a_cause_accounts_for_is_no_symptom_frequency(nlp):
    assert all(m != "prevalence" for _, _, m, *_ in claims(
        nlp, "Wolff-Parkinson-White syndrome is the most frequent cause of this abnormal heart rhythm in the Chinese population, "
             "where it is responsible for more than 70 percent of cases."))
    assert claims(nlp, "Most cases of abdominal wall defect are sporadic, which means they occur in people with no history of the disorder.") == []


def test_what_the_counted_have_because_of_a_cause_is_not_the_cause(nlp):
    text = ("Approximately 15 percent of adults with alpha-1 antitrypsin deficiency develop liver damage (cirrhosis) due to the "
            "formation of scar tissue in the liver.")
    assert [s for s, *_ in claims(nlp, text) if s == "scarring"] == []


def test_a_figure_does_not_reach_into_the_bullets_after_a_stop(nlp):
    text = ("About 1 in 3 people older than 50 who has diabetes also has P.A.D.  - high blood pressure   - high blood cholesterol   "
            "- coronary heart disease (CHD)")
    assert [c for c in claims(nlp, text) if c[2] == "prevalence"] == []


def test_a_symptom_naming_the_people_a_figure_counts_is_not_what_it_counts(nlp):
    text = "Most children with growth failure grow to about one-third of their adult height within the first two years of life."
    assert all(s != "growth delay" for s, *_ in claims(nlp, text))


def test_a_condition_listed_with_symptoms_is_one_more_feature(nlp):
    found = claims(nlp, "Almost all affected individuals have some level of developmental delay and intellectual disability.")
    assert all(c != "intellectual disability" for _, c, *_ in found)
    found = values(nlp, "In people with multiple sclerosis, muscle spasm episodes usually last 1 to 2 minutes.")
    assert found == {("muscle spasm", "multiple sclerosis", "duration"): (60.0, 120.0)}, "a condition named as the owner stays"


def test_rare_before_a_list_of_adjectives_and_a_disease_word_is_about_the_disease(nlp):
    for text in ("Dermatitis herpetiformis is a rare, chronic, skin disorder characterized by groups of severely itchy blisters.",
                 "Gordon Syndrome is a rare, inherited type of distal arthrogryposis typically characterized by camptodactyly."):
        assert all(m != "frequency" for _, _, m, *_ in claims(nlp, text)), text
    found = claims(nlp, "However, in rare cases, severe methemoglobinemia, beta-globin type can cause headaches, weakness, and fatigue.")
    assert ("headache", "methemoglobinemia", "frequency") in {(s, c, m) for s, c, m, *_ in found}


def test_a_gard_table_with_fewer_than_three_figures_is_still_a_table(nlp):
    """Its other cells are rows without a figure, never the condition a row's figure is about."""
    text = ("The Human Phenotype Ontology provides the following list of signs and symptoms for Ankylosing spondylitis. "
            "Signs and Symptoms Approximate number of patients (when available) Anosmia 30% Autosomal dominant inheritance - "
            "Hypogonadotrophic hypogonadism - The Human Phenotype Ontology (HPO) has collected information on how often a sign occurs.")
    assert claims(nlp, text) == [("anosmia", "ankylosing spondylitis", "prevalence", "", False, "frequency_table")]


def test_the_age_of_the_people_a_figure_counts_is_no_onset(nlp):
    text = ("There is a strong relationship between age and reported hearing loss: 18 percent of American adults 45-64 years old, "
            "30 percent of adults 65-74 years old, and 47 percent of adults 75 years old, or older, have a hearing impairment.")
    assert all(m != "onset_age" for _, _, m, *_ in claims(nlp, text))
    found = claims(nlp, "Febrile seizures usually occur in children between the ages of 6 months and 5 years.")
    assert [m for _, _, m, *_ in found] == ["onset_age"]


def test_a_superlative_before_a_symptom_ranks_its_kinds(nlp):
    text = "The most common arrhythmia associated with Wolff-Parkinson-White syndrome is called paroxysmal supraventricular tachycardia."
    assert all(m != "frequency" for _, _, m, *_ in claims(nlp, text))
    assert ("fatigue", "multiple sclerosis", "frequency") in {(s, c, m) for s, c, m, *_ in claims(nlp, "Fatigue is the most common symptom of MS.")}


def test_a_figure_in_parentheses_after_a_condition_counts_that_condition(nlp):
    assert claims(nlp, "The most frequent autoimmune conditions associated with C2D are lupus (10-20%) and vasculitis.") == []


def test_a_figure_counting_the_items_of_a_list_is_about_no_symptom(nlp):
    text = ("A health care provider usually bases a diagnosis of primary biliary cirrhosis on two out of three of the following "
            "criteria: a blood test showing elevated liver enzymes.")
    assert all(m != "prevalence" for _, _, m, *_ in claims(nlp, text))


def test_a_symptom_in_a_parenthesis_defining_a_condition_is_not_what_the_figure_is_about(nlp):
    text = ("Additionally, cherubism has been reported in rare cases of Noonan syndrome (a developmental disorder characterized by "
            "unusual facial characteristics, short stature, and heart defects) and fragile X syndrome.")
    assert all(s != "short stature" for s, _, m, *_ in claims(nlp, text) if m != "association")  # (Noonan syndrome's feature it is)


def test_a_list_of_symptoms_goes_on_past_a_parenthesis(nlp):
    text = ("Signs and symptoms of the condition generally develop in early childhood (average age 4 years) and may include loss of "
            "muscle coordination (ataxia), seizures that do not respond to medications, muscle twitches (myoclonus).")
    assert all(c != "epilepsy" for _, c, *_ in claims(nlp, text))


@pytest.mark.usefixtures("ontology_terms")
def test_a_direct_denial_is_named_by_its_rule(nlp):
    """Only a sentence that denies the symptom in the condition itself can contradict another
    source (claims.conflicts.DIRECT_DENIAL_RULES); a subtype's or a stage's denial cannot."""
    def rules(text):
        return {(s, r) for s, _, m, _, negated, r in claims(nlp, text) if m == "association" and negated}

    assert rules("On the other hand, dementia develops slowly and does not cause hallucinations.") == {("hallucinations", "C_does_not_cause_S")}
    assert rules("People with DMD-associated dilated cardiomyopathy typically do not have any skeletal muscle weakness or wasting.") == {
        ("muscle weakness", "C_does_not_cause_S"), ("wasting", "C_does_not_cause_S")}
    assert rules("Fever is not a symptom of migraine, so a severe headache should be checked.") == {("fever", "S_is_not_a_symptom_of_C")}
    assert rules("In its early stages, breast cancer usually does not cause pain.") == {("pain", "symptom_list")}
    assert rules("ACE inhibitors slowed deterioration even in people with diabetes who did not have high blood pressure.") <= {
        ("high blood pressure", "symptom_list")}
    assert rules("Children who have lactase deficiency may not experience symptoms of lactose intolerance until adulthood.") <= {
        ("decreased small intestinal mucosa lactase level", "symptom_list")}
    assert ("bleeding", "symptom_list") in rules("Milder forms of Von Willebrand disease do not involve spontaneous bleeding, and the disease "
                                                 "may become apparent only when abnormal bleeding occurs.")


def owned(nlp, text, rule=None):
    """(symptom, condition) of the affirmed associations of ``text``, of one rule if given."""
    return {(s, c) for s, c, m, _, negated, r in claims(nlp, text) if m == "association" and not negated and rule in (None, r)}


@pytest.mark.usefixtures("ontology_terms")
def test_conditions_listed_after_a_cause_cue_own_the_symptom(nlp):
    """Seed passage 16: the owners follow the cue, the list goes on in the next sentence, and a
    second name of a listed condition ("also sometimes called ... motor neuron disease") is no owner."""
    text = ("Nervous system conditions that can cause muscle twitching include: Amyotrophic lateral sclerosis (ALS), also sometimes "
            "called Lou Gehrig disease or motor neuron disease. Neuropathy or damage to the nerve that leads to a muscle.")
    assert owned(nlp, text) == {("fasciculations", "amyotrophic lateral sclerosis"), ("fasciculations", "neuropathy")}
    assert owned(nlp, text, "causes_of_S_include_C") == owned(nlp, text)


@pytest.mark.usefixtures("ontology_terms")
def test_causes_of_a_symptom_are_its_conditions_whatever_the_list_holds(nlp):
    """MedQuAD: a cause the terminology reads as a symptom ("Allergies", "alcoholism") does not make
    the other causes items of a symptom list."""
    ataxia = ("Conditions that can cause acquired ataxia include stroke, multiple sclerosis, tumors, alcoholism, peripheral neuropathy, "
              "metabolic disorders, and vitamin deficiencies.")
    assert {("ataxia", "multiple sclerosis"), ("ataxia", "stroke"), ("ataxia", "neuropathy")} <= owned(nlp, ataxia, "causes_of_S_include_C")
    cough = ("Causes of chronic cough include       - Chronic bronchitis    - Asthma    - Allergies    - COPD (chronic obstructive "
             "pulmonary disease)    - GERD (gastroesophageal reflux disease)")
    assert {("chronic cough", "asthma"), ("chronic cough", "chronic obstructive pulmonary disease")} <= owned(nlp, cough)
    paresthesia = ("Paresthesia can be caused by disorders affecting the central nervous system, such as stroke and transient ischemic "
                   "attacks (mini-strokes), multiple sclerosis, transverse myelitis, and encephalitis.")
    assert ("paresthesia", "multiple sclerosis") in owned(nlp, paresthesia, "causes_of_S_include_C")


@pytest.mark.usefixtures("ontology_terms")
def test_a_cause_cue_gives_no_owner_the_other_way_round_or_outside_its_safeguards(nlp):
    """A symptom that causes a condition is not its symptom; no owner in a list of drugs or side
    effects, after "history of", or denied; seed passage 23 names no symptom of lupus."""
    assert claims(nlp, "Fever can cause seizures in young children.") == []
    assert claims(nlp, "Seizures can be caused by fever.") == []  # the subject of "caused by" is the effect
    assert claims(nlp, "Drugs that can cause dizziness include antihistamines and blood pressure medicines.") == []
    assert owned(nlp, "Side effects of treatments that can cause nausea include those of chemotherapy for breast cancer.") == set()
    assert owned(nlp, "Dizziness can be caused by a history of stroke.") == set()
    assert owned(nlp, "Fatigue is not caused by multiple sclerosis.") == set()
    lupus = ("While there is no definitive blood test for MS, blood tests can rule out other conditions that cause symptoms similar "
             "to those of MS, including lupus erythematosis, Sjogren's, vitamin and mineral deficiencies, some infections, and rare "
             "hereditary diseases.")
    assert all(c != "systemic lupus erythematosus" for _, c, *_ in claims(nlp, lupus))
    # the positive half, so that the test fails where the cue is not read at all
    assert owned(nlp, "Other causes of elbow pain include sprains, strains, fractures, dislocations, bursitis and arthritis.") == {
        ("elbow pain", "bursitis"), ("elbow pain", "arthritis")}


def test_an_appositive_names_the_condition_whose_symptom_it_is(nlp):
    text = ("Steppage gait (also known as neuropathic gait) is characterized by drop foot — an MS symptom in which the front part "
            "of the foot drops and does not lift up correctly with the rest of the leg while walking.")
    assert owned(nlp, text) == {("foot dorsiflexor weakness", "multiple sclerosis")}
    assert owned(nlp, text, "S_an_C_symptom") == owned(nlp, text)


def test_a_condition_called_joins_the_group_a_figure_is_about(nlp):
    found = claims(nlp, "Many people with multiple sclerosis have stiff muscles and spasms, a condition called spasticity.")
    assert {(s, c, m, p) for s, c, m, p, *_ in found} == {
        (s, "multiple sclerosis", "frequency", "people") for s in ("muscle stiffness", "muscle spasm", "spasticity")}


def test_the_share_of_a_variants_carriers_is_no_symptom_frequency(nlp):
    """Penetrance counts carriers of a mutation, not people with the condition: its figure made
    a negated claim of vision loss in LHON, in conflict with every page stating it."""
    text = ("However, a significant percentage of people with a mutation that causes Leber hereditary optic neuropathy do not "
            "develop any features of the disorder. Specifically, more than 50 percent of males with a mutation and more than "
            "85 percent of females with a mutation never experience vision loss or related medical problems.")
    assert claims(nlp, text) == []
    assert claims(nlp, "About 70 percent of people who inherit a mutation in the CHRNA2, CHRNA4, or CHRNB2 gene will develop seizures.") == []
    assert claims(nlp, "About 50 percent of those with Waardenburg syndrome type 2 have a hearing impairment or are deaf.") != []


def test_a_sentence_whose_figure_counts_none_of_its_symptoms_is_read_as_a_list(nlp):
    text = ("In 5 to 10 percent of affected individuals, signs and symptoms of congenital diaphragmatic hernia appear later in life "
            "and may include breathing problems or abdominal pain.")
    assert ("breathing problems", "congenital diaphragmatic hernia", "association") in {c[:3] for c in claims(nlp, text)}
    # what most of the counted never develop, some do: no denial
    never = ("What is (are) prothrombin thrombophilia ?\n\nProthrombin thrombophilia is an inherited disorder of blood clotting. "
             "However, most people with prothrombin thrombophilia never develop abnormal blood clots.")
    assert [c for c in claims(nlp, never) if c[2] == "association"] == []


def test_the_affected_a_figure_counts_have_the_pages_condition(nlp):
    text = ("What is (are) Northern epilepsy ?\n\nNorthern epilepsy is a rare condition that affects the nervous system. Signs and "
            "symptoms may include recurrent seizures, mild intellectual disability, and motor abnormalities. Some affected people may "
            "also experience decreased visual acuity.")
    assert [c for s, c, *_ in claims(nlp, text) if s == "reduced visual acuity"] == ["northern epilepsy"]


def test_a_list_written_with_semicolons_is_one_coordination_but_two_clauses_are_not(nlp):
    text = ("SSADH deficiency is a disorder. Most affected individuals may also have decreased reflexes (hyporeflexia); nystagmus; "
            "hyperactivity; and/or behavioral problems.")
    assert {s for s, _, m, *_ in claims(nlp, text) if m == "prevalence"} == {"hyporeflexia", "nystagmus", "hyperactivity", "atypical behavior"}
    clauses = "About 20 percent of people with Larsen syndrome have seizures; nystagmus is rare."
    assert [s for s, _, m, *_ in claims(nlp, clauses) if m == "prevalence"] == ["seizure"]


def test_the_examples_of_a_class_a_figure_counts_are_features_without_its_figure(nlp):
    text = ("Nicolaides-Baraitser syndrome is a rare disorder. Some affected individuals have dental abnormalities such as widely "
            "spaced teeth, delayed eruption of teeth, and absent teeth (hypodontia).")
    found = {(s, m) for s, c, m, *_ in claims(nlp, text) if c == "nicolaides-baraitser syndrome"}
    assert {("widely spaced teeth", "association"), ("delayed eruption of teeth", "association")} <= found
    assert [m for s, m in found if s == "widely spaced teeth"] == ["association"]


def test_a_figure_before_a_symptom_that_leads_to_another_counts_the_outcome(nlp):
    """"In rare cases" is how often arrhythmias end in cardiac arrest, not how often WPW has
    arrhythmias (whose GARD table says 90 %: a qualitative conflict no reader would keep)."""
    wpw = "In rare cases, arrhythmias associated with Wolff-Parkinson-White syndrome can lead to cardiac arrest and sudden death."
    assert [c[0] for c in claims(nlp, wpw)] == []
    assert [c[0] for c in claims(nlp, "In rare cases, high blood pressure can cause headaches.")] == ["headache"]
    # a relative clause's verb says what the symptom does, not what the figure counts
    hepatitis = "Most people who have hepatitis C develop a chronic infection that may cause scarring of the liver (cirrhosis)."
    assert [c[0] for c in claims(nlp, hepatitis) if c[2] != "association"] == ["chronic infection"]  # (what it causes is a feature)


HEREDITARY_ANGIOEDEMA = "Hereditary angioedema is a disorder characterized by recurrent episodes of severe swelling (angioedema). "


def test_people_with_this_condition_are_patients_of_the_page_topic(nlp):
    """MedQuAD's GHR pages name their condition once, then count "people with this condition"."""
    found = claims(nlp, HEREDITARY_ANGIOEDEMA + "About one-third of people with this condition develop a non-itchy rash "
                   "called erythema marginatum during an attack.")
    assert ("skin rash", "hereditary angioedema", "prevalence", "people", False, "N_of_population_with_topic_have_S") in found
    found = claims(nlp, "Robinow syndrome is a rare disorder that affects the development of many parts of the body, particularly "
                   "the bones. Delayed development occurs in 10 to 15 percent of people with this condition, although "
                   "intelligence is usually normal.")
    assert [(c, r) for s, c, *_, r in found if s == "global developmental delay"] == [("robinow syndrome", "S_affects_N_of_population_with_topic")]


def test_a_sentence_naming_whose_patients_it_counts_keeps_that_condition(nlp):
    found = claims(nlp, HEREDITARY_ANGIOEDEMA + "Skeletal myopathy occurs in most men with Danon disease and about half of affected women.")
    assert found and all(c == "danon disease" and "topic" not in r for _, c, *_, r in found)


def test_a_gard_title_names_the_topic_of_a_page_that_does_not_define_it(nlp):
    found = claims(nlp, "What are the signs and symptoms of Coats disease? The majority of affected people eventually experience "
                   "profound vision loss and retinal detachment.")
    assert [(c, r) for s, c, *_, r in found if s == "visual loss"] == [("coats disease", "N_of_population_with_topic_have_S")]


def test_a_frequency_adjective_on_another_noun_says_nothing_of_a_symptom(nlp):
    """"frequent bowel movements", "forgetting the names of common things": the adjective is how
    often something else is; the list is still the condition's symptoms."""
    found = claims(nlp, "Symptoms of hyperthyroidism include weight loss, tremor, and frequent bowel movements.")
    assert {(s, m) for s, c, m, *_ in found} == {("weight loss", "association"), ("tremor", "association")}
    alzheimer = claims(nlp, "Symptoms of Alzheimer disease include forgetting the names of common things and hallucinations.")
    assert {(s, m) for s, c, m, *_ in alzheimer} == {("hallucinations", "association")}
    assert [(s, m) for s, _, m, *_ in claims(nlp, "Headache is a rare complication of multiple sclerosis.")] == [("headache", "frequency")]


def test_people_counted_doing_something_else_have_no_symptom_figure(nlp):
    assert claims(nlp, "Most people with shingles are treated with antiviral drugs to reduce pain.") == []
    assert claims(nlp, "Most people with MS experience fatigue.") == [
        ("fatigue", "multiple sclerosis", "prevalence", "people", False, "N_of_population_with_C_have_S")]
    onset = claims(nlp, "Movement problems typically become apparent by age 2 in people with triosephosphate isomerase deficiency.")
    assert [(m, r) for _, _, m, _, _, r in onset] == [("onset_age", "condition_onset_age")]  # an age is no count of people


def test_a_figure_that_has_the_symptom_after_it_counts_that_symptom(nlp):
    found = values(nlp, "About 80% of people with MS have fatigue and 20% have spasticity.")
    assert found == {("fatigue", "multiple sclerosis", "prevalence"): (0.8, 0.8), ("spasticity", "multiple sclerosis", "prevalence"): (0.2, 0.2)}


def test_a_denial_in_the_sentence_before_does_not_negate_a_claim_that_takes_its_condition(nlp):
    found = claims(nlp, "Fever is not a symptom of migraine. About 30% of patients have nausea.")
    assert ("nausea", "migraine", "prevalence", "", False, "condition_from_previous_sentence") in found
    assert ("fever", "migraine", "association", "", True, "S_is_not_a_symptom_of_C") in found


@pytest.mark.parametrize("text, expected", [
    ("Seizures typically begin between ages 5 and 10 in people with Dravet syndrome.", ("seizure", "dravet syndrome", "onset_age")),
    ("Depression affects approximately 45% of patients with systemic sclerosis.", ("depression", "systemic sclerosis", "prevalence")),
    ("About 64% of patients with systemic sclerosis develop depression.", ("depression", "systemic sclerosis", "prevalence")),
    # DOID's name of a concept HPO's Pulmonary arterial hypertension merged into
    ("Pulmonary hypertension occurs in about one-third of adults with sickle cell disease.", ("pulmonary arterial hypertension", "sickle cell disease", "prevalence")),
    # HPO's Stroke merged into DO's cerebrovascular disease; the text "stroke" is DO's stroke
    ("Stroke affects about 11 percent of children with sickle cell disease.", ("stroke", "sickle cell disease", "prevalence")),
])
def test_a_condition_counted_in_people_with_another_is_read_as_its_phenotype(nlp, text, expected):
    """Seizures, depression, dementia, cataracts: the terminology calls them conditions, and a
    figure of people with another condition made no claim of them at all."""
    doc = nlp(text)
    assert [(c.symptom_name.lower(), c.condition_name.lower(), c.measure) for c in doc._.claims] == [expected]
    symptom = next(e for e in doc.ents if e.start_char == doc._.claims[0].symptom[0])
    assert (symptom.label_, symptom._.concept_id.startswith("HP:")) == ("SYMPTOM", True)  # the mention says what the claim says


def test_a_condition_with_no_phenotype_reading_is_not_made_a_symptom(nlp):
    doc = nlp("Malaria affects about 11 percent of children with sickle cell disease.")  # no HPO term reads "malaria"
    assert doc._.claims == [] and [e.label_ for e in doc.ents] == ["CONDITION", "CONDITION"]


@pytest.mark.parametrize("text, onset", [
    ("MS usually begins between the ages of 20 and 40.", True),
    ("People with adult polyglucosan body disease typically first experience signs and symptoms related to the condition between ages 30 and 60.", True),
    ("Most people with Parkinson disease are diagnosed after age 60.", True),
    ("Death usually occurs by age 3 in children with Sandhoff disease.", False),
    ("Doxycycline is not given to children younger than 8 years with Lyme disease.", False),
    ("You have a greater risk of heart disease if you are a man over age 45.", False),
    ("Individuals with REN-related kidney disease typically require dialysis or a kidney transplant between ages 40 and 70.", False),
    ("Signs of mild cases can include a failure to begin menstruation by age 16 (primary amenorrhea).", False),
    (" being over 45 years of age  -  being overweight or obese  - having a first-degree relative with diabetes", False),  # risk factors
    ("Learning disabilities are common. Recommendations include developmental assessment by 4 months of age and an assessment of learning disabilities.", False),
    ("Most people with Tourette syndrome experience their worst symptoms in their early teens, with improvement occurring in the late teens.", False),
    ("These seizures usually develop in the first year of life and stop by age 3.", False),
    ("The screening protocol for Cowden syndrome includes clinical breast exams every 6-12 months beginning at age 25.", False),
    ("The risk of developing colorectal cancer rises after age 50.", False),
    ("Women with this condition have an 83% risk of developing contralateral breast cancer by age 70.", False),
    ("People who develop type 2 diabetes are more likely to have the following characteristics: - age 45 or older", False),
    ("Testicular cancer is the most common cancer in men aged 15 to 34 years.", False),
    ("Ulcerative colitis is more likely to develop in people between the ages of 15 and 30.", True),
    ("Brittle diabetes is most common in women in their twenties or thirties.", True),
])
def test_an_age_is_an_onset_only_where_something_begins(nlp, text, onset):
    assert any(c.measure == "onset_age" for c in nlp(text)._.claims) == onset


@pytest.mark.parametrize("text", [
    "Asthma affects about 8 percent of children in the United States and causes wheezing.",
    "Migraine affects about 12 percent of adults, and headache is its main symptom.",
])
def test_a_conditions_own_prevalence_is_no_symptoms_figure(nlp, text):
    assert [c for c in nlp(text)._.claims if c.statistic is not None] == []


@pytest.mark.parametrize("text", [
    "Centronuclear myopathy is rare and begins in infancy or early childhood with weakness of the arms and legs.",
    "GERD may cause symptoms such as - Heartburn - Bad breath   Hiatal hernias are common, especially in older people.",
    "Symptoms may include - Fever or frequent infections   Myelodysplastic syndromes are rare.",
])
def test_a_frequency_word_said_of_a_condition_is_the_conditions_own(nlp, text):
    assert claims_with_figures(nlp, text) == []


@pytest.mark.parametrize("text, expected", [
    ("Anemia is common in people with chronic kidney disease.", ("anemia", "chronic kidney disease")),
    ("People with Danon disease are often affected by a conduction abnormality known as cardiac preexcitation.",
     ("ventricular preexcitation", "danon disease")),
])
def test_a_frequency_word_said_of_people_with_a_condition_or_of_a_feature_stays(nlp, text, expected):
    assert expected in {(s, c) for s, c, m, *_ in claims(nlp, text) if m == "frequency"}


def test_a_figure_opening_a_list_item_the_terminology_calls_a_condition_is_that_items(nlp):
    found = claims_with_figures(nlp, "The main features of Nance-Horan syndrome include congenital cataracts, dental "
                                     "abnormalities, distinctive facial features, and in some cases, intellectual disability.")
    assert found == [("intellectual disability", "frequency", "in some cases")]
    opening = claims(nlp, "Pyelonephritis is a kidney infection. In rare cases, pyelonephritis may cause permanent kidney scars.")
    assert ("scarring", "pyelonephritis", "frequency") in {c[:3] for c in opening}  # a figure opening the sentence: its subject follows


def test_a_figure_of_people_who_have_something_unnamed_is_no_other_symptoms(nlp):
    text = ("Approximately 87% of individuals with hereditary cerebral hemorrhage with amyloidosis - Dutch type have "
            "intracranial hemorrhage (bleeding in the brain) and 13% have infarcts (stroke).")
    assert "13%" not in {figure for _, _, figure in claims_with_figures(nlp, text)}


@pytest.mark.parametrize("text", [
    "Achromatopsia affects an estimated 1 in 30,000 people worldwide.",
    "It is estimated that about 1 million people in the United States today suffer from aphasia.",
    "Androgenetic alopecia is a common form of hair loss. This form of hair loss affects an estimated 50 million men.",
])
def test_how_many_in_a_population_have_it_is_no_figure_of_a_symptom(nlp, text):
    assert claims_with_figures(nlp, text) == []


def test_a_rate_among_people_with_the_condition_stays(nlp):
    found = claims(nlp, "Paget disease of bone is a disorder that causes bones to grow larger. Rarely, it leads to cancer. "
                        "This type of cancer probably occurs in less than 1 in 1,000 people with this disease.")
    assert ("neoplasm", "paget disease of bone", "prevalence") in {c[:3] for c in found}


def test_a_condition_glossing_a_list_item_owns_no_figure(nlp):
    text = ("Multiple sclerosis is a disease of the nervous system. It can be mild. The most common symptoms include slowly "
            "progressive muscle weakness, fatigue, and a decrease in muscle size (muscular atrophy).")
    assert {c for _, c, m, *_ in claims(nlp, text) if m == "frequency"} == {"multiple sclerosis"}
    also_called = claims(nlp, "Symptoms of Type III (also called Kugelberg-Welander disease) appear between 2 and 17 years of age.")
    assert {c for _, c, m, *_ in also_called if m == "onset_age"} == {"juvenile spinal muscular atrophy"}


def test_a_condition_the_sentence_lists_after_include_is_an_item_not_the_owner(nlp):
    text = ("Individuals with Marfan syndrome are usually tall and slender. Other common features include a long and "
            "narrow face, crowded teeth, an abnormal curvature of the spine (scoliosis or kyphosis).")
    assert {c for s, c, m, *_ in claims(nlp, text) if m == "frequency"} == {"marfan syndrome"}
    owner = claims(nlp, "Common symptoms include fever in people with malaria.")
    assert ("fever", "malaria", "frequency") in {c[:3] for c in owner}


@pytest.mark.parametrize("title", [
    "How is Tietze syndrome inherited?", "What causes Tietze syndrome?", "How might Tietze syndrome be treated?",
])
def test_a_gard_title_asking_about_a_condition_names_the_topic(nlp, title):
    found = claims(nlp, title + " The cause is not known. Although the pain usually subsides after several weeks, swelling may persist.")
    assert ("pain", "tietze's syndrome", "duration", "", False, "condition_from_topic") in found


def test_the_previous_sentence_gives_no_condition_listed_among_its_symptoms(nlp):
    glossed = ("Stickler syndrome is a group of hereditary conditions. Eye problems include clouding of the lens (cataract). "
               "These eye abnormalities cause blindness in some cases.")
    assert ("blindness", "stickler syndrome", "frequency") in {c[:3] for c in claims(nlp, glossed)}
    listed = "Affected children have short fingers, a flat nose and seizures. Most affected individuals experience stroke-like episodes."
    assert {c for _, c, m, *_ in claims(nlp, listed) if m == "prevalence"} == {""}


def test_a_symptom_before_the_condition_keeps_the_figure(nlp):
    assert [(c.symptom_name, c.measure) for c in nlp("Fatigue in MS affects about 80 percent of patients.")._.claims] == [("Fatigue", "prevalence")]
    assert [(c.symptom_name, c.measure) for c in nlp("Asthma causes wheezing in about half of children.")._.claims] == [("Wheezing", "prevalence")]


@pytest.mark.parametrize("text", [
    "Treatment reduced fatigue by 30% in people with MS.",
    "Aspirin relieves headache in 50% of people with migraine.",
    "Fatigue improved in 60% of patients with MS treated with modafinil.",
])
def test_how_much_a_symptom_changed_is_no_prevalence(nlp, text):
    assert nlp(text)._.claims == []


def test_frequent_before_a_symptom_is_how_often_one_person_has_it(nlp):
    """"frequent heartburn" says how often the heartburn comes, not how many people with GERD have
    it; the sentence's list is still GERD's symptoms."""
    found = claims(nlp, "GERD may be associated with symptoms such as frequent heartburn, difficulty swallowing food, and chest pain.")
    assert found and {m for _, _, m, *_ in found} == {"association"}
    assert [m for _, _, m, *_ in claims(nlp, "Heartburn is frequent in people with GERD.")] == ["frequency"]


def test_a_measured_value_in_percent_is_no_share_of_people(nlp):
    """An A1C level is measured in one person; GARD's "Abnormal immunoglobulin level 90%" row is
    still a share (its "level" is the phenotype's name)."""
    measured = nlp("People with prediabetes have an A1C level of 5.7 to 6.4 percent and may also have fatigue.")
    assert [c for c in measured._.claims if c.statistic is not None] == []
    table = nlp("The Human Phenotype Ontology provides the following list of signs and symptoms for Schnitzler syndrome. "
                "Signs and Symptoms Approximate number of patients (when available) Abnormal immunoglobulin level 90% Arthralgia 90% Bone pain 90%")
    assert sum(c.rule == "frequency_table" for c in table._.claims) == 3


def test_the_onset_age_of_a_feature_the_terminology_calls_a_condition_is_the_topics(nlp):
    """"dementia", "optic atrophy" are diseases to DO and phenotypes to HPO: on a page about
    another condition, their age is when that feature begins in it."""
    opening = "Wolfram syndrome is a condition that affects many of the body's systems. Hearing loss is common. "
    found = claims(nlp, opening + "Optic atrophy is often the next symptom to appear, usually around age 11.")
    assert [c for c in found if c[2] == "onset_age"] == [("optic atrophy", "wolfram syndrome", "onset_age", "", False, "condition_from_topic")]


@pytest.mark.parametrize("text", [
    "Chordoma is a rare type of cancer. It grows slowly. Chordomas typically occur in adults between the ages of 40 and 70.",
    "Optic atrophy is often the next symptom to appear, usually around age 11.",  # no topic
    "Primary congenital glaucoma is a condition that affects the eyes. It is rare. "
    "Primary open-angle glaucoma is much more common after the age of 40.",
])
def test_the_onset_age_of_the_topic_itself_a_kin_of_it_or_without_a_topic_stays_the_conditions(nlp, text):
    onset = [c for c in claims(nlp, text) if c[2] == "onset_age"]
    assert [(s, r) for s, _, _, _, _, r in onset] == [("", "condition_onset_age")]


@pytest.mark.parametrize("text, owner", [
    ("Glycogen storage disease type IV is an inherited disorder. The severity varies greatly; some people have only mild "
     "muscle weakness while others have severe cardiomyopathy.", "glycogen storage disease iv"),  # the page's own name (DO's)
    ("Norrie disease is an inherited eye disorder. Most affected individuals develop sensorineural hearing loss and many "
     "exhibit cognitive abnormalities such as developmental delays.", "norrie disease"),
])
def test_a_condition_the_counted_have_is_a_feature_not_the_figures_owner(nlp, text, owner):
    assert {c for _, c, m, *_ in claims(nlp, text) if m in ("prevalence", "frequency")} == {owner}


def test_a_condition_in_the_counted_peoples_relative_clause_stays_the_owner(nlp):
    found = claims(nlp, "In fact, one out of six people older than 60 years who get shingles will have severe pain.")
    assert {c for _, c, m, *_ in found if m == "prevalence"} == {"herpes zoster"}


@pytest.mark.parametrize("text", [
    "Depression is treated with antidepressants. Side effects may include fatigue, dry mouth, dizziness and nausea.",
    "Heart disease is common. This test is done to find the cause of symptoms, such as shortness of breath and chest pain.",
])
def test_side_effects_or_a_tests_aim_borrow_no_owner_from_the_sentence_before(nlp, text):
    assert [c for c in claims(nlp, text) if c[-1] == "condition_from_previous_sentence"] == []


def test_a_feature_the_affected_have_owns_no_next_list_unless_the_list_refers_back_to_it(nlp):
    feature = ("People with Coffin-Lowry syndrome may also have hearing loss. "
               "Other features may include feeding problems, developmental delay and an awkward gait.")
    assert {c for _, c, m, *_ in claims(nlp, feature) if m == "association"} == {"coffin-lowry syndrome"}
    named = ("Over time, affected individuals often develop a group of movement abnormalities called parkinsonism. "
             "These abnormalities include muscle rigidity, tremors and postural instability.")
    assert {c for _, c, m, *_ in claims(nlp, named) if m == "association"} == {"parkinsonism"}


AICARDI = "Aicardi syndrome is a disorder that occurs almost exclusively in females. "


@pytest.mark.parametrize("text", [
    # "this condition" is the page's, not the feature the sentence before ended on
    AICARDI + "Some have an unusually small head (microcephaly). Other features of this condition include small hands and rib abnormalities.",
    # a gloss names its item again: it owns nothing and lends no owner; "such as" refers to nothing
    AICARDI + "Other features include small hands and abnormal curvature of the spine (scoliosis). "
              "They often have gastrointestinal problems such as constipation or diarrhea.",
])
def test_a_feature_of_the_sentence_before_owns_no_list_of_this_condition_or_after_such_as(nlp, text):
    assert {c for _, c, m, *_ in claims(nlp, text) if m == "association"} == {"aicardi syndrome"}


@pytest.mark.parametrize("text, owner", [
    # as the subject, "this condition" is the one the sentence before named …
    ("Signs or symptoms of LCH that affects the lung may include:            - Collapsed lung. This condition can cause "
     "chest pain or tightness, trouble breathing, feeling tired, and a bluish color to the skin.", "pneumothorax"),
    # … the page's among several
    ("What is (are) Naegeli syndrome ?\n\nNaegeli syndrome belongs to a group of disorders known as ectodermal dysplasias. "
     "This condition is characterized by absent fingerprints, thickening of the palms and soles (palmoplantar keratoderma), "
     "decreased sweating (hypohidrosis) and heat intolerance.", "naegeli syndrome"),
])
def test_this_condition_as_the_subject_is_the_one_named_before(nlp, text, owner):
    assert {c for _, c, m, *_ in claims(nlp, text) if m == "association"} == {owner}


@pytest.mark.parametrize("text", [
    "Medications such as methylphenidate appear to be effective at treating anxiety, aggressiveness, and hallucinations.",
    "NSAIDs are drugs (such as aspirin) that are commonly used to decrease fever, swelling, pain, and redness.",
])
def test_what_a_treatment_is_for_borrows_no_owner(nlp, text):
    opening = ("Succinic semialdehyde dehydrogenase deficiency is a disorder that can cause a variety of neurological problems. "
               "People with this condition may have seizures. ")
    assert claims(nlp, opening + text) == []


@pytest.mark.parametrize("text", [
    "Characteristic facial features may include a prominent forehead; a flat nose; and a small upper jaw.",
    # a list that goes on with the page's features, one of its items a condition with an HPO reading
    "Other features include a prominent forehead and a flat nose. They often have gastrointestinal problems such as "
    "constipation, gastroesophageal reflux, and difficulty feeding.",
])
def test_a_list_of_features_after_no_condition_is_the_pages(nlp, text):
    opening = ("Cleidocranial dysplasia is a condition that primarily affects the development of the bones and teeth. "
               "Its cause is not known. ")
    found = claims(nlp, opening + text)
    assert len(found) >= 3 and {(c, r) for _, c, _, _, _, r in found} == {("cleidocranial dysplasia", "condition_from_topic")}


@pytest.mark.parametrize("text", [
    "Heat and ice may help with swelling, pain and stiffness.",  # no feature noun
    "Symptoms of high blood sugar often include increased thirst; fatigue (tiredness); and blurred vision.",  # a symptom's
])
def test_a_list_of_no_ones_features_or_of_a_symptoms_is_not_the_pages(nlp, text):
    opening = "Metabolic syndrome is a group of conditions that put you at risk for heart disease and diabetes. "
    assert {c for _, c, *_ in claims(nlp, opening + "Its cause is not known. " + text)} <= {""}


@pytest.mark.parametrize("text", [
    "Horner syndrome is a disorder that affects the eye and results from paralysis of certain nerves.",
    "Cirrhosis is a chronic liver condition caused by scar tissue and cell damage.",
    "Blood tests can show anemia caused by bleeding.",
])
def test_a_symptom_named_as_the_conditions_cause_is_no_symptom_of_it(nlp, text):
    assert [c for c in claims(nlp, text) if c[2] == "association"] == []


def test_what_a_condition_is_defined_as_does_not_make_its_causes_features(nlp):
    text = "Chronic kidney disease is kidney damage that occurs slowly over many years, often due to diabetes or high blood pressure."
    assert {c[:2] for c in claims(nlp, text)} == {("nephropathy", "chronic kidney disease")}


def test_a_features_cause_is_still_a_feature(nlp):
    text = "People with Whipple disease may have complications caused by malnutrition."
    assert ("malnutrition", "whipple disease", "association") in {c[:3] for c in claims(nlp, text)}


@pytest.mark.parametrize("text", [
    "People who develop type 2 diabetes are more likely to have the following characteristics: - overweight or obese - age 45 or older",
    "Your risk for atherosclerosis increases if your father or a brother was diagnosed with heart disease before 55 years of age.",
    "You should check first with your doctor if you have had a heart attack or are over age 50 and are not used to physical activity.",
])
def test_an_age_after_a_risk_or_an_advices_if_is_no_onset(nlp, text):
    assert [c for c in claims(nlp, text) if c[2] == "onset_age"] == []


@pytest.mark.parametrize("text", [
    "Some people with systemic scleroderma have relatives with other autoimmune disorders.",
    "Dravet syndrome is a severe form of epilepsy. A family history of either epilepsy or febrile seizures exists in 15 percent to 25 percent of cases.",
])
def test_what_relatives_have_is_no_symptom_of_the_condition(nlp, text):
    assert [c for c in claims(nlp, text) if c[0] in ("autoimmunity", "febrile seizure (within the age range of 3 months to 6 years)")] == []


def test_a_personal_history_stays(nlp):
    found = claims(nlp, "Many people with asthma have a personal or family history of allergies, such as hay fever or eczema.")
    assert ("allergy", "asthma") in {c[:2] for c in found}


def test_a_symptom_whose_symptoms_a_figure_counts_is_their_owner_not_one_of_them(nlp):
    found = claims_with_figures(nlp, "The most common symptoms of adrenal insufficiency are chronic fatigue, muscle weakness and weight loss.")
    assert {symptom for symptom, *_ in found} == {"chronic fatigue", "muscle weakness", "weight loss"}


def test_a_figure_of_a_feature_the_terminology_calls_a_condition_is_that_features(nlp):
    text = ("Norrie disease is an inherited eye disorder. Most affected individuals develop sensorineural hearing loss and "
            "many exhibit cognitive abnormalities such as developmental delays.")
    assert ("sensorineural hearing impairment", "most") in {(s, f.lower()) for s, m, f in claims_with_figures(nlp, text)}
    everyone = claims_with_figures(nlp, "About 75 percent of people will have hemorrhoids at some point in their lives.")
    assert everyone == []  # the condition's own share of everyone


def test_the_onset_of_a_feature_the_affected_have_is_no_onset_of_that_feature_as_a_condition(nlp):
    feature = claims(nlp, "About half of affected individuals have a stroke or similar episode before age 40.")
    assert [c for c in feature if c[-1] == "condition_onset_age"] == []
    owner = claims(nlp, "People with this condition typically develop signs and symptoms of sialidosis in their teens or twenties.")
    assert [c[1] for c in owner if c[-1] == "condition_onset_age"] != []  # the signs of the page's condition: its own onset


@pytest.mark.parametrize("text, compared", [
    ("Early symptoms such as fever, muscle aches and fatigue are easily confused with influenza.", "influenza"),
    ("If you get HBV, you may feel as if you have the flu. You may also have jaundice, a yellowing of skin and eyes, dark-colored urine, and "
     "pale bowel movements.", "influenza"),
    ("Symptoms of broken heart syndrome are similar to those of a heart attack. Symptoms include chest pain and shortness of breath.",
     "myocardial infarction"),
])
def test_a_condition_named_to_compare_with_owns_nothing(nlp, text, compared):
    assert [c for c in claims(nlp, text) if c[1] == compared] == []


@pytest.mark.parametrize("text, examples", [
    ("Approximately two-thirds of individuals with Ochoa syndrome also experience problems with bowel function, such as "
     "constipation, loss of bowel control, or muscle spasms of the anus.", {"constipation", "bowel incontinence", "muscle spasm"}),
    ("About two-thirds of individuals with purine nucleoside phosphorylase deficiency have neurological problems, which may "
     "include developmental delay, intellectual disability, difficulties with balance and coordination (ataxia), and muscle "
     "stiffness (spasticity).", {"gait imbalance", "ataxia", "muscle stiffness"}),
    ("About 10 percent of infants with alpha-1 antitrypsin deficiency develop liver disease, which often causes yellowing of "
     "the skin and whites of the eyes (jaundice).", {"jaundice"}),
])
def test_a_figure_of_a_class_or_feature_is_not_its_examples_share(nlp, text, examples):
    """The examples are the condition's, in a share the sentence does not give."""
    found = claims(nlp, text)
    assert {c[0] for c in found if c[-1] == "counted_feature_includes_S"} >= examples
    assert {c[0] for c in found if c[2] != "association"} & examples == set()


def test_a_figure_of_a_feature_that_leads_to_a_symptom_is_the_features(nlp):
    text = "About 10 percent of infants with alpha-1 antitrypsin deficiency develop liver disease, which often causes jaundice."
    assert claims_with_figures(nlp, text) == [("abnormality of the liver", "prevalence", "About 10 percent")]


def test_another_disease_of_the_conditions_class_is_no_symptom_of_it(nlp):
    assert claims(nlp, "In all, about half of all individuals with Sjogren syndrome also have another autoimmune disorder.") == []
    assert claims(nlp, "People with celiac disease may have other autoimmune conditions, such as thyroid disease.") == []


def test_a_condition_that_affects_the_share_is_counted_not_a_symptom_before_it(nlp):
    text = ("The symptoms of Henoch-Schonlein purpura include the following: - rash - arthritis - In children, kidney failure "
            "affects only about 1 percent of children with Henoch-Schonlein purpura.")
    assert claims_with_figures(nlp, text) == [("renal insufficiency", "prevalence", "about 1 percent")]
    glossed = claims_with_figures(nlp, "Fatigue, a common symptom of MS, affects about 80 percent of people with MS.")
    assert ("fatigue", "prevalence", "about 80 percent") in glossed  # the owner between is no feature
    coordinated = claims_with_figures(nlp, "Anxiety and depression are also common in people with psoriasis.")
    assert ("anxiety", "frequency", "common") in coordinated
    in_parenthesis = claims_with_figures(nlp, "Excessive tiredness (fatigue) due to a reduction in red blood cells (anemia) is common "
                                              "in people with lymphoplasmacytic lymphoma.")
    assert ("fatigue", "frequency", "common") in in_parenthesis


def test_a_figure_that_opens_a_line_after_a_list_counts_none_of_its_items(nlp):
    text = ("The complications of benign prostatic hyperplasia may include\n    \n- acute urinary retention  - blood in the urine  "
            "- bladder stones\n    \nMost men with benign prostatic hyperplasia do not develop these complications.")
    assert claims_with_figures(nlp, text) == []


def test_a_figure_in_parentheses_may_stand_between_the_people_and_their_verb(nlp):
    text = "While most people with Rocky Mountain spotted fever (90%) have some type of rash during the course of illness."
    assert ("skin rash", "rocky mountain spotted fever", "prevalence", "people", False, "N_of_population_with_C_have_S") in claims(nlp, text)


@pytest.mark.parametrize("text, population", [
    ("Spinal muscular atrophy is a genetic disorder. Type II spinal muscular atrophy is characterized by muscle weakness "
     "that develops in children between ages 6 and 12 months.", "people with type 2"),
    ("Carnitine-acylcarnitine translocase deficiency is a rare condition. Children with the mild type of "
     "carnitine-acylcarnitine translocase deficiency usually start having symptoms before age three.", "children with the mild type"),
    ("Mucopolysaccharidosis type I is a condition that affects many parts of the body. Most people with the severe form "
     "of the disorder also have dysostosis multiplex.", "people with the severe form"),
    ("Metachromatic leukodystrophy is an inherited disorder. The adult form commonly begins after age 16, with symptoms "
     "that include psychiatric disturbances, seizures, tremor, and dementia.", "people with the adult form"),
    ("Follicular lymphoma is a slow-growing type of non-Hodgkin lymphoma. Most people with this type of non-Hodgkin lymphoma are "
     "older adults. Swollen lymph nodes are a common sign.", "people with this type"),
    ("Pantothenate kinase-associated neurodegeneration (PKAN) is a disorder of the nervous system. Two-thirds of children with "
     "classical PKAN develop night blindness.", "children with the classic form"),
    ("Alzheimer disease is a brain disease. Early-onset Alzheimer disease occurs in people age 30 to 60.", "people with the early-onset form"),
    ("Hemochromatosis is a disorder. Men with type 1 or type 4 hemochromatosis typically develop symptoms between the ages of 40 and 60.",
     "men with type 1 or type 4"),
])
def test_a_figure_of_one_form_of_a_disease_keeps_the_form_in_its_population(nlp, text, population):
    """The terminology names the parent disease; the claim keeps the subtype it is about, so that
    it is neither merged with nor set against the whole disease's figures (extractors.subtypes)."""
    assert {p for _, _, m, p, *_ in claims(nlp, text) if m != "association"} == {population}


@pytest.mark.parametrize("text", [
    "Depending on the type and severity of encephalopathy, common neurological symptoms include lethargy in most people.",
    "The most common symptom of all types of anemia is fatigue.",
    "Achondroplasia is a rare form of skeletal dysplasia. About half of people with achondroplasia have ear infections.",
    "Depending on the type of mucopolysaccharidosis, most affected individuals have short stature.",
    "About 20 percent of people with multiple sclerosis have spasticity.",
])
def test_a_figure_of_the_whole_disease_names_no_form(nlp, text):
    assert {p for _, _, m, p, *_ in claims(nlp, text) if m != "association"} <= {"", "people"}


@pytest.mark.parametrize("text, populations", [
    ("Ehrlichiosis is a tick-borne disease. It can cause a rash in up to 60% of children.", {"children"}),
    ("Wolman disease is a rare inherited condition. Common symptoms in infants include enlarged liver and spleen and vomiting.", {"infants"}),
    ("Shingles is a painful rash. Persistent pain from shingles is a common symptom in people over 60.", {"people over 60"}),
    ("Androgenetic alopecia is a common form of hair loss. More than 50 percent of men over the age of 50 years have some hair loss.",
     {"men over 50"}),
    ("Migraine is a headache disorder. About 30% of patients have nausea.", {""}),  # patients: people, as unstated
])
def test_the_group_a_figure_counts_is_its_population_though_no_condition_follows_it(nlp, text, populations):
    assert {p for _, _, m, p, *_ in claims(nlp, text) if m != "association"} == populations


@pytest.mark.parametrize("text, expected", [
    ("Strokes are the main feature of CADASIL and often occur repeatedly.", ("stroke", "cadasil", "association")),
    ("Nail dystrophy is the most noticeable feature of pachyonychia congenita.", ("nail dystrophy", "pachyonychia congenita", "association")),
    ("Aniridia is typically the first noticeable sign of WAGR syndrome.", ("aniridia", "wagr syndrome", "frequency")),
])
def test_a_condition_the_predicate_makes_another_conditions_symptom_is_that_symptom(nlp, text, expected):
    assert expected in {(s, c, m) for s, c, m, *_ in claims(nlp, text)}
    subject = nlp(text).ents[0]
    assert (subject.label_, subject._.concept_id.startswith("HP:")) == ("SYMPTOM", True)  # the mention itself, as a table's cell


def test_a_condition_the_predicate_denies_is_another_conditions_symptom_is_a_negated_claim(nlp):
    found = claims(nlp, "Hypertension is not a feature of Gitelman syndrome.")
    assert found == [("hypertension", "gitelman syndrome", "association", "", True, "S_is_not_a_symptom_of_C")]


@pytest.mark.parametrize("text", [
    "Diabetic retinopathy is a complication of diabetes.",  # a complication, not a symptom
    "When intestinal pseudo-obstruction is a feature of MNGIE disease, it is inherited in a mitochondrial pattern.",
    "Ectopia lentis is a common feature of genetic syndromes such as Marfan syndrome.",  # a class's feature, its instance named later
])
def test_a_condition_is_no_symptom_without_a_predicate_that_makes_it_one(nlp, text):
    doc = nlp(text)
    subject = doc.ents[0]
    assert subject.label_ == "CONDITION"
    assert [c for c in doc._.claims if c.symptom == (subject.start_char, subject.end_char)] == []


def test_a_condition_whose_text_hpo_lacks_reads_as_the_phenotype_of_its_concepts_name(nlp):
    """ "Angina" is ICD-10-CM's Angina pectoris; HPO names only the latter."""
    assert ("angina pectoris", "coronary artery disease", "frequency") in {(s, c, m) for s, c, m, *_ in claims(nlp, "Angina is a common symptom of CHD.")}


def test_the_condition_of_a_population_before_the_figure_is_no_symptom_it_counts(nlp):
    text = "Mineral and bone disorder commonly occurs in people with CKD and affects most people with kidney failure receiving dialysis."
    assert [c for c in claims(nlp, text) if c[0] == "chronic kidney disease"] == []


@pytest.mark.parametrize("text, feature", [
    ("The signs and symptoms of thalassemia major appear within the first 2 years of life. Children develop life-threatening anemia. "
     "They do not gain weight and grow at the expected rate (failure to thrive) and may develop yellowing of the skin (jaundice).", "anemia"),
    ("Individuals with NMO develop optic neuritis. Individuals also develop transverse myelitis. "
     "Individuals may also develop episodes of severe nausea and vomiting, with hiccups.", "transverse myelitis"),
])
def test_a_condition_a_bare_group_develops_owns_no_next_sentence(nlp, text, feature):
    assert [c for c in claims(nlp, text) if c[1] == feature] == []


def test_a_condition_after_a_group_has_another_object_is_not_what_they_have(nlp):
    from extractors.claim_builder import _DocView, _had_by_the_affected

    doc = _DocView(nlp("Some people have symptoms but do not suspect diabetes."))
    assert not _had_by_the_affected(doc, next(e for e in doc.ents if doc.text_of(e) == "diabetes"))
    doc = _DocView(nlp("Children develop life-threatening anemia."))
    assert _had_by_the_affected(doc, next(e for e in doc.ents if doc.text_of(e) == "anemia"))


def test_a_condition_listed_among_symptoms_is_one_more_symptom_read_as_its_phenotype(nlp):
    """ "seizures" and "microcephaly" are DO diseases too: as items of a symptom list they were
    no claim at all, and the list's other items were claimed without them."""
    doc = nlp("Symptoms of Aicardi syndrome include seizures, ataxia and microcephaly.")
    assert [(c.symptom_name.lower(), c.condition_name.lower(), c.rule) for c in doc._.claims] == [
        ("seizure", "aicardi syndrome", "symptom_list"), ("ataxia", "aicardi syndrome", "symptom_list"),
        ("microcephaly", "aicardi syndrome", "symptom_list")]
    assert [(e.text, e.label_, e._.concept_id) for e in doc.ents[1:]] == [
        ("seizures", "SYMPTOM", "HP:0001250"), ("ataxia", "SYMPTOM", "HP:0001251"), ("microcephaly", "SYMPTOM", "HP:0000252")]


@pytest.mark.parametrize("text, rule", [
    ("Wilson disease is a disorder in which copper builds up. This can cause problems such as tremor, depression and personality changes.",
     "condition_from_previous_sentence"),
    ("Symptoms of Wilson disease may include: personality changes. Depression and tremor may also occur.", "list_after_heading"),
])
def test_a_list_whose_only_conditions_are_its_items_takes_the_owner_before_it(nlp, text, rule):
    assert {(s, c, r) for s, c, _, _, _, r in claims(nlp, text) if r == rule} == {
        ("tremor", "wilson disease", rule), ("depression", "wilson disease", rule)} | (
        {("personality changes", "wilson disease", rule)} if rule == "condition_from_previous_sentence" else set())


def test_an_owner_named_as_such_is_never_read_as_a_listed_item(nlp):
    found = claims(nlp, "Reticular dysgenesis is the most severe form of SCID. The condition is characterized by the classic signs of SCID, "
                        "including severe and recurrent infections, diarrhea, and failure to thrive.")
    assert {c for _, c, *_ in found} == {"severe combined immunodeficiency"} and len(found) == 3


@pytest.mark.parametrize("text, kind", [
    ("Myelinolysis has occurred in burn victims and in women with eating disorders such as anorexia or bulimia.", "bulimia"),
    ("Blood tests check for liver damage, and can help diagnose liver diseases such as hepatitis, jaundice and cirrhosis.", "cirrhosis"),
])
def test_the_kinds_a_class_of_conditions_lists_are_not_its_symptoms(nlp, text, kind):
    assert [s for s, *_ in claims(nlp, text) if kind in s] == []


def test_a_condition_named_in_contrast_owns_nothing_after_it(nlp):
    text = ("Cone-rod dystrophy is a group of related eye disorders. In contrast to rod-cone dystrophies, individuals experience "
            "deterioration of the cone cells more severely than the rod cells. Initial signs and symptoms typically include "
            "decreased visual acuity; loss of color perception; and photophobia.")
    assert [c for _, c, *_ in claims(nlp, text) if c == "retinitis pigmentosa"] == []


@pytest.mark.parametrize("text, expected", [
    ("Sotos syndrome is a disorder characterized by overgrowth in childhood. Craniosynostosis may also occur. In some cases, hypotonia develops.",
     ("hypotonia", "sotos syndrome", "condition_from_topic")),
    ("Sotos syndrome is a disorder characterized by overgrowth in childhood. Craniosynostosis may also occur. Other features include hypotonia "
     "and scoliosis.", ("hypotonia", "sotos syndrome", "condition_from_topic")),
])
def test_a_feature_of_the_page_named_in_the_sentence_before_owns_no_next_sentence(nlp, text, expected):
    """Craniosynostosis, ptosis, a large head: the terminology calls them conditions, and one
    of them, named as the page's feature, had owned the features listed after it; they are
    the page's topic's."""
    found = [(s, c, r) for s, c, _, _, _, r in claims(nlp, text) if s != "overgrowth"]
    assert all(c != "craniosynostosis" for _, c, _ in found)
    assert found[0] == expected


def test_a_condition_the_next_sentence_refers_back_to_still_owns_it(nlp):
    text = "Diabetes is a disease in which blood sugar levels are too high. Over time, it can lead to glaucoma. This may cause vision loss and eye pain."
    assert {(s, c) for s, c, *_ in claims(nlp, text)} >= {("visual loss", "glaucoma"), ("ocular pain", "glaucoma")}


def test_a_list_of_causes_does_not_take_the_owner_before_it(nlp):
    text = ("Hypothyroidism is a condition in which the thyroid gland does not make enough hormone. "
            "Other causes include thyroid nodules, thyroiditis, goiter, and congenital hypothyroidism.")
    assert claims(nlp, text) == []


def test_a_condition_among_the_symptoms_a_figure_counts_is_counted_too(nlp):
    found = values(nlp, "About 40 percent of people with Aicardi syndrome have ataxia, seizures, and hypotonia.")
    assert found == {(s, "aicardi syndrome", "prevalence"): (0.4, 0.4) for s in ("ataxia", "seizure", "hypotonia")}


def test_what_the_counted_thing_may_cause_is_not_what_the_figure_counts(nlp):
    text = ("Multiple endocrine neoplasia type 1 is a disorder of the endocrine glands. Parathyroid tumors are present in 90% of people "
            "with MEN1 by age 20-25 years and may cause fatigue, depression, weight loss, and constipation.")
    caused = {"fatigue", "depression", "weight loss", "constipation"}
    assert [(s, m) for s, _, m in values(nlp, text) if s in caused] == []  # neither the 90% nor the age is theirs


@pytest.mark.parametrize("text, expected", [
    ("Stickler syndrome is a disorder of connective tissue. Many people with Stickler syndrome have severe nearsightedness (high myopia).",
     "high myopia"),
    ("Peters plus syndrome is a disorder. A cleft lip with or without a cleft palate is present in about half of the people with this condition.",
     "cleft lip"),
])
def test_a_condition_glossed_by_a_symptom_or_after_with_or_without_is_no_item_of_its_own(nlp, text, expected):
    assert [s for s, _, m, *_ in claims(nlp, text) if m != "association"] == [expected]


def test_a_page_that_opens_on_its_condition_and_a_long_second_name_is_about_that_condition(nlp):
    """CHILD syndrome's second name is 88 characters long: the subject before it is still the page's topic."""
    found = claims_with_condition(nlp, "CHILD syndrome, also known as congenital hemidysplasia with ichthyosiform erythroderma and "
                                       "limb defects, is a genetic condition that affects the skin. Some affected individuals have hearing loss.")
    assert ("hearing impairment", "child syndrome", "Some affected individuals") in found


def test_a_page_whose_first_statement_defines_its_condition_after_an_adverb_is_about_it(nlp):
    """ "is primarily an eye disorder": the affected individuals of a later sentence are its own."""
    found = claims_with_condition(nlp, "Axenfeld-Rieger syndrome is primarily an eye disorder, although it can also affect other parts of "
                                       "the body. This condition can also cause abnormalities of the cornea, which is the clear front "
                                       "covering of the eye. About half of affected individuals develop glaucoma, a serious condition "
                                       "that increases pressure inside the eye.")
    assert ("glaucoma", "axenfeld-rieger syndrome", "About half") in found


def test_a_figure_after_a_blank_line_counts_none_of_the_list_above_it(nlp):
    """NHLBI's lists keep each item on its own line with no stop, so the line after the list is
    one sentence with it: its figures are not the last item's, and a figure that only dates the
    condition leaves the list its items."""
    text = ("Symptoms of stroke may include:\n    \nWeakness of an arm or leg on one side of the body\n    \nLoss of balance\n"
            "    \nSevere headache\n    \nAs many as 24 percent of people with hemoglobin SS and 10 percent of people with "
            "hemoglobin SC may suffer a clinical stroke by age 45.")
    found = {(symptom, condition, measure) for symptom, condition, measure, *_ in claims(nlp, text)}
    assert ("severe headache", "stroke", "prevalence") not in found
    assert {("arm weakness", "stroke", "association"), ("loss of balance", "stroke", "association"),
            ("severe headache", "stroke", "association")} <= found
    # a heading's figure still reaches forward over a blank line into its list
    heading = claims_with_figures(nlp, "The most common signs and symptoms of Crohn's disease are\n\n- diarrhea\n\n- weight loss")
    assert ("diarrhea", "frequency", "most common") in heading
