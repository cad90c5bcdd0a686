"""The claims stage alone: dedup, conflicts, decisions and writers on hand-made rows."""
import itertools

import pandas as pd
import pytest

from claims import schema, writers
from claims.consolidate import build_tables
from claims.decisions import EVIDENCE_CHANGED, read_decisions, record_decision, unmatched_decisions
from claims.dedup import find_duplicates
from claims.normalize import stable_hash
from claims.signatures import document_signature
from claims.writers import StagedWrite, csv_text, read_tables, stage_tables, to_csv_frame

SPASTICITY, SPASM, STIFFNESS, MS = "HP:0001257", "HP:0003394", "HP:0003552", "DOID:2377"
NAMES = {SPASTICITY: "Spasticity", SPASM: "Muscle spasm", STIFFNESS: "Muscle stiffness", "HP:0002315": "Headache", "HP:0012378": "Fatigue"}


def occurrence(doc_id, symptom_id, low=None, high=None, qualifier="", measure="prevalence", unit="proportion",
               polarity="affirmed", population="people", figure="", frequency_class="", sentence=None, rule=None):
    if rule is None:  # a denied association is stated directly ("MS does not cause headaches") unless said otherwise
        rule = "C_does_not_cause_S" if measure == "association" and polarity == "negated" else "S_affects_N_of_population_with_C"
    return {
        "evidence_id": f"{doc_id}@0:{symptom_id}{low}", "doc_id": doc_id, "sentence": sentence or f"{symptom_id} {low}-{high} in {doc_id}",
        "sentence_start": 0, "symptom_mention_id": f"{doc_id}@0-1:S", "condition_mention_id": f"{doc_id}@2-3:C",
        "statistic_mention_id": f"{doc_id}@4-5:N" if low is not None else None, "negated": polarity == "negated",
        "hedged": False, "hypothetical": False, "rule": rule, "confidence": 0.95,
        "symptom": NAMES.get(symptom_id, symptom_id), "symptom_id": symptom_id, "condition": "multiple sclerosis",
        "condition_id": MS, "measure": measure, "value_low": low, "value_high": high, "unit": unit if low is not None else "",
        "qualifier": qualifier, "frequency_class": frequency_class, "figure": figure, "population": population, "polarity": polarity,
    }


def tables_for(evidence_by_doc: dict, aliases=(), decisions=None, ancestors_of=None, texts=None, submit=None):
    texts = texts or {doc: f"text of {doc}" for doc in evidence_by_doc}
    documents = [{"doc_id": d, "source": d, "sha256": str(hash(texts[d])), "status": "ok", "reason": "", "n_chars": 10} for d in evidence_by_doc]
    extractions = [{"doc_id": d, "n_sentences": 1, "mentions": [], "evidence": rows, "aliases": [a for a in aliases if a["doc_id"] == d]}
                   for d, rows in evidence_by_doc.items()]
    signatures = {d: document_signature(texts[d]) for d in evidence_by_doc}
    return build_tables(documents, extractions, signatures, decisions, ancestors_of, submit=submit)


def write_tables(tables: dict, output, formats=("csv",)) -> None:
    with StagedWrite() as staged:
        stage_tables(staged, tables, output, formats)
        staged.commit()


def alias(doc_id, term, term_id, other, other_id, relation, cue="also called"):
    return {"doc_id": doc_id, "term": term, "term_id": term_id, "alias": other, "alias_id": other_id,
            "relation": relation, "start": 0, "end": 10, "cue": cue}


def test_same_figure_with_and_without_about_is_one_claim():
    tables = tables_for({"a": [occurrence("a", SPASTICITY, 0.2, 0.2, "about")], "b": [occurrence("b", SPASTICITY, 0.2, 0.2)]})
    claims = tables["claims"]
    assert len(claims) == 1
    assert claims.loc[0, "n_evidence"] == 2 and claims.loc[0, "n_documents"] == 2 and claims.loc[0, "n_sources"] == 2
    assert tables["conflicts"].empty


def test_the_tables_do_not_depend_on_the_order_the_documents_came_in():
    """A flow keeps documents served by the cache before those it extracts: a claim's values
    (here its population, "" and "people" being one claim) are its first evidence row's in the
    evidence table's order, not in the order of arrival."""
    rows = {"b": [occurrence("b", SPASTICITY, 0.2, 0.2, population="")], "a": [occurrence("a", SPASTICITY, 0.2, 0.2, population="people")],
            "c": [occurrence("c", SPASTICITY, 0.6, 0.6)]}
    in_order, reversed_order = tables_for(rows), tables_for(dict(reversed(rows.items())))
    assert in_order["claims"].loc[0, "population"] == "people"
    for table in schema.TABLES:
        pd.testing.assert_frame_equal(in_order[table.name], reversed_order[table.name])


def test_numeric_conflict_needs_non_overlap_after_widening():
    far = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, "about")], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]})
    assert list(far["conflicts"]["kind"]) == ["numeric"]
    reason = far["conflicts"].loc[0, "reason"]
    assert "about 80%" in reason and "30%" in reason
    near = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, "about")], "b": [occurrence("b", "HP:0012378", 0.7, 0.7)]})
    assert near["conflicts"].empty


def test_an_incidence_is_compared_only_with_another_incidence():
    """Barrett's "less than 0.5 percent ... develop cancer each year" against GARD's 30%-79%."""
    mixed = tables_for({"a": [occurrence("a", "HP:0012378", 0.0, 0.005, "less than", measure="incidence")],
                        "b": [occurrence("b", "HP:0012378", 0.3, 0.79)]})
    assert mixed["conflicts"].empty
    both = tables_for({"a": [occurrence("a", "HP:0012378", 0.0, 0.005, "less than", measure="incidence")],
                       "b": [occurrence("b", "HP:0012378", 0.1, 0.1, measure="incidence")]})
    assert list(both["conflicts"]["kind"]) == ["numeric"]
    assert "less than 0.5% a year" in both["conflicts"].loc[0, "reason"]
    # "not 10% a year" denies no share of people who have it
    denied = {"a": [occurrence("a", "HP:0012378", 0.1, 0.1, polarity="negated", measure="incidence")],
              "b": [occurrence("b", "HP:0012378", 0.1, 0.1, measure="incidence")]}
    assert list(tables_for(denied)["conflicts"]["kind"]) == ["polarity"]
    denied["b"] = [occurrence("b", "HP:0012378", 0.1, 0.1)]
    assert tables_for(denied)["conflicts"].empty


def test_different_populations_never_conflict():
    tables = tables_for({"a": [occurrence("a", "HP:0012378", 0.7, 0.7, population="children")],
                         "b": [occurrence("b", "HP:0012378", 0.3, 0.3, population="adults")]})
    assert tables["conflicts"].empty


def test_related_numeric_through_a_documents_own_alias():
    aliases = [alias("c", "spasticity", SPASTICITY, "spasms", SPASM, "described_as", "a condition called")]
    tables = tables_for({"a": [occurrence("a", SPASTICITY, 0.2, 0.2, "about")],
                         "b": [occurrence("b", SPASM, 0.4, 0.8), occurrence("b", STIFFNESS, 0.4, 0.8)],
                         "c": []}, aliases)
    conflicts = tables["conflicts"]
    assert list(conflicts["kind"]) == ["related_numeric"]
    reason = conflicts.loc[0, "reason"]
    assert "about 20%" in reason and "40%-80%" in reason and "a condition called" in reason
    claims = tables["claims"].set_index("symptom_id")
    assert claims.loc[SPASTICITY, "conflict"] and claims.loc[SPASM, "conflict"] and not claims.loc[STIFFNESS, "conflict"]


def test_two_parts_of_one_described_term_are_not_related():
    """ "Dyssynergia Cerebellaris Myoclonica refers to a group of disorders characterized by
    epilepsy, cognitive impairment, myoclonus": epilepsy and cognitive impairment are parts of
    DCM, not names of each other, so their figures in Vici syndrome (50%, 90%) do not conflict."""
    assert_parts_of_one_statement_are_unrelated(("Dyssynergia Cerebellaris Myoclonica", "ORPHA:1194"), "described_as", "refers to",
                                                ("epilepsy", "HP:0001250"), ("cognitive impairment", "HP:0100543"))


def assert_parts_of_one_statement_are_unrelated(whole, relation, cue, part, other_part) -> list[dict]:
    """Document c relates ``whole`` (name, id) to two parts: the parts' figures (50 %, 90 %) do
    not conflict with each other, the whole's does with a part's. Returns the statement's rows."""
    aliases = [alias("c", whole[0], whole[1], name, concept, relation, cue) for name, concept in (part, other_part)]
    siblings = tables_for({"a": [occurrence("a", part[1], 0.5, 0.5)], "b": [occurrence("b", other_part[1], 0.9, 0.9)], "c": []}, aliases)
    assert siblings["conflicts"].empty
    named = tables_for({"a": [occurrence("a", part[1], 0.5, 0.5)], "b": [occurrence("b", whole[1], 0.9, 0.9)], "c": []}, aliases)
    assert list(named["conflicts"]["kind"]) == ["related_numeric"]
    return aliases


def test_two_terms_of_one_same_as_statement_are_not_related_to_each_other():
    """ "Vestibular dysfunction (i.e. tinnitus, vertigo)": tinnitus and vertigo are each
    compared with vestibular dysfunction, not with each other; a chain may still pass one such
    statement, for figures and for denials ("Muscle spasms (also called cramps or
    fasciculations)", "Muscle twitches (or fasciculations)", twitches and spasms "not quite the
    same")."""
    tinnitus, vertigo, vestibular, ringing = "HP:0000360", "HP:0002321", "HP:0001751", "text:ringing in the ear"
    aliases = assert_parts_of_one_statement_are_unrelated(("Vestibular dysfunction", vestibular), "same_as", "i.e.",
                                                          ("tinnitus", tinnitus), ("vertigo", vertigo))
    chain = aliases + [alias("d", "ringing in the ears", None, "tinnitus", tinnitus, "same_as")]
    through_one_list = tables_for({"a": [occurrence("a", ringing, 0.2, 0.2)], "b": [occurrence("b", vestibular, 0.9, 0.9)], "c": [], "d": []}, chain)
    assert list(through_one_list["conflicts"]["kind"]) == ["related_numeric"]
    spelled_again = aliases + [alias("d", "Tinnitus", tinnitus, other, other_id, "same_as")  # names one other term
                               for other, other_id in (("tinnitus aurium", tinnitus), ("ringing in the ears", None))]
    through_one_list = tables_for({"a": [occurrence("a", ringing, 0.2, 0.2)], "b": [occurrence("b", vestibular, 0.9, 0.9)], "c": [], "d": []}, spelled_again)
    assert list(through_one_list["conflicts"]["kind"]) == ["related_numeric"]
    denied = [alias("a", "Muscle spasms", SPASM, other, other_id, "same_as") for other, other_id in (("cramps", "HP:0003394c"), ("fasciculations", "HP:0002380"))]
    denied += [alias("b", "Muscle twitches", None, "fasciculations", "HP:0002380", "same_as", "or"),
               alias("c", "muscle twitch", None, "muscle spasm", SPASM, "not_same_as", "not quite the same")]
    assert list(tables_for({"a": [], "b": [], "c": []}, denied)["conflicts"]["kind"]) == ["alias"]


def test_ontology_relation_only_conflicts_when_the_specific_symptom_is_more_frequent():
    pain, headache = "HP:0012531", "HP:0002315"
    ancestors = {headache: {pain}, pain: set()}.get
    consistent = tables_for({"a": [occurrence("a", pain, 0.8, 0.8)], "b": [occurrence("b", headache, 0.2, 0.2)]}, ancestors_of=ancestors)
    assert consistent["conflicts"].empty
    impossible = tables_for({"a": [occurrence("a", pain, 0.2, 0.2)], "b": [occurrence("b", headache, 0.6, 0.6)]}, ancestors_of=ancestors)
    assert list(impossible["conflicts"]["kind"]) == ["related_numeric"]
    assert "broader term" in impossible["conflicts"].loc[0, "reason"]


def test_figure_pairs_are_those_a_comparison_of_every_pair_finds():
    """The figure conflicts skip symptoms whose ranges cannot lie apart and stop at symptoms
    found unlinked; they must still be those of every pair compared in turn, each with its
    link (same symptom, alias chain or ontology) in the pair's own order."""
    import random

    from claims.conflicts import ConflictFinder, _contradicts, _symptom_link
    from claims.consolidate import CLAIM_FIELDS, _build_claims
    from claims.normalize import claim_id
    from claims.rows import iter_records

    pain, headache, twitch = "HP:0012531", "HP:0002315", None
    # each symptom's figures in a span of its own: some symptoms lie apart from others one
    # way, some both ways (spread figures), some not at all; None: open-ended ("more than")
    lows_of = {SPASTICITY: [0.05, 0.1, 0.5, 0.8], SPASM: [0.2, 0.25], STIFFNESS: [0.6, 0.7], pain: [0.1, 0.15],
               headache: [0.3, 0.5, 0.9], twitch: [0.22]}
    rng = random.Random(5)
    rows = []
    for number in range(80):
        doc = f"d{number:02d}"
        for k in range(rng.randint(1, 3)):
            symptom = rng.choice(list(lows_of))
            low = rng.choice(lows_of[symptom])
            high = rng.choice([low, low, min(1.0, low + 0.05), None])
            qualifier = "more than" if high is None else rng.choice(["", "about", "up to"])
            row = occurrence(doc, symptom, low, high, qualifier, sentence=rng.choice(["One table row after another.", f"{doc} sentence {k}."]))
            row.update(evidence_id=f"{doc}#{k}", confidence=rng.choice([0.5, 0.95]), symptom=row["symptom"] if symptom else "muscle twitches")
            rows.append(row)
    evidence = pd.DataFrame(rows)
    evidence["claim_id"] = [claim_id(r) for r in iter_records(evidence[CLAIM_FIELDS])]
    aliases = schema.ALIASES.conform(pd.DataFrame([alias("d00", "Spasticity", SPASTICITY, "Muscle spasm", SPASM, "same_as"),
                                                   alias("d01", "Muscle twitch", None, "Muscle stiffness", STIFFNESS, "same_as")]))
    finder = ConflictFinder(schema.CLAIMS.conform(_build_claims(evidence)), evidence, aliases, lambda symptom_id: {pain} if symptom_id == headache else set())
    members = finder.compared
    for a, b in itertools.combinations(members, 2):
        assert (finder._link(a, b) is None) == (finder._link(b, a) is None), "a link one way only"

    compared = [(a["claim_id"], b["claim_id"], link) for a, b, link in finder._pairs_to_compare(members)]
    assert len({(a, b) for a, b, _ in compared}) == len(compared), "a pair compared twice"
    found = {(a["claim_id"], b["claim_id"]): link for a, b, link in finder._pairs_to_compare(members) if _contradicts(a, b, link)}
    expected = {}
    for a, b in itertools.combinations(sorted(members, key=lambda c: c["claim_id"]), 2):
        link = _symptom_link(a, b, finder.graph, finder.ancestors_of)
        if not (finder._one_sentence(a, b) or finder._both_guessed(a, b) or link is None) and _contradicts(a, b, link):
            expected[(a["claim_id"], b["claim_id"])] = link
    kinds = {link.kind for link in expected.values()}
    assert len(expected) >= 20 and kinds == {"same", "alias", "ontology"}, (len(expected), kinds)
    assert found == expected


def test_two_figures_of_one_sentence_do_not_conflict():
    """Rows of one GARD frequency table are one source, not two disagreeing: the specific
    phenotype above its ancestor conflicts only when a different sentence states one of them."""
    eye, strabismus = "HP:0000478", "HP:0000486"
    ancestors = {strabismus: {eye}, eye: set()}.get
    table = "Signs and Symptoms Approximate number of patients Abnormality of the eye 50% Strabismus 90% Short stature 7.5%"
    one_table = tables_for({"a": [occurrence("a", eye, 0.5, 0.5, sentence=table), occurrence("a", strabismus, 0.9, 0.9, sentence=table)]},
                           ancestors_of=ancestors)
    assert one_table["conflicts"].empty
    two_sources = tables_for({"a": [occurrence("a", eye, 0.5, 0.5, sentence=table)],
                              "b": [occurrence("b", strabismus, 0.9, 0.9, sentence="Strabismus affects 90% of people with MS.")]},
                             ancestors_of=ancestors)
    assert list(two_sources["conflicts"]["kind"]) == ["related_numeric"]


def test_qualitative_conflict_between_a_frequency_word_and_a_figure():
    tables = tables_for({"a": [occurrence("a", "HP:0002315", 0.01, 0.04, measure="frequency", unit="", figure="rare", frequency_class="very rare")],
                         "b": [occurrence("b", "HP:0002315", 0.6, 0.6)]})
    assert list(tables["conflicts"]["kind"]) == ["qualitative"]
    assert '"rare"' in tables["conflicts"].loc[0, "reason"]
    common = tables_for({"a": [occurrence("a", SPASTICITY, 0.1, 1.0, measure="frequency", unit="", figure="a common symptom")],
                         "b": [occurrence("b", SPASTICITY, 0.2, 0.2, "about")]})
    assert common["conflicts"].empty


def test_some_people_says_a_symptom_occurs_not_how_often():
    """ "Some people with MS experience headaches" is true of 90% too: compared as an
    association, never as the 1-50% of "occasional"; "many people" counts people, so "many
    people may have long periods without diarrhea" leaves a share with it."""
    headache, rash, diarrhea = "HP:0002315", "HP:0000988", "HP:0002014"

    def words(doc_id, symptom_id, figure, low, high, polarity="affirmed"):
        return occurrence(doc_id, symptom_id, low, high, measure="frequency", unit="", figure=figure, frequency_class="occasional", polarity=polarity)

    some_headaches = words("a", headache, "Some people", 0.01, 0.5)
    assert tables_for({"a": [some_headaches], "b": [occurrence("b", headache, 0.9, 0.9)]})["conflicts"].empty
    no_headaches = occurrence("b", headache, measure="association", polarity="negated", sentence="MS does not cause headaches.")
    assert list(tables_for({"a": [some_headaches], "b": [no_headaches]})["conflicts"]["kind"]) == ["polarity"]
    late_rash = words("b", rash, "some people", 0.01, 0.5, "negated")
    assert tables_for({"a": [words("a", rash, "Some patients", 0.01, 0.5)], "b": [late_rash]})["conflicts"].empty
    without_diarrhea = words("b", diarrhea, "many people", 0.1, 1.0, "negated")
    assert tables_for({"a": [words("a", diarrhea, "most common", 0.1, 1.0)], "b": [without_diarrhea]})["conflicts"].empty


def test_polarity_conflict():
    tables = tables_for({"a": [occurrence("a", "HP:0001945", measure="association")],
                         "b": [occurrence("b", "HP:0001945", measure="association", polarity="negated")]})
    assert list(tables["conflicts"]["kind"]) == ["polarity"]


def test_only_a_direct_denial_contradicts_an_association():
    """"Milder forms of the disease do not involve spontaneous bleeding" or a negation falling on
    a list item (rule symptom_list) denies nothing another source says; "MS does not cause
    fever" (C_does_not_cause_S) does."""
    stated = occurrence("a", "HP:0001945", measure="association", rule="symptom_list")
    for rule, kinds in (("symptom_list", []), ("list_after_heading", []), ("C_does_not_cause_S", ["polarity"]), ("S_is_not_a_symptom_of_C", ["polarity"])):
        denied = occurrence("b", "HP:0001945", measure="association", polarity="negated", rule=rule)
        assert list(tables_for({"a": [stated], "b": [denied]})["conflicts"]["kind"]) == kinds, rule


def test_a_document_that_states_and_denies_a_claim_qualifies_itself():
    """"Dermatomyositis causes muscle weakness" and, in the same page, "amyopathic
    dermatomyositis ... without muscle weakness": no conflict until another source denies it."""
    weakness = "HP:0001324"
    stated = occurrence("a", weakness, measure="association", sentence="Dermatomyositis causes muscle weakness.")
    denied = occurrence("a", weakness, measure="association", polarity="negated", sentence="Amyopathic dermatomyositis is without muscle weakness.")
    assert tables_for({"a": [stated, denied]})["conflicts"].empty
    other_source = occurrence("b", weakness, measure="association", polarity="negated", sentence="It does not cause muscle weakness.")
    assert list(tables_for({"a": [stated, denied], "b": [other_source]})["conflicts"]["kind"]) == ["polarity"]


def test_a_denial_conflicts_with_each_figure_it_contradicts_under_ids_that_do_not_move():
    """80% and 70% of people with MS have fatigue; 90% do not. Both figures are contradicted;
    a third document repeating the 70% must not change the 80% pair's id (it was paired with the
    best-supported figure only, so the reviewer's decision went idle)."""
    fatigue = "HP:0012378"
    rows = {"a": [occurrence("a", fatigue, 0.8, 0.8)], "b": [occurrence("b", fatigue, 0.7, 0.7)],
            "c": [occurrence("c", fatigue, 0.9, 0.9, polarity="negated")]}
    polarity = tables_for(rows)["conflicts"].query("kind == 'polarity'")
    more = tables_for({**rows, "d": [occurrence("d", fatigue, 0.7, 0.7)]})["conflicts"].query("kind == 'polarity'")

    assert len(polarity) == 2
    assert set(polarity["conflict_id"]) == set(more["conflict_id"])


def test_polarity_reason_quotes_both_claims():
    """ "Fever usually lasts one to two weeks" vs "the fever does not last more than 3 days"."""
    fever = "HP:0001945"
    lasting = occurrence("a", fever, 604_800, 1_209_600, measure="duration", unit="seconds")
    not_beyond = occurrence("b", fever, 259_200, None, "more than", measure="duration", unit="seconds", polarity="negated")
    reason = tables_for({"a": [lasting], "b": [not_beyond]})["conflicts"].loc[0, "reason"]
    assert reason.startswith(f"{fever} in multiple sclerosis: ") and "is stated by a" in reason and "is negated by b" in reason
    assert "604,800 s-1,209,600 s" in reason and "more than 259,200 s" in reason, reason
    association = tables_for({"a": [occurrence("a", fever, measure="association")],
                              "b": [occurrence("b", fever, measure="association", polarity="negated")]})["conflicts"].loc[0, "reason"]
    assert association == f"{fever} in multiple sclerosis is stated by a and negated by b."


def test_polarity_needs_a_denial_of_the_same_measure():
    """A negated claim contradicts an affirmed one only about the same measure, and a denied
    figure only the figures it rules out."""
    rash, hallucinations, pain = "HP:0000988", "HP:0000738", "HP:0012531"

    def conflicts(stated, denied):
        return list(tables_for({"a": [stated], "b": [denied]})["conflicts"]["kind"])

    onset = occurrence("a", hallucinations, 16, 30, measure="onset_age", unit="years",
                       sentence="Hallucinations usually begin between the ages of 16 and 30.")
    not_after_45 = occurrence("b", hallucinations, 45, None, "more than", measure="onset_age", unit="years", polarity="negated",
                              sentence="People usually do not get hallucinations after age 45.")
    assert conflicts(onset, not_after_45) == []
    common_pain = occurrence("a", pain, 0.1, 1.0, measure="frequency", unit="", figure="common",
                             sentence="Pain from joint deterioration is common in MS.")
    no_pain = occurrence("b", pain, measure="association", polarity="negated", sentence="Mild MS generally does not cause pain.")
    assert conflicts(common_pain, no_pain) == []
    most_have_rash = occurrence("a", rash, 0.9, 0.9, sentence="Most people with MS (90%) have some type of rash.")
    never_rash = occurrence("b", rash, 0.1, 0.1, "about", polarity="negated", sentence="Approximately 10% of MS patients never develop a rash.")
    assert conflicts(most_have_rash, never_rash) == []
    assert conflicts(occurrence("a", rash, 0.3, 0.3), never_rash) == ["polarity"]
    not_common = occurrence("b", rash, 0.1, 1.0, measure="frequency", unit="", figure="common", polarity="negated",
                            sentence="Skin rash is not considered a common feature of MS.")
    assert conflicts(occurrence("a", rash, 0.0, 0.3, "less than", sentence="Rash occurs in less than 30% of adults."), not_common) == []
    assert conflicts(most_have_rash, not_common) == ["polarity"]


def test_alias_conflict_through_a_chain_of_same_as():
    twitch, fasciculation = "text:muscle twitch", "HP:0002380"
    aliases = [
        alias("a", "Muscle spasms", SPASM, "fasciculations", fasciculation, "same_as"),
        alias("b", "Muscle twitches", None, "fasciculations", fasciculation, "same_as", "or"),
        alias("c", "muscle twitch", None, "muscle spasm", SPASM, "not_same_as", "not quite the same"),
    ]
    tables = tables_for({"a": [], "b": [], "c": []}, aliases)
    conflicts = tables["conflicts"]
    assert list(conflicts["kind"]) == ["alias"], twitch
    assert set(conflicts.loc[0, "doc_ids"].split("|")) == {"a", "b", "c"}


def test_conflict_ids_do_not_depend_on_input_order():
    first = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8)], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]})
    second = tables_for({"b": [occurrence("b", "HP:0012378", 0.3, 0.3)], "a": [occurrence("a", "HP:0012378", 0.8, 0.8)]})
    pd.testing.assert_frame_equal(first["conflicts"], second["conflicts"])
    pd.testing.assert_frame_equal(first["claims"], second["claims"])


def test_near_duplicate_documents_count_as_one_source():
    text = "Fatigue affects about 80 percent of people with multiple sclerosis and is often the most disabling symptom of all."
    near = text.replace("disabling", "limiting")
    tables = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, "about")], "b": [occurrence("b", "HP:0012378", 0.8, 0.8, "about")]},
                        texts={"a": text, "b": near})
    assert tables["claims"].loc[0, "n_documents"] == 2 and tables["claims"].loc[0, "n_sources"] == 1
    assert tables["documents"].set_index("doc_id").loc["b", "duplicate_of"] == "a"
    assert find_duplicates({"x": document_signature("completely different words here about asthma and wheezing in children today")},
                           {"x": "1"}) == {}


def test_near_duplicates_searched_elsewhere_give_the_same_tables():
    """The flow hands the near-duplicate search to its side process and collects it after the
    conflicts; deferred to the moment it is waited for, it must give the same tables."""
    text = "Fatigue affects about 80 percent of people with multiple sclerosis and is often the most disabling symptom of all."
    evidence = {doc: [occurrence(doc, "HP:0012378", 0.8, 0.8, "about")] for doc in "abc"}
    texts = {"a": text, "b": text.replace("disabling", "limiting"), "c": "Fatigue in MS: 80 percent, says a short note."}
    submitted = []

    def deferred(function, *args):
        submitted.append(function)
        return lambda: function(*args)

    here, elsewhere = tables_for(evidence, texts=texts), tables_for(evidence, texts=texts, submit=deferred)
    assert submitted == [find_duplicates]
    assert here["claims"].loc[0, "n_sources"] == 2 and here["documents"]["duplicate_of"].tolist() == [pd.NA, "a", pd.NA]
    for name, table in here.items():
        pd.testing.assert_frame_equal(elsewhere[name], table)


def test_near_duplicate_groups_are_the_components_of_all_passing_band_pairs():
    """find_duplicates collapses equal signatures and finds band mates by sorting; its groups
    must still be the connected components of every pair that shares an LSH band and passes
    the threshold, each named by its first doc_id."""
    import random

    import numpy as np

    from claims.dedup import LSH_BANDS_ROWS, NEAR_DUPLICATE_THRESHOLD
    from claims.signatures import NUM_PERM

    rng = random.Random(7)
    vocabulary = "fatigue tremor spasm numbness pain fever rash cough ataxia seizure weakness stiffness".split()
    bases = [" ".join(rng.choice(vocabulary) for _ in range(40)) for _ in range(6)]
    texts = {}
    for number in range(70):  # edits of a few bases: near duplicates, chains and strangers
        words = rng.choice(bases).split()
        for _ in range(rng.choice([0, 1, 2, 4, 12])):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        texts[f"d{number:02d}"] = " ".join(words)
    signatures = {doc_id: document_signature(text) for doc_id, text in texts.items()}
    sha256 = {doc_id: str(hash(text)) for doc_id, text in texts.items()}

    parent = {doc_id: doc_id for doc_id in texts}

    def root(doc_id):
        while parent[doc_id] != doc_id:
            doc_id = parent[doc_id]
        return doc_id

    bands, rows = LSH_BANDS_ROWS
    for a in texts:
        for b in texts:
            x, y = np.array(signatures[a], dtype=np.uint64), np.array(signatures[b], dtype=np.uint64)
            shares_band = any((x[k * rows:(k + 1) * rows] == y[k * rows:(k + 1) * rows]).all() for k in range(bands))
            if a < b and (sha256[a] == sha256[b] or (shares_band and (x == y).sum() / NUM_PERM >= NEAR_DUPLICATE_THRESHOLD)):
                low, high = sorted([root(a), root(b)])
                parent[high] = low
    expected = {doc_id: root(doc_id) for doc_id in texts if root(doc_id) != doc_id}
    assert len(expected) >= 10 and len(set(expected.values())) >= 3, "the corpus should hold several groups"
    assert find_duplicates(signatures, sha256) == expected


def test_near_duplicate_groups_hold_where_most_band_mates_are_strangers():
    """Templated pages share a band with hundreds of pages they are not near duplicates of.
    find_duplicates compares a row's largest band first and then leaves out the mates already
    in its group; the groups must still be the components of every passing band pair."""
    import numpy as np

    from claims.dedup import LSH_BANDS_ROWS, NEAR_DUPLICATE_THRESHOLD
    from claims.signatures import NUM_PERM

    rng = np.random.default_rng(11)
    bands, rows = LSH_BANDS_ROWS
    templates = rng.integers(0, 1 << 62, (3, NUM_PERM), dtype=np.uint64)
    matrix = []
    for _ in range(40):  # families of edits of one signature: near duplicates, chains and strangers
        base = rng.integers(0, 1 << 62, NUM_PERM, dtype=np.uint64)
        for _ in range(rng.integers(1, 8)):
            row = base.copy()
            changed = rng.choice(NUM_PERM, rng.choice([0, 8, 20, 26, 40]), replace=False)
            row[changed] = rng.integers(0, 1 << 62, len(changed), dtype=np.uint64)
            for band in rng.choice(bands, rng.integers(0, 3), replace=False):  # a band alike with a template's
                row[band * rows:(band + 1) * rows] = templates[rng.integers(3)][band * rows:(band + 1) * rows]
            matrix.append(row)
    matrix = np.array(matrix)
    ids = [f"d{number:03d}" for number in range(len(matrix))]

    parent = list(range(len(matrix)))

    def root(index):
        while parent[index] != index:
            index = parent[index]
        return index

    passing = 0
    for a, b in itertools.combinations(range(len(matrix)), 2):
        shares_band = (matrix[a] == matrix[b]).reshape(bands, rows).all(axis=1).any()
        if shares_band and (matrix[a] == matrix[b]).sum() / NUM_PERM >= NEAR_DUPLICATE_THRESHOLD:
            passing += 1
            low, high = sorted([root(a), root(b)])
            parent[high] = low
    expected = {ids[index]: ids[root(index)] for index in range(len(matrix)) if root(index) != index}
    found = find_duplicates(dict(zip(ids, matrix)), {doc_id: doc_id for doc_id in ids})
    assert passing >= 30 and len(set(expected.values())) >= 10, "the signatures should hold many groups"
    assert found == expected


def test_near_duplicates_are_judged_on_whole_values_at_the_threshold():
    """The low bytes only rule candidates out: a signature whose values differ above their
    low byte is judged on the values, and 103 of 128 equal values pass while 102 do not."""
    import numpy as np

    from claims.dedup import NEAR_DUPLICATE_THRESHOLD
    from claims.signatures import NUM_PERM

    base = np.random.default_rng(5).integers(0, 1 << 62, NUM_PERM, dtype=np.uint64)

    def edited(changed: int, step: int) -> np.ndarray:
        row = base.copy()
        row[NUM_PERM - changed:] += np.uint64(step)  # the first bands stay shared
        return row

    assert (NUM_PERM - 25) / NUM_PERM >= NEAR_DUPLICATE_THRESHOLD > (NUM_PERM - 26) / NUM_PERM
    for step in (1, 1 << 8):  # the low bytes differ, or agree everywhere
        assert find_duplicates({"a": base, "b": edited(25, step)}, {"a": "1", "b": "2"}) == {"b": "a"}
        assert find_duplicates({"a": base, "b": edited(26, step)}, {"a": "1", "b": "2"}) == {}


def test_near_duplicate_prefilter_counts_agreeing_bytes_exactly():
    import numpy as np

    from claims.dedup import _count_per_row
    from claims.signatures import NUM_PERM

    flags = np.random.default_rng(3).random((500, NUM_PERM)) < np.linspace(0, 1, 500)[:, None]
    flags[0], flags[1] = True, False
    assert _count_per_row(flags.ravel()).tolist() == np.count_nonzero(flags, axis=1).tolist()


def test_decision_survives_and_reopens_when_evidence_changes(tmp_path):
    rows = {"a": [occurrence("a", "HP:0012378", 0.8, 0.8)], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]}
    conflict = tables_for(rows)["conflicts"].iloc[0].to_dict()
    path = tmp_path / "decisions.csv"
    record_decision(path, conflict, "dismissed", "different definitions of fatigue", reviewer="ana")
    again = tables_for({**rows, "c": []}, decisions=read_decisions(path))["conflicts"].iloc[0]
    assert (again["status"], again["decided_by"], again["note"]) == ("dismissed", "ana", "different definitions of fatigue")
    changed = {"a": rows["a"], "b": [occurrence("b", "HP:0012378", 0.3, 0.3, sentence="a reworded sentence")]}
    reopened = tables_for(changed, decisions=read_decisions(path))["conflicts"].iloc[0]
    assert reopened["status"] == "open" and reopened["note"].startswith(f"{EVIDENCE_CHANGED} since dismissed by ana at ")
    assert reopened["note"].endswith(": different definitions of fatigue")
    assert pd.isna(reopened["decided_by"]) and pd.isna(reopened["decided_at"])  # no decision is in force


def test_decision_holds_when_only_the_sentence_moved(tmp_path):
    """Prepending "Living with MS." to the document moves the sentence (its evidence_id and
    sentence_start) without changing a byte of it: the decision and the conflict id stay."""
    sentence = "Fatigue occurs in about 80% of people with MS."
    rows = {"a": [occurrence("a", "HP:0012378", 0.8, 0.8, sentence=sentence)], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]}
    conflict = tables_for(rows)["conflicts"].iloc[0].to_dict()
    path = tmp_path / "decisions.csv"
    record_decision(path, conflict, "dismissed", "fatigue as a symptom vs as the main complaint", reviewer="ana")
    moved = {**rows, "a": [{**rows["a"][0], "evidence_id": "a@16:0", "sentence_start": 16}]}
    again = tables_for(moved, decisions=read_decisions(path))["conflicts"].iloc[0]
    assert (again["conflict_id"], again["evidence_hash"], again["status"]) == (conflict["conflict_id"], conflict["evidence_hash"], "dismissed")


def test_the_evidence_hash_is_of_each_claims_documents_and_sentences_in_order():
    """Decisions recorded by earlier runs carry this hash: how it is made must not change.
    Per claim (in claim_id order), its distinct "doc_id<US>sentence" pairs (the sentence without
    the whitespace around it), sorted; a sentence that recurs in a document counts once."""
    first, second = "Fatigue occurs in about 80% of people with MS.", "Fatigue is reported by 30% of them."
    later = "Tiredness: 80% feel it."  # before `first` in its document, after it in the sort
    rows = {"b": [occurrence("b", "HP:0012378", 0.8, 0.8, sentence=first)],
            "a": [{**occurrence("a", "HP:0012378", 0.8, 0.8, sentence=later), "evidence_id": "a@0:later"},
                  {**occurrence("a", "HP:0012378", 0.8, 0.8, sentence=first), "sentence_start": 30},
                  {**occurrence("a", "HP:0012378", 0.8, 0.8, sentence=first), "evidence_id": "a@99:again", "sentence_start": 99}],
            "c": [occurrence("c", "HP:0012378", 0.3, 0.3, sentence=second)]}
    tables = tables_for(rows)
    conflict = tables["conflicts"].iloc[0]
    eighty, thirty = (tables["claims"].set_index("value_low").loc[v, "claim_id"] for v in (0.8, 0.3))
    per_claim = {eighty: [f"a\x1f{first}", f"a\x1f{later}", f"b\x1f{first}"], thirty: [f"c\x1f{second}"]}
    assert sorted(per_claim[eighty]) == per_claim[eighty]
    assert conflict["evidence_hash"] == stable_hash(*(e for claim in sorted(per_claim) for e in per_claim[claim]), length=16)


def test_the_whitespace_around_a_sentence_is_not_evidence():
    """A paragraph appended after a document's last sentence takes the newline that ended it."""
    rows = {"a": [occurrence("a", "HP:0012378", 0.8, 0.8, sentence="Fatigue occurs in 80% of people with MS.\n")],
            "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]}
    trimmed = {**rows, "a": [{**rows["a"][0], "sentence": "Fatigue occurs in 80% of people with MS."}]}
    assert tables_for(rows)["conflicts"].loc[0, "evidence_hash"] == tables_for(trimmed)["conflicts"].loc[0, "evidence_hash"]


def test_a_decision_whose_conflict_is_gone_is_counted_and_kept(tmp_path):
    """Fatigue 80% vs 30% dismissed; the 30% document is removed, then restored."""
    rows = {"a": [occurrence("a", "HP:0012378", 0.8, 0.8)], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]}
    conflict = tables_for(rows)["conflicts"].iloc[0].to_dict()
    path = tmp_path / "decisions.csv"
    record_decision(path, conflict, "dismissed", "different definitions of fatigue", reviewer="ana")
    gone = tables_for({"a": rows["a"]}, decisions=read_decisions(path))["conflicts"]
    assert unmatched_decisions(gone, read_decisions(path)) == 1
    back = tables_for(rows, decisions=read_decisions(path))["conflicts"]
    assert unmatched_decisions(back, read_decisions(path)) == 0 and back.loc[0, "status"] == "dismissed"
    record_decision(path, conflict, "open", "taken back", reviewer="ana")  # a reopen decides nothing: not idle
    assert unmatched_decisions(gone, read_decisions(path)) == 0


def test_a_decisions_note_a_spreadsheet_would_execute_is_neutralized_and_read_back_as_written(tmp_path):
    note, reviewer = "=cmd|' /C calc'!A0", "@ana"
    path = tmp_path / "decisions.csv"
    record_decision(path, {"conflict_id": "CFx", "evidence_hash": "h"}, "dismissed", note, reviewer=reviewer)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[0]
    assert (raw["note"], raw["decided_by"]) == ("'" + note, "'" + reviewer)
    decision = read_decisions(path).iloc[0]
    assert (decision["note"], decision["decided_by"]) == (note, reviewer)


def test_record_decision_rejects_unknown_status(tmp_path):
    with pytest.raises(ValueError):
        record_decision(tmp_path / "d.csv", {"conflict_id": "x", "evidence_hash": "y"}, "maybe", "")


def test_a_decision_appended_to_a_file_saved_without_a_final_newline_is_a_row_of_its_own(tmp_path):
    path = tmp_path / "decisions.csv"
    record_decision(path, {"conflict_id": "CF1", "evidence_hash": "h1"}, "dismissed", "first", reviewer="ana")
    path.write_bytes(path.read_bytes().rstrip(b"\r\n"))  # as an editor may save it

    record_decision(path, {"conflict_id": "CF2", "evidence_hash": "h2"}, "confirmed", "second", reviewer="ana")

    assert read_decisions(path)[["conflict_id", "status", "evidence_hash"]].values.tolist() == [["CF1", "dismissed", "h1"], ["CF2", "confirmed", "h2"]]


@pytest.mark.parametrize("row, found", [
    ("CF1,reopen,,ana,2026-11-30T06:00:00+00:00,h1", "'reopen'"),  # not a status decide writes
    ("CF1,dismissed,oops trunc", "''"),  # cut off before its evidence hash
], ids=["unknown status", "cut-off row"])
def test_a_hand_edited_decision_decide_would_not_write_stops_the_run_with_its_line(tmp_path, row, found):
    path = tmp_path / "decisions.csv"
    path.write_text("conflict_id,status,note,decided_by,decided_at,evidence_hash\n"
                    "CF1,Dismissed,fine,ana,2026-11-29T06:00:00+00:00,h1\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f"decisions.csv, line 3: .*{found}"):
        read_decisions(path)
    path.write_text("\n".join(path.read_text(encoding="utf-8").splitlines()[:2]) + "\n", encoding="utf-8")
    assert read_decisions(path)["status"].tolist() == ["dismissed"]  # a status in another case is read


def test_writers_follow_the_schema_and_neutralize_formulas(tmp_path):
    tables = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, sentence="=HYPERLINK(\"http://x\")")],
                         "b": [occurrence("b", "HP:0012378", 0.41666666666666663, 0.41666666666666663)]})
    write_tables(tables, tmp_path, ("csv", "parquet"))
    for table in schema.TABLES:
        frame = pd.read_csv(tmp_path / table.file_name, dtype=str, keep_default_na=False)
        assert list(frame.columns) == table.column_names
    evidence = pd.read_csv(tmp_path / "evidence.csv", dtype=str)
    assert evidence.loc[0, "sentence"].startswith("'=HYPERLINK")
    assert pd.read_parquet(tmp_path / "evidence.parquet").loc[0, "sentence"].startswith("=HYPERLINK")
    cells = pd.DataFrame({"text": pd.array(["-5 mg", "fatigue", None, "@x", "\tx", "+1", "\rx", "a=b"], dtype="string"), "number": [-1] * 8})
    neutralized = to_csv_frame(cells)
    assert neutralized["text"].tolist() == ["'-5 mg", "fatigue", pd.NA, "'@x", "'\tx", "'+1", "'\rx", "a=b"]
    assert neutralized["number"].tolist() == [-1] * 8 and str(neutralized["text"].dtype) == "string"
    assert cells["text"].iloc[0] == "-5 mg"  # the caller's frame is not changed
    with pytest.raises(TypeError, match="categorical"):  # its formulas would go through unchecked
        to_csv_frame(schema.EVIDENCE.conform(tables["evidence"]))
    assert read_tables(tmp_path)["evidence"].loc[0, "sentence"].startswith("=HYPERLINK")
    read_back = read_tables(tmp_path)
    for table in schema.TABLES:  # numbers come back as written, floats to the last bit
        for column in (c.name for c in table.columns if c.dtype in ("Int64", "Float64")):
            pd.testing.assert_series_equal(read_back[table.name][column], table.conform(tables[table.name])[column])
    assert 0.41666666666666663 in read_back["claims"]["value_low"].tolist()
    assert not list(tmp_path.glob(".*.tmp"))


def test_csv_text_writes_the_bytes_pandas_writes():
    """The writer formats columns with arrow; a reader must not see a byte of difference from
    pandas' to_csv: quoting, doubled quotes, line breaks, floats, booleans, missing cells."""
    cells = pd.DataFrame({
        "text": pd.array(['a, b', 'say "no"', "two\nlines", "plain", None, "", "'=1", "é ü 中"], dtype="string"),
        "number": pd.array([1, None, -3, 0, 7, 8, 9, 10], dtype="Int64"),
        "share": pd.array([0.2, 1.0, 1e-05, 1 / 3, None, 0.41666666666666663, 30.0, 2.5e-07], dtype="Float64"),
        "flag": pd.array([True, False, None, True, False, True, False, True], dtype="boolean"),
    })
    concatenated = pd.concat([cells.iloc[:3], cells.iloc[3:]], ignore_index=True)  # columns held in chunks
    for frame, header in ((cells, True), (cells, False), (concatenated, True)):
        assert csv_text(frame, header) == cells.to_csv(index=False, header=header, lineterminator="\n")
    assert csv_text(cells.iloc[:0]) == "text,number,share,flag\n"
    empty = pd.DataFrame({"text": pd.array([None, None], dtype="string"), "share": pd.array([None, None], dtype="Float64")})
    assert csv_text(empty) == empty.to_csv(index=False, lineterminator="\n") == "text,share\n,\n,\n"
    one_column = pd.DataFrame({"text": pd.array(["a", "", None], dtype="string")})
    assert csv_text(one_column) == one_column.to_csv(index=False, lineterminator="\n")  # 'a', '""', '""': no empty line
    plain = pd.DataFrame({"text": pd.Series(["a,b", None], dtype="str"), "n": pd.array([1, 2], dtype="Int64")})  # pandas 3's default strings
    assert csv_text(plain) == plain.to_csv(index=False, lineterminator="\n")
    assert csv_text(pd.DataFrame({"text": pd.array(["a\rb"], dtype="string"), "n": pd.array([1], dtype="Int64")}), False) == '"a\rb",1\n'
    with pytest.raises(TypeError, match="not a dtype of the schema"):
        csv_text(pd.DataFrame({"object": pd.Series(["x"], dtype=object)}))


def test_a_table_written_a_few_rows_at_a_time_is_the_same_file(tmp_path, monkeypatch):
    tables = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, sentence="=1+1"), occurrence("a", SPASTICITY, 0.2, 0.2)],
                         "b": [occurrence("b", "HP:0012378", 0.3, 0.3), occurrence("b", SPASM, measure="association")]})
    write_tables(tables, tmp_path / "whole", ("csv", "parquet"))
    monkeypatch.setattr(writers, "ROWS_PER_CHUNK", 1)
    write_tables(tables, tmp_path / "rows", ("csv", "parquet"))
    assert len(tables["evidence"]) == 4 and tables["conflicts"].empty is False
    for table in schema.TABLES:
        assert (tmp_path / "rows" / table.file_name).read_bytes() == (tmp_path / "whole" / table.file_name).read_bytes()
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "rows" / f"{table.name}.parquet"),
                                      pd.read_parquet(tmp_path / "whole" / f"{table.name}.parquet"))


def test_csv_and_parquet_agree_on_which_cells_are_missing(tmp_path):
    """Extraction rows carry "" for an unstated unit, qualifier or population; CSV writes it
    as an empty cell, which reads back as missing, so Parquet must hold a missing value too."""
    mention = {"doc_id": "a", "mention_id": "a@0-1:S", "start": 0, "end": 1, "text": "f", "label": "SYMPTOM",
               "concept_id": "HP:0012378", "concept_name": "Fatigue", "xrefs": "", "match_source": "lexicon", "unit": ""}
    tables = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8, population=""), occurrence("a", SPASTICITY, measure="association")]})
    tables["mentions"] = schema.MENTIONS.conform(pd.DataFrame([mention]))
    write_tables(tables, tmp_path, ("csv", "parquet"))
    for table in schema.TABLES:
        from_csv = pd.read_csv(tmp_path / table.file_name).isna()
        from_parquet = pd.read_parquet(tmp_path / f"{table.name}.parquet").isna()
        pd.testing.assert_frame_equal(from_parquet, from_csv, obj=table.name)


def undocumented_empty_columns(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Columns with missing values whose schema meaning does not say when they are empty."""
    return [f"{table.name}.{column.name}" for table in schema.TABLES for column in table.columns
            if tables[table.name][column.name].isna().any() and "empty" not in column.meaning]


def test_every_column_that_can_be_empty_says_when(tmp_path):
    onset = {**occurrence("a", None, 20.0, 40.0, measure="onset_age", unit="years"), "symptom": "", "symptom_mention_id": None,
             "rule": "condition_onset_age"}
    tables = tables_for({"a": [onset, occurrence("a", "HP:0012378", measure="association")],
                         "b": [occurrence("b", "HP:0012378", 0.8, 0.8), occurrence("b", SPASTICITY, 0.2, 0.2, polarity="negated")],
                         "c": [occurrence("c", SPASTICITY, 0.2, 0.2)]})
    alias_row = {**tables["conflicts"].iloc[0].to_dict(), "kind": "alias", "claim_ids": "", "condition_id": ""}
    tables["conflicts"] = schema.CONFLICTS.conform(pd.concat([tables["conflicts"], pd.DataFrame([alias_row])]))
    rejected = {"doc_id": "r", "source": "r", "sha256": "", "status": "rejected", "reason": "binary"}
    tables["documents"] = schema.DOCUMENTS.conform(pd.concat([tables["documents"], pd.DataFrame([rejected])]))
    assert undocumented_empty_columns(tables) == []


def files_in(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def disk_full_from_the_third_table(monkeypatch) -> None:
    """The CSV writer fails from the third table on, after two tables' temporaries are written."""
    table = itertools.count(1)

    def to_csv_frame_or_fail(frame):
        if next(table) >= 3:
            raise OSError(28, "No space left on device")
        return to_csv_frame(frame)

    monkeypatch.setattr(writers, "to_csv_frame", to_csv_frame_or_fail)


def two_runs_tables() -> tuple[dict, dict]:
    first = tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8)], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]})
    return first, tables_for({"a": [occurrence("a", "HP:0012378", 0.8, 0.8)]})


def test_a_write_that_fails_midway_leaves_the_old_tables_and_no_temporary(tmp_path, monkeypatch):
    old, new = two_runs_tables()
    write_tables(old, tmp_path, ("csv", "parquet"))
    before = files_in(tmp_path)
    disk_full_from_the_third_table(monkeypatch)
    with pytest.raises(OSError, match="No space left"), StagedWrite() as staged:
        stage_tables(staged, new, tmp_path, ("csv",))
    assert files_in(tmp_path) == before  # the first two tables' temporaries were written and are gone


def test_tables_are_renamed_into_place_only_at_the_commit_and_a_dropped_format_goes(tmp_path):
    old, new = two_runs_tables()
    write_tables(old, tmp_path, ("csv", "parquet"))
    before = files_in(tmp_path)
    (tmp_path / ".documents.parquet.k1ll3d.tmp").write_bytes(b"PAR1 half")  # a killed run's leftover
    with StagedWrite() as staged:
        stage_tables(staged, new, tmp_path, ("csv",))
        assert {name: data for name, data in files_in(tmp_path).items() if not name.endswith(".tmp")} == before
        staged.commit()
    assert sorted(files_in(tmp_path)) == sorted(table.file_name for table in schema.TABLES)
    assert read_tables(tmp_path)["documents"]["doc_id"].tolist() == ["a"]


def test_curated_conflict_against_an_hpo_annotation():
    from claims.curated import Annotation, load_annotations

    fatigue_ms = {("ORPHA:802", "HP:0012378"): Annotation("ORPHA:802", "Multiple sclerosis", "HP:0012378", 0.0, 0.34, "occasional", "ORPHA:802")}
    documents = [{"doc_id": "a", "source": "a", "sha256": "1", "status": "ok", "reason": "", "n_chars": 10}]
    mentions = [{"doc_id": "a", "mention_id": "a@2-3:C", "start": 2, "end": 3, "text": "MS", "label": "CONDITION", "concept_id": MS, "xrefs": "ORPHA:802|ICD10CM:G35"}]
    extraction = {"doc_id": "a", "n_sentences": 1, "mentions": mentions, "evidence": [occurrence("a", "HP:0012378", 0.8, 0.8, "about")], "aliases": []}
    conflicts = build_tables(documents, [extraction], curated=fatigue_ms)["conflicts"]
    assert list(conflicts["kind"]) == ["curated"]
    assert "ORPHA:802" in conflicts.loc[0, "reason"] and "about 80%" in conflicts.loc[0, "reason"]
    agreeing = build_tables(documents, [{**extraction, "evidence": [occurrence("a", "HP:0012378", 0.2, 0.2)]}], curated=fatigue_ms)["conflicts"]
    assert agreeing.empty
    some = occurrence("a", "HP:0012378", 0.01, 0.5, measure="frequency", unit="", figure="Some people", frequency_class="occasional")
    very_frequent = {("ORPHA:802", "HP:0012378"): Annotation("ORPHA:802", "Multiple sclerosis", "HP:0012378", 0.8, 1.0, "very frequent", "ORPHA:802")}
    assert build_tables(documents, [{**extraction, "evidence": [some]}], curated=very_frequent)["conflicts"].empty
    real = load_annotations()
    assert all(0.0 <= a.low <= a.high <= 1.0 for a in list(real.values())[:1000]) and len(real) > 100_000


def test_open_ended_intervals_are_compared_without_error():
    rows = {"a": [occurrence("a", "HP:0012378", 1209600.0, None, "more than", measure="duration", unit="seconds")],
            "b": [occurrence("b", "HP:0012378", 60.0, 600.0, measure="duration", unit="seconds")]}
    conflicts = tables_for(rows)["conflicts"]
    assert list(conflicts["kind"]) == ["numeric"] and 0 < conflicts.loc[0, "severity"] <= 1


def test_claims_without_a_condition_are_not_compared():
    def no_condition(row):
        return {**row, "condition": "", "condition_id": None}

    rows = {"a": [no_condition(occurrence("a", "HP:0001945", 172800.0, 345600.0, measure="duration", unit="seconds"))],
            "b": [no_condition(occurrence("b", "HP:0001945", 5259600.0, 10519200.0, measure="duration", unit="seconds"))]}
    assert tables_for(rows)["conflicts"].empty


def test_onset_ages_of_a_condition_without_a_symptom_are_not_compared():
    """ "The Icelandic type begins in the 20s-30s" (a subtype) vs "Nearly three-quarters of all
    strokes occur in people over the age of 65" (condition_onset_age, no symptom)."""
    def onset(doc_id, low, high, sentence):
        return {**occurrence(doc_id, None, low, high, measure="onset_age", unit="years", sentence=sentence),
                "symptom": "", "condition": "stroke", "condition_id": "DOID:6713", "rule": "condition_onset_age"}
    rows = {"a": [onset("a", 20, 39, "The Icelandic type begins in the 20s-30s.")],
            "b": [onset("b", 65, None, "Nearly three-quarters of all strokes occur in people over the age of 65.")]}
    assert tables_for(rows)["conflicts"].empty


def test_a_claim_hypothetical_in_every_occurrence_is_in_no_conflict():
    """ "See your health care provider if it lasts for more than two weeks" is advice, not a
    duration of dyspepsia's pain to set against "the pain lasts about 5 minutes"."""
    pain = "HP:0012531"
    advice = {**occurrence("a", pain, 1_209_600, None, "more than", measure="duration", unit="seconds",
                           sentence="Because indigestion can be a sign of a more serious problem, see your health care provider "
                                    "if it lasts for more than two weeks or if you have severe pain."), "hypothetical": True}
    fact = occurrence("b", pain, 300, 300, "about", measure="duration", unit="seconds", sentence="The pain lasts about 5 minutes.")
    tables = tables_for({"a": [advice], "b": [fact]})
    assert tables["conflicts"].empty
    assert tables["claims"].set_index("value_low")["hypothetical"].to_dict() == {300: False, 1_209_600: True}


def test_shingle_keys_are_the_distinct_character_shingles_of_the_folded_words():
    """One key per distinct 5-character shingle of the lower-cased words joined by spaces,
    non-ASCII letters included; a text shorter than a shingle is one shingle."""
    from claims.signatures import shingle_keys

    text = "Spasticity (stiffness) affects ~20% of people with MS; Ærøskøbing's spasticity, again."
    folded = "spasticity stiffness affects 20 of people with ms ærøskøbing s spasticity again"
    assert len(shingle_keys(text)) == len({folded[i:i + 5] for i in range(len(folded) - 4)})
    assert len(shingle_keys("MS")) == len(shingle_keys("")) == 1
    assert shingle_keys("MS").tolist() != shingle_keys("ms x").tolist()
    assert set(shingle_keys("fever and rash").tolist()) < set(shingle_keys("Fever and rash, then cough").tolist())


def test_a_filled_slot_holds_the_least_mixed_key_of_its_slot():
    """One-permutation MinHash: every key is mixed once, its top bits pick its slot, and a slot
    any key fell into holds the least of them."""
    import numpy as np

    from claims.signatures import _SLOT_BITS, NUM_PERM, _fmix64, shingle_keys

    text = " ".join(f"Fatigue affects about {n} percent of people with Ωmega-{n * 7} deficiency." for n in range(60))
    mixed = _fmix64(shingle_keys(text)).tolist()
    least: dict[int, int] = {}
    for key in mixed:
        slot = key >> (64 - _SLOT_BITS)
        least[slot] = min(least.get(slot, key), key)
    signature = document_signature(text)
    assert len(signature) == NUM_PERM and len(least) > NUM_PERM * 0.9
    assert all(signature[slot] == value for slot, value in least.items())
    assert all(np.uint64(value) in np.array(mixed, dtype=np.uint64) for value in signature)


def test_an_empty_slot_copies_the_first_filled_slot_of_its_probe_order():
    """A short text fills few slots; the others take the value of the first filled slot in
    their row of the fixed probe orders, the same rows for every document."""
    from claims.signatures import _SLOT_BITS, NUM_PERM, _fmix64, _probe_orders, shingle_keys

    signature = document_signature("MS")  # one shingle: one filled slot, copied into every other
    assert len(set(signature)) == 1
    signature = document_signature("fever and rash")
    filled = {key >> (64 - _SLOT_BITS) for key in _fmix64(shingle_keys("fever and rash")).tolist()}  # the slots its keys pick
    assert 1 < len(filled) < NUM_PERM
    assert filled == {slot for slot, value in enumerate(signature) if value >> (64 - _SLOT_BITS) == slot}
    orders = _probe_orders()
    for slot in set(range(NUM_PERM)) - filled:
        first_filled = next(other for other in orders[slot].tolist() if other in filled)
        assert signature[slot] == signature[first_filled]
    assert sorted(orders[5].tolist()) == list(range(NUM_PERM)) and orders[5][0] == 5


def test_signature_agreement_estimates_the_jaccard_similarity_of_the_shingles():
    """Over pairs of edited passages the share of equal signature values is within a few
    standard errors (sqrt(J(1-J)/NUM_PERM) ~ 0.035 at 0.8) of the exact shingle Jaccard."""
    import random

    import numpy as np

    from claims.signatures import NUM_PERM, shingle_keys

    rng = random.Random(3)
    vocabulary = "fatigue tremor spasm numbness pain fever rash cough ataxia seizure weakness stiffness".split()
    errors = []
    for _ in range(60):
        words = [rng.choice(vocabulary) for _ in range(60)]
        edited = list(words)
        for _ in range(rng.choice([1, 2, 4, 8])):
            edited[rng.randrange(len(edited))] = rng.choice(vocabulary)
        a, b = set(shingle_keys(" ".join(words)).tolist()), set(shingle_keys(" ".join(edited)).tolist())
        exact = len(a & b) / len(a | b)
        estimate = (np.array(document_signature(" ".join(words))) == np.array(document_signature(" ".join(edited)))).sum() / NUM_PERM
        errors.append(estimate - exact)
    assert abs(np.mean(errors)) < 0.02 and np.std(errors) < 0.06 and max(map(abs, errors)) < 0.2


def test_two_figures_linked_only_by_proximity_do_not_conflict():
    """On MedQuAD none of 48 such conflicts was real ("Most children with growth failure grow to about
    one-third of their adult height" against "About one-third of children with CKD have growth failure")."""
    guessed = {"rule": "proximity", "confidence": 0.5}
    both_guessed = tables_for({"a": [{**occurrence("a", "HP:0012378", 0.8, 0.8), **guessed}],
                               "b": [{**occurrence("b", "HP:0012378", 0.3, 0.3), **guessed}]})
    assert both_guessed["conflicts"].empty
    one_pattern = tables_for({"a": [{**occurrence("a", "HP:0012378", 0.8, 0.8), **guessed}], "b": [occurrence("b", "HP:0012378", 0.3, 0.3)]})
    assert list(one_pattern["conflicts"]["kind"]) == ["numeric"]


def test_docs_schema_is_the_schema_module_rendered():
    """The columns, types and meanings are declared once, in claims/schema.py; docs/schema.md is
    its rendering and must not drift from it (regenerate: python -m claims.schema > docs/schema.md)."""
    from pathlib import Path

    assert (Path(__file__).parents[1] / "docs" / "schema.md").read_text(encoding="utf-8") == schema.render_markdown()
