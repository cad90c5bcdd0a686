"""Statistic recogniser: domain sentences -> normalised figures, negatives, speed on junk input."""
import time

import pytest
import spacy

import extractors.statistic_recognizer  # noqa: F401  (registers the factory)
from extractors.extensions import STATISTICS_KEY
from extractors.statistics import find_statistics

DAY = 86400.0

# sentence, expected text, kind, low, high, unit, qualifier
EXPECTED = [
    # seed passages
    ("Spasticity affects about 20 percent of people with MS.", "about 20 percent", "proportion", 0.2, 0.2, "proportion", "about"),
    ("Spasms can affect between 40% and 80% of people with MS.", "between 40% and 80%", "proportion", 0.4, 0.8, "proportion", ""),
    ("These spasms usually last 60 to 90 seconds.", "60 to 90 seconds", "duration", 60, 90, "seconds", ""),
    ("Spasticity is a common symptom in MS.", "common", "frequency_word", 0.1, 1.0, "", ""),
    ("Numbness is often the first symptom experienced.", "often", "frequency_word", 0.1, 1.0, "", ""),
    ("It is one of the more common symptoms of MS.", "one of the more common", "frequency_word", 0.1, 1.0, "", ""),
    # proportions
    ("It occurs in 20% of cases.", "20%", "proportion", 0.2, 0.2, "proportion", ""),
    ("It occurs in 20 per cent of cases.", "20 per cent", "proportion", 0.2, 0.2, "proportion", ""),
    ("Seen in 40\u201380% of patients.", "40\u201380%", "proportion", 0.4, 0.8, "proportion", ""),
    ("Seen in 40-80 % of patients.", "40-80 %", "proportion", 0.4, 0.8, "proportion", ""),
    ("Seen in 40\u201180 % of patients.", "40\u201180 %", "proportion", 0.4, 0.8, "proportion", ""),
    ("Seen in 40 to 80 percent of patients.", "40 to 80 percent", "proportion", 0.4, 0.8, "proportion", ""),
    ("Pain affects up to 80% of patients.", "up to 80%", "proportion", 0.0, 0.8, "proportion", "up to"),
    ("Fatigue affects more than half of people with MS.", "more than half", "proportion", 0.5, 1.0, "proportion", "more than"),
    ("About a third of patients have tremor.", "About a third", "proportion", 1 / 3, 1 / 3, "proportion", "about"),
    ("Two-thirds of patients recover.", "Two-thirds", "proportion", 2 / 3, 2 / 3, "proportion", ""),
    ("One third to one half of individuals with Turner syndrome have it.", "One third to one half", "proportion", 1 / 3, 0.5, "proportion", ""),
    ("It affects between one-third and one-half of people with MS.", "between one-third and one-half", "proportion", 1 / 3, 0.5, "proportion", ""),
    ("About one-fourth of people with MS have it.", "About one-fourth", "proportion", 0.25, 0.25, "proportion", "about"),
    ("Pain affects upwards of 80% of patients.", "upwards of 80%", "proportion", 0.8, 1.0, "proportion", "more than"),
    ("A headache lasting longer than 72 hours.", "longer than 72 hours", "duration", 72 * 3600, None, "seconds", "more than"),
    ("It affects one in five people.", "one in five people", "proportion", 0.2, 0.2, "proportion", ""),
    ("It affects 2 out of 3 patients.", "2 out of 3 patients", "proportion", 2 / 3, 2 / 3, "proportion", ""),
    ("Most patients have pain.", "Most", "proportion", 0.5, 1.0, "proportion", "more than"),
    ("The majority of cases are sporadic.", "The majority", "proportion", 0.5, 1.0, "proportion", "more than"),
    ("Nearly all patients have ataxia.", "Nearly all", "proportion", 1.0, 1.0, "proportion", "nearly"),
    ("Almost all affected individuals are deaf.", "Almost all", "proportion", 1.0, 1.0, "proportion", "nearly"),
    ("Seizures occur in \u22645% of cases.", "\u22645%", "proportion", 0.0, 0.05, "proportion", "at most"),
    ("Prevalence is roughly 0.3% to 0.6% in adults.", "roughly 0.3% to 0.6%", "proportion", 0.003, 0.006, "proportion", "about"),
    ("It is seen in at least 20% of patients.", "at least 20%", "proportion", 0.2, 1.0, "proportion", "at least"),
    ("It is seen in less than 1% of patients.", "less than 1%", "proportion", 0.0, 0.01, "proportion", "less than"),
    ("Each child has a 1 in 4 chance.", "1 in 4", "proportion", 0.25, 0.25, "proportion", ""),
    # rates
    ("It has an annual incidence of 1.5-3 cases per million.", "1.5-3 cases per million", "rate", 1.5e-6, 3e-6, "per_person", ""),
    ("Mortality is 5.2 per 100,000 live births.", "5.2 per 100,000 live births", "rate", 5.2e-5, 5.2e-5, "per_person", ""),
    ("Prevalence is 1:25,000 to 1:40,000.", "1:25,000 to 1:40,000", "rate", 1 / 40000, 1 / 25000, "per_person", ""),
    ("It affects 1 in 10,000 people.", "1 in 10,000 people", "rate", 1e-4, 1e-4, "per_person", ""),
    ("It affects 1 in 2,500 newborns.", "1 in 2,500 newborns", "rate", 4e-4, 4e-4, "per_person", ""),
    ("Carrier frequency is 1:500.", "1:500", "rate", 0.002, 0.002, "per_person", ""),
    ("It occurs in 1 in 35,000 to 48,000 individuals.", "1 in 35,000 to 48,000 individuals", "rate", 1 / 48000, 1 / 35000, "per_person", ""),
    ("It affects 110 to 144 of every 1 million people.", "110 to 144 of every 1 million people", "rate", 1.1e-4, 1.44e-4, "per_person", ""),
    ("It occurs in about 1 in a million births.", "about 1 in a million births", "rate", 1e-6, 1e-6, "per_person", "about"),
    # counts
    ("It affects about 2.8 million people worldwide.", "about 2.8 million people", "count", 2.8e6, 2.8e6, "persons", "about"),
    ("There are more than 400,000 people in the United States with MS.", "more than 400,000 people", "count", 4e5, None, "persons", "more than"),
    ("Fewer than 1,000 cases have been reported.", "Fewer than 1,000 cases", "count", 0.0, 1000, "persons", "less than"),
    # durations
    ("Attacks last a few minutes.", "a few minutes", "duration", 120, 240, "seconds", ""),
    ("Pain persists for several weeks.", "several weeks", "duration", 3 * 7 * DAY, 7 * 7 * DAY, "seconds", ""),
    ("Collect urine for 24 hours.", "24 hours", "duration", DAY, DAY, "seconds", ""),
    ("The rash lasts 2-3 days.", "2-3 days", "duration", 2 * DAY, 3 * DAY, "seconds", ""),
    # a range whose ends have their own units (2_GARD_QA/0003059-2 was cut to "a few hours")
    ("Episodes of muscle weakness usually last between a few hours and a day.", "between a few hours and a day",
     "duration", 2 * 3600, DAY, "seconds", ""),
    ("Attacks last from 10 minutes to an hour.", "10 minutes to an hour", "duration", 600, 3600, "seconds", ""),
    ("Attacks last between 10 minutes to 2 hours.", "10 minutes to 2 hours", "duration", 600, 2 * 3600, "seconds", ""),
    # a same-unit range that goes on to a second unit keeps the last end
    ("The rash lasts 2-3 days to 2 weeks.", "2-3 days to 2 weeks", "duration", 2 * DAY, 14 * DAY, "seconds", ""),
    # "between" opens a same-unit range too (it was read as the second figure alone)
    ("Symptoms last between 2 and 3 days.", "between 2 and 3 days", "duration", 2 * DAY, 3 * DAY, "seconds", ""),
    ("Attacks last between 10 and 20 minutes.", "between 10 and 20 minutes", "duration", 600, 1200, "seconds", ""),
    # ages
    ("Onset is between the ages of 20 and 40.", "between the ages of 20 and 40", "age", 20, 40, "years", ""),
    ("Symptoms begin in their 30s.", "in their 30s", "age", 30, 39, "years", ""),
    ("Risk rises after age 50.", "after age 50", "age", 50, None, "years", "more than"),
    ("Screen people age 60 and older.", "age 60 and older", "age", 60, None, "years", "at least"),
    ("A 45-year-old man presented.", "45-year-old", "age", 45, 45, "years", ""),
    ("Hypotonia appears by 6 months of age.", "by 6 months of age", "age", 0.0, 0.5, "years", "at most"),
    # an age range whose first end has its own unit is one age, in years (it was an age plus a duration)
    ("It affects children aged 2 months to 5 years.", "aged 2 months to 5 years", "age", 2 / 12, 5, "years", ""),
    ("Vaccinate ages 2 months to 5 years.", "ages 2 months to 5 years", "age", 2 / 12, 5, "years", ""),
    ("Symptoms may begin between three months and two years of age.", "between three months and two years of age",
     "age", 0.25, 2, "years", ""),
    ("Onset is between 30 and 50 years of age.", "between 30 and 50 years of age", "age", 30, 50, "years", ""),
    ("Patients were between 3 months and 2 years old.", "between 3 months and 2 years old", "age", 0.25, 2, "years", ""),
    # infants' ages, vague ages and qualified "N years old" (lost, or durations, once durations left "old" alone)
    ("Murmurs may not be heard until the babies are 6 to 8 weeks old.", "6 to 8 weeks old", "age", 6 * 7 / 365.25,
     8 * 7 / 365.25, "years", ""),
    ("Visit before 8 weeks of age.", "before 8 weeks of age", "age", 0.0, 8 * 7 / 365.25, "years", "less than"),
    ("Infants appear normal until they are a few months old.", "a few months old", "age", 2 / 12, 4 / 12, "years", ""),
    ("It affects children less than 5 years old.", "less than 5 years old", "age", 0.0, 5, "years", "less than"),
    ("Screen adults at least 40 years old.", "at least 40 years old", "age", 40, None, "years", "at least"),
    # "from" opens a range, not an open interval ("from N" alone is "at least N")
    ("Symptoms start from age 3 to 8 months.", "from age 3 to 8 months", "age", 0.25, 8 / 12, "years", ""),
    ("It appears in children from a few months to 3 years old.", "from a few months to 3 years old", "age", 2 / 12, 3,
     "years", ""),
    ("Symptoms start from 3 months of age.", "from 3 months of age", "age", 0.25, None, "years", "at least"),
    # frequency words
    ("Tremor is rare.", "rare", "frequency_word", 0.0, 0.05, "", ""),
    ("Seizures are very rare.", "very rare", "frequency_word", 0.0, 0.01, "", ""),
    ("Seizures are uncommon.", "uncommon", "frequency_word", 0.01, 0.3, "", ""),
    ("Pain occurs occasionally.", "occasionally", "frequency_word", 0.01, 0.5, "", ""),
    ("Patients sometimes have pain.", "sometimes", "frequency_word", 0.01, 0.5, "", ""),
    ("Pain is frequently reported.", "frequently", "frequency_word", 0.1, 1.0, "", ""),
    ("Fatigue is the most common symptom.", "most common", "frequency_word", 0.1, 1.0, "", ""),
    ("Ataxia is always present.", "always", "frequency_word", 1.0, 1.0, "", ""),
    ("The disorder usually affects the legs.", "usually", "frequency_word", 0.5, 1.0, "", ""),
]


def _only(sentence):
    statistics = find_statistics(sentence)
    assert len(statistics) == 1, statistics
    return statistics[0]


@pytest.mark.parametrize("sentence, text, kind, low, high, unit, qualifier", EXPECTED)
def test_recognises_and_normalises(sentence, text, kind, low, high, unit, qualifier):
    statistic = _only(sentence)
    assert (statistic.text, statistic.kind, statistic.unit, statistic.qualifier) == (text, kind, unit, qualifier)
    assert statistic.value_low == pytest.approx(low)
    assert statistic.value_high == (None if high is None else pytest.approx(high))
    assert sentence[statistic.start:statistic.end] == statistic.text


@pytest.mark.parametrize("sentence, frequency_class", [
    ("Spasticity is a common symptom in MS.", "frequent"),
    ("It is one of the more common symptoms of MS.", "frequent"),
    ("Tremor is rare.", "very rare"),
    ("Ataxia is always present.", "obligate"),
    ("Affects about 20 percent of people.", "occasional"),
    ("Affects 90% of patients.", "very frequent"),
    ("Affects 100% of patients.", "obligate"),
    ("Affects 50% of patients.", "frequent"),
    ("Affects 3% of patients.", "very rare"),
    ("Nearly all patients have it.", "very frequent"),  # "nearly" = just below 100 %
    ("Affects between 40% and 80% of patients.", ""),  # the range straddles two bins
    ("Affects 40-60% of patients.", "frequent"),
    ("It affects 1 in 10,000 people.", ""),  # a prevalence, not a feature frequency
])
def test_hpo_frequency_class(sentence, frequency_class):
    assert _only(sentence).frequency_class == frequency_class


@pytest.mark.parametrize("sentence, text, frequency_class", [
    ("Some affected individuals experience seizures.", "Some affected individuals", "occasional"),
    ("Many affected people have mild back pain.", "Many affected people", "frequent"),
])
def test_some_or_many_of_the_affected_are_a_frequency_as_most_is(sentence, text, frequency_class):
    statistic = _only(sentence)
    assert (statistic.text, statistic.kind, statistic.frequency_class) == (text, "frequency_word", frequency_class)


@pytest.mark.parametrize("sentence, text, kind, frequency_class", [
    ("Almost all individuals with beta-mannosidosis experience intellectual disability, and some have seizures.", "some", "frequency_word", "occasional"),
    ("People with ataxia-telangiectasia often have a weakened immune system, and many develop chronic lung infections.", "many", "frequency_word", "frequent"),
    ("Infants with Costello syndrome may be larger than average at birth, but most have difficulty feeding.", "most", "proportion", ""),
])
def test_a_bare_quantifier_after_a_conjunction_is_the_share_of_its_clause(sentence, text, kind, frequency_class):
    statistic = find_statistics(sentence)[-1]
    assert (statistic.text, statistic.kind, statistic.frequency_class) == (text, kind, frequency_class)
    assert sentence[statistic.start:statistic.end] == text


@pytest.mark.parametrize("sentence", [
    "Treatment helps, and some of the symptoms improve.",  # no verb of having after it
    "Some have seizures.",  # no conjunction before it
    "The tests are simple, and many are free.",
    "Several gene mutations are known, and some have been found in people with hearing loss.",  # an auxiliary
    "Walking becomes hard, and many have to use a wheelchair.",
])
def test_a_bare_quantifier_elsewhere_is_no_statistic(sentence):
    assert find_statistics(sentence) == []


def test_common_symptom_and_twenty_percent_are_compatible():
    """The seed passage calls spasms common and gives 20 %: the word's range must cover the figure."""
    common, twenty = find_statistics("Spasms are a common symptom of MS. Spasticity affects about 20 percent of people with MS.")
    assert common.value_low <= twenty.value_low <= common.value_high


def test_a_duration_range_may_end_open():
    """ "from two minutes to over an hour" was read as "two minutes" alone: a figure half its range."""
    statistic = _only("These symptoms can last anywhere from two minutes to over an hour.")
    assert (statistic.text, statistic.kind, statistic.value_low, statistic.value_high) == ("two minutes to over an hour", "duration", 120, None)
    assert _only("Attacks last from a few minutes to more than 2 hours.").value_high is None


def test_litotes_read_as_common():
    """ "not uncommon" is the frequency word it means, not "uncommon" denied."""
    statistic = _only("Headaches are not uncommon in people with MS.")
    assert (statistic.text, statistic.value_low, statistic.value_high, statistic.frequency_class) == ("not uncommon", 0.1, 1.0, "frequent")


def test_period_and_denominator_of_rates():
    statistic = _only("It has an annual incidence of 1.5-3 cases per million.")
    assert (statistic.period, statistic.denominator) == ("annual", "million")
    assert _only("5 per 100,000 people per year").period == "annual"
    # the period closes the figure's clause, not a later clause's figure
    assert _only("less than 0.5 percent of people with Barrett esophagus develop cancer of the esophagus each year.").period == "annual"
    statistics = find_statistics("About 5% of people develop it, and 2,000 new cases are diagnosed each year.")
    assert [(s.text, s.period) for s in statistics] == [("About 5%", ""), ("2,000 new cases", "annual")]
    assert _only("About 5% of people with diabetes need a yearly eye exam.").period == ""
    assert find_statistics("Seizures 30%\nAbout 1,000 new cases are diagnosed each year.")[0].period == ""  # a list's next line
    assert _only("Seizures (30%) Incidence per year unknown").period == ""
    assert find_statistics("About 10% of patients have 2 or more attacks per year.")[0].period == ""  # another number's
    assert _only("Yearly, about 2 percent of carriers develop cancer.").period == "annual"  # capitalized
    assert _only("About 2 percent of carriers develop cancer Every Year.").period == "annual"
    assert _only("5.2 per 100,000 live births").denominator == "100,000 live births"


def test_hedge_adverb_before_a_figure_is_not_a_frequency_word():
    statistics = find_statistics("These spasms usually last 60 to 90 seconds.")
    assert [s.kind for s in statistics] == ["duration"]


@pytest.mark.parametrize("sentence", [
    "The law was passed in 1998.",
    "People with type 2 diabetes.",
    "A deletion on chromosome 15 causes it.",
    "Spasticity (HP:0001257) in MS (ICD-10 G35).",
    "Seen on 2019-03-04 and 12/05/1998.",
    "Call 1-800-555-1212 or 555-123-4567.",
    "See page 3 and table 2.",
    "The clinic opens at 1:30.",
    "Drugs commonly used for pain.",
    "It is sometimes called Lou Gehrig disease.",
    "Stones form in the common bile duct.",
    "The two diseases have much in common.",
    "The sign or symptom may be rare or common.",
    "Spasms are more common in women.",
    "Cataracts are the least common sign of this disorder.",
    "Data on how often a sign occurs.",
    "Pain in the first half of pregnancy.",
    "Weakness on one half of the body.",
    "Most importantly, rest.",
    "A 150% increase in risk.",
])
def test_not_statistics(sentence):
    assert find_statistics(sentence) == []


def test_offsets_are_exact_and_sorted_without_overlap():
    text = ("Muscle spasms (fasciculations) are a common symptom of MS. Spasticity affects about 20 percent "
            "of people with MS; 1 in 2,500 newborns; onset between the ages of 20 and 40, usually in their 30s.")
    statistics = find_statistics(text)
    assert all(text[s.start:s.end] == s.text for s in statistics)
    assert all(a.end <= b.start for a, b in zip(statistics, statistics[1:]))


@pytest.mark.parametrize("junk", ["1" * 10**6, "1 in " * 200_000, "% " * 500_000, " " * 10**6,
                                  "about " * 200_000, "1-" * 500_000, "between 1 and " * 80_000])
def test_adversarial_megabyte_lines_run_in_linear_time(junk):
    """Bounded repetition by construction; this is the regression net (generous bound for loaded CI)."""
    started = time.perf_counter()
    find_statistics(junk)
    assert time.perf_counter() - started < 15


def test_component_stores_spans_with_statistics():
    nlp = spacy.blank("en")
    nlp.add_pipe("statistic_recognizer")
    text = "Spasticity is a common symptom in MS and affects about 20 percent of people with MS."
    doc = nlp(text)
    spans = list(doc.spans[STATISTICS_KEY])
    assert [(span.text, span.label_) for span in spans] == [("common", "STATISTIC"), ("about 20 percent", "STATISTIC")]
    statistic = spans[1]._.statistic
    assert (statistic.kind, statistic.value_low, statistic.qualifier) == ("proportion", 0.2, "about")
    assert text[statistic.start:statistic.end] == statistic.text


def test_component_keeps_exact_offsets_when_span_expands():
    nlp = spacy.blank("en")
    nlp.add_pipe("statistic_recognizer")
    doc = nlp("Affects 40-80%of adults.")
    (span,) = doc.spans[STATISTICS_KEY]
    assert span._.statistic.text == "40-80%"
    assert span.start_char <= span._.statistic.start and span._.statistic.end <= span.end_char


FIGURES = ["about 20 percent of people with MS", "between 40% and 80%", "1 in 10,000 births", "1:25,000 to 1:40,000",
           "5.2 per 100,000 live births", "several weeks", "aged 40 to 60 years", "65 and older", "in their early thirties",
           "two thirds of patients", "most people with MS", "approximately one hundred patients", "a few days", "usually",
           # long leads before the first number: a window must start that far before it
           "no fewer than 40% to 80%", "younger than the ages of 12 to 14", "in excess of a   hundred patients"]


@pytest.mark.parametrize("gap", [0, 1, 29, 59, 61, 119, 151, 199, 267, 268, 400])
def test_windows_around_numbers_find_what_a_whole_text_scan_finds(monkeypatch, gap):
    """Numeric patterns scan only windows around numbers; with every pattern forced to scan
    the whole text the statistics are the same, whatever the distance between figures."""
    import extractors.statistics as statistics

    filler = ("x " * 300)[:gap]
    text = filler.join(f"{figure}." for figure in FIGURES * 2) + " Twenty."
    windowed = find_statistics(text)
    monkeypatch.setattr(statistics, "_ANCHORED", (False,) * len(statistics._ANCHORED))
    assert windowed == find_statistics(text)
    assert len(windowed) >= 12  # the figures are found, not merely equally missed


@pytest.mark.parametrize("sentence", [
    "Onset is between 30 and 50 years of age.",
    "Patients were more than 5 years old.",
    "The fetus is 32 to 36 weeks old.",
    "Airway sounds begin at 4-6 weeks of age.",
    "It affects children aged 2 months to 5 years.",
    "Vaccinate ages 2 months to 5 years.",
    "Symptoms may begin between three months and two years of age.",
])
def test_a_figure_of_age_is_no_duration(sentence):
    """Neither a range opened by "between" nor the second end of an age range is read as a duration."""
    assert [s.kind for s in find_statistics(sentence)] == ["age"]
