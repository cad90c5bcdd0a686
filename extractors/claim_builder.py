"""Claim builder: links each figure to the symptom(s) and condition it is about.

Rules, tried in order for every STATISTIC span of a sentence (see docs/claims.md):

1. ``S_affects_N_of_population_with_C``: "Spasticity affects about 20 percent of people
   with MS"; the symptom group nearest before the figure, the condition right after the
   population phrase.
2. ``N_of_population_with_C_have_S``: "40% of people with asthma have wheezing".
   ``S_affects_N_of_population_with_topic`` and ``N_of_population_with_topic_have_S``: the same
   two with the population named by anaphor ("About half of people with this condition have",
   "Most affected individuals have"): its condition is the document's topic (``_DocView.topic``).
3. ``S_is_frequency_symptom_of_C``: "Spasticity is a common symptom in MS".
4. ``proximity``: the nearest symptom group within a window, the nearest condition in
   the sentence; lower confidence. With no condition there, the one condition of the previous
   sentence (``condition_from_previous_sentence``), else the document's topic
   (``condition_from_topic``).

Sentences with symptoms and a condition but no figure give ``association`` claims with the
list's owner (``symptom_list``; ``_list_owner``: never a condition that is itself an item of
the list), and a list sentence after one that named a condition's symptoms inherits that
condition (``list_after_heading``); GARD's phenotype lists without figures belong to the
disease named above them (``phenotype_list``). Owners may follow the symptom: the causes a
cue lists ("Causes of <S> include", "<S> can be caused by": ``causes_of_S_include_C``) and the
condition of an appositive ("drop foot — an MS symptom": ``S_an_C_symptom``). A figure in a sentence whose subject is
a pronoun ("It is one of the more common symptoms of MS.") takes its symptom from the
next sentence's subject or the previous sentence (``pronoun_reference``). Coordinated
symptoms ("muscle spasms or stiffness") give one claim each, with the ellipsis expanded
when the terminology knows the full term ("muscle stiffness").

A figure that cannot be about a symptom makes no claim (``_is_symptom_figure``): a time span
no verb of lasting governs, the share of cases a cause accounts for, the age of the people
counted, a superlative ranking a symptom's kinds. Nor does a claim whose symptom is its
condition or the kind of it the condition is named for ("Diarrhea" in acute diarrhea).

The pattern set follows the relation-extraction-by-patterns tradition (Hearst 1992;
SemRep's indicator rules, Rindflesch & Fiszman 2003) restricted to prevalence language.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc, Span

from extractors.batching import BatchedPipe
from extractors.extensions import STATISTICS_KEY, document_text, sentences as all_sentences, span_value
from extractors.frequency_classes import GARD_PRINTED_CLASSES
from extractors.lexicon import CONDITION, SYMPTOM, Concept
from extractors.page_condition import DEFINING_ADVERB, TITLE_QUESTION_AFTER, TITLE_QUESTION_BEFORE
from extractors.statistics import BEFORE_HAVING_VERB, ELLIPTICAL_SHARE_VERB, ELLIPTICAL_SHARES, HAVING_VERB, is_hedge_adverb
from extractors.subtypes import FORM_OF, fused_form, subtype_named, with_subtype
from extractors.terminology_matcher import set_concept

# (text, label, phenotype=False) -> the concept the text names with that label; with
# phenotype=True (a phenotype table's cell, never running text) a disease term asked for as a
# SYMPTOM gives its HPO phenotype (extractors.lexicon.Lexicon.phenotype)
ConceptLookup = Callable[..., "Concept | None"]

MEASURE_OF_KIND = {
    "proportion": "prevalence",
    "rate": "prevalence",
    "count": "prevalence",
    "duration": "duration",
    "age": "onset_age",
    "frequency_word": "frequency",
}
# the measures that count people: a share of those with the condition, or how often they have it
_SHARE_MEASURES = frozenset({"prevalence", "frequency"})
# Rules that guess the symptom or the condition from position, not from a pattern
_GUESSED_RULES = frozenset({"proximity", "pronoun_reference", "condition_from_previous_sentence", "condition_from_topic"})
RULE_CONFIDENCE = {
    "S_affects_N_of_population_with_C": 0.95,
    "N_of_population_with_C_have_S": 0.95,
    "S_affects_N_of_population_with_topic": 0.9,
    "N_of_population_with_topic_have_S": 0.9,
    "S_is_frequency_symptom_of_C": 0.9,
    "population_with_C_frequency_have_S": 0.9,
    "pronoun_reference": 0.6,
    "proximity": 0.5,
    "symptom_list": 0.6,
    "list_after_heading": 0.5,
    "C_does_not_cause_S": 0.8,
    "S_is_not_a_symptom_of_C": 0.8,
    "phenotype_list": 0.85,
    "condition_from_previous_sentence": 0.5,
    "condition_from_topic": 0.5,
    "condition_onset_age": 0.8,
    "frequency_table": 0.85,
    "causes_of_S_include_C": 0.6,
    "S_an_C_symptom": 0.6,
    "counted_feature_includes_S": 0.6,
}
PROXIMITY_WINDOW_TOKENS = 15

_GROUP_WORDS = {
    "people": "people", "persons": "people", "patients": "people", "individuals": "people", "those": "people",
    "cases": "people", "adults": "adults", "children": "children", "kids": "children", "infants": "infants",
    "babies": "infants", "newborns": "infants", "women": "women", "men": "men", "teenagers": "adolescents",
    "adolescents": "adolescents", "girls": "girls", "boys": "boys", "males": "men", "females": "women",
}
_GROUP = r"(?P<group>" + "|".join(_GROUP_WORDS) + r")"
_GROUP_AGE = r"(?P<age>\s+(?:over|under|aged|older\s+than|younger\s+than|above|below)\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?\d{1,3}(?:\s+years(?:\s+old)?)?)?"
_POPULATION_LINK = r"\s+(?:with|who\s+have|who\s+has|living\s+with|diagnosed\s+with|affected\s+by|who\s+develop|suffering\s+from)\s+"
_POPULATION = re.compile(
    r"^\s*(?:of|in|among|for)\s+(?:the\s+|all\s+|affected\s+)?(?:[a-z]+\s+)?" + _GROUP + _GROUP_AGE + _POPULATION_LINK + r"(?:a\s+|an\s+|the\s+)?$",
    re.IGNORECASE,
)
# what may stand before a figure that opens its sentence: "However, in rare cases, …"
_FIGURE_OPENING = re.compile(r"[\W\d]{0,6}(?:(?:however|but|and|yet|also|still)\b[\s,]{0,3})?(?:in\s{1,3})?", re.IGNORECASE)
# "Most people with MS", "the majority of patients with asthma": a share whose people follow it
# without "of" (the statistic recognizer's vague shares end before their group word)
_SHARE_OF_GROUP = re.compile(r"^\s*(?:affected\s+)?" + _GROUP + _GROUP_AGE + _POPULATION_LINK + r"(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)
# The population of a page's own condition, named by an anaphor: "of people with this condition",
# "in most affected individuals", "Most affected children have ..." (after a figure that is no
# group word); "Many people with this disorder" (after one that is)
_THIS_CONDITION = r"(?P<anaphor>(?:this|that|the)\s+(?:condition|disorder|disease|syndrome))\b"
_POPULATION_OF_TOPIC = re.compile(
    r"^\s*(?:(?:of|in|among|for)\s+)?(?:(?:the|all|these)\s+)?(?P<affected>affected\s+)?(?:[a-z]+\s+)?" + _GROUP + _GROUP_AGE
    + r"(?:" + _POPULATION_LINK + _THIS_CONDITION + r"|\b)",
    re.IGNORECASE,
)
_GROUP_FIGURE_WITH_TOPIC = re.compile(r"^" + _POPULATION_LINK + _THIS_CONDITION, re.IGNORECASE)
# The group a figure counts when no condition follows it ("in up to 60% of children",
# "Common symptoms in infants include", "a common symptom in people over 60", "more than 50
# percent of men over age 50"): the claim's population, though no pattern links its condition
_GROUP_AFTER_FIGURE = re.compile(
    r"\s{0,3}(?:(?:(?:signs?|symptoms?|features?|complications?)\s{1,3})?(?:of|in|among)\s{1,3})?(?:all\s{1,3}|the\s{1,3})?"
    + _GROUP + _GROUP_AGE + r"\b",
    re.IGNORECASE,
)
_HAVE_RULE = {"S_affects_N_of_population_with_topic": "N_of_population_with_topic_have_S"}
_TOPIC_RULES = (*_HAVE_RULE, *_HAVE_RULE.values())
# "is present in about half of", "common in affected children": the figure's population is a complement
_COMPLEMENT_BEFORE = re.compile(r"\b(?:in|among|affects?|affecting)\s{1,3}$", re.IGNORECASE)
# "In about 20 percent of people with MS, the first symptom is ...": the figure opens the clause
_INTRODUCTORY_COMMA = re.compile(r"\s{0,3},")
_COMPLEMENT_AFTER = re.compile(r"^\s{0,3}(?:in|among)\b", re.IGNORECASE)
# "Most people with this syndrome have distinctive facial features and many have issues with their
# teeth": a clause with its own quantified subject counts its own people
_NEXT_COUNTED_SUBJECT = re.compile(r"\b(?:and|but|while|whereas)\s{1,3}(?:many|most|some|others|few|several|all)\b", re.IGNORECASE)
# "HANAC syndrome is a rare disorder ...", "Benign familial neonatal seizures (BFNS) is a condition
# ...", "CHILD syndrome, also known as congenital hemidysplasia with ichthyosiform erythroderma and
# limb defects, is a genetic condition", "Axenfeld-Rieger syndrome is primarily an eye disorder",
# "Sitosterolemia is caused by mutations", "Addison disease affects approximately 11 to 14 in
# 100,000 people": a condition that opens a sentence, then a verb that defines it, is what the
# sentence (and a page that opens with it) is about; not "Strokes are the main feature of CADASIL"
_SUBJECT_PREDICATE = re.compile(
    r"^(?:\s{0,3}\([^()]{0,80}\))?(?:\s{0,3},[^,]{0,120},)?\s{1,3}(?:(?:is|are)\s{1,3}" + DEFINING_ADVERB + r"(?:a|an|one)\b"
    r"|(?:is|are)\s{1,3}(?:caused|characterized)\s{1,3}by\b|(?:affects|describes|refers\s{1,3}to|occurs\s{1,3}when)\b)",
    re.IGNORECASE,
)
# "Mutations in the GBA gene cause Gaucher disease", "The signs and symptoms of Larsen syndrome
# vary": GHR's and NIH's pages that open on their condition's cause or signs
_TOPIC_OBJECT_BEFORE = re.compile(
    r"^\W{0,5}(?:(?:mutations|changes|variants)\s[^.;]{0,160}?\bgenes?\s{1,3}(?:can\s{1,3})?causes?"
    r"|the\s{1,3}(?:[a-z]+\s{1,3}){0,3}(?:signs\s{1,3}and\s{1,3})?symptoms?\s{1,3}of)\s{1,3}(?:the\s{1,3})?$",
    re.IGNORECASE,
)
# ("with the mild type of <C>": the subtype the claim keeps, extractors.subtypes)
_WITH_CONDITION = r"(?:with|who\s+have|who\s+has|living\s+with|diagnosed\s+with)\s+" + FORM_OF + r"(?:a\s+|an\s+|the\s+)?"
# "... women over 50 with <C>" right before a condition
_POPULATION_BARE = re.compile(
    r"\b" + _GROUP + _GROUP_AGE + r"\s+" + _WITH_CONDITION + "$",
    re.IGNORECASE,
)
_HAVE_VERB_PATTERN = r"^\s{0,3}(?:\([^()]{0,30}\)\s{0,3})?" + BEFORE_HAVING_VERB + HAVING_VERB
_HAVE_VERB = re.compile(_HAVE_VERB_PATTERN, re.IGNORECASE)
# "<C> affects about", "<C> (CF) occurs in", "<C> causes about ... of all dwarfism": the verb
# between a condition and its own figure
_SUBJECT_COUNTED = re.compile(
    r"\s{0,3}(?:\([^()]{0,40}\)\s{0,3})?(?:(?:is|are|now|currently|only|also|usually|most|commonly|estimated\s{1,3}to)\s{1,3}){0,2}"
    r"(?:affects?|affecting|occurs?\s{1,3}in|is\s{1,3}found\s{1,3}in|is\s{1,3}diagnosed\s{1,3}in|strikes?|causes?|accounts?\s{1,3}for)\s{1,3}",
    re.IGNORECASE,
)
# A figure opening a parenthesis glosses what precedes it ("Heart defects (74% of individuals)
# Palatal abnormalities (69% of individuals) Characteristic facial features (..., wide nose)"):
# never the next item's, and not an item's before a parenthesis that has closed since
_OPENS_PARENTHESIS = re.compile(r"\(\s{0,3}(?:(?:seen|found|present|occurring|reported)\s{1,3})?(?:in|among)?\s{0,3}$", re.IGNORECASE)
# ... and holds only the figure and its people: "(74% of individuals with the condition)", "(80% of
# those affected)", "(30% of patients in one study)"; not a clause of its own, "(fewer than 5% of
# patients need wheelchairs)", "(80% of people who have it develop a rash)", which counts something else
_CLAUSE_VERB = (r"\b(?:" + HAVING_VERB + r"|(?:needs?|requires?|uses?|loses?|becomes?|go|goes|dies?|are|is|was|were|will|may|can"
                r"|could|might)\b)")
_GLOSS_AFTER_FIGURE = re.compile(
    r"(?:\s{0,3}(?:of|in|among)\s{1,3}(?:all\s{1,3}|the\s{1,3})?(?:[a-z-]+\s{1,3})?" + _GROUP + _GROUP_AGE
    + r"(?:\s{1,3}(?:affected|studied|reported|tested|examined))?"
    + r"(?:(?:" + _POPULATION_LINK + r"|\s{1,3}in\s{1,3})(?:(?!" + _CLAUSE_VERB + r")[^()]){0,80})?)?\s{0,3}[),;]",
    re.IGNORECASE,
)
# "More than 20% of the cells in the bone marrow", "70 to 75 percent of muscle cells", "less than
# 10% of the skin surface", "5 to 7 percent of your weight", "50% of its initial size": a share of a
# thing, not of people (not "20% of patients lose weight", "2% of the total population")
_SHARE_OF_A_THING = re.compile(
    r"\s{1,3}of\s{1,3}(?:(?:the|all|your|their|its|his|her)\s{1,3})?(?:(?!" + _GROUP + r"\b)[a-z-]+\s{1,3})?"
    r"(?:cells?|surface|weight|size|volume|length|mass|total(?!\s{1,3}population))\b",
    re.IGNORECASE,
)
# "20% have spasticity": the figure is the subject of a have-verb whose object is the symptom
_FIGURE_HAS = re.compile(_HAVE_VERB_PATTERN + r"\s{1,3}(?:(?:a|an|the|some|mild|severe)\s{1,3})?$", re.IGNORECASE)
_SYMPTOM_OF = re.compile(
    r"^\s*(?:(?:symptoms?|signs?|features?|complaints?|problems?|findings?|manifestations?)\s*)?(?:in|of|among|for|with)\s+"
    r"(?:people\s+with\s+|patients\s+with\s+|those\s+with\s+)?(?:a\s+|an\s+|the\s+)?(?:other\s+|some\s+|many\s+|several\s+|certain\s+)?$",
    re.IGNORECASE,
)
# "... neurodegenerative diseases, particularly amyotrophic lateral sclerosis"
_NARROWING = re.compile(r"^\s*(?:,\s*)?(?:particularly|especially|notably|including|such\s+as|like)\s+(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)
# Adverbs ("usually", "often", "mostly") qualify any verb; they make a frequency claim only
# next to a symptom noun ("is often the first symptom") or in "people with C often have S".
def _noun_within_three_words(nouns: str) -> re.Pattern:
    return re.compile(rf"^\s*(?:\w+\s+){{0,3}}?(?:{nouns})\b", re.IGNORECASE)


_SYMPTOM_NOUNS = "symptoms?|signs?|complaints?"
_ADVERB_TO_SYMPTOM = _noun_within_three_words(_SYMPTOM_NOUNS)
# "a common symptom", "a rare complication": an adjective before a noun of that kind qualifies a symptom
_SYMPTOM_KIND_AFTER = _noun_within_three_words(_SYMPTOM_NOUNS + "|features?|findings?|manifestations?|complications?|ones")
_ADJECTIVAL_FREQUENCY = re.compile(r"\b(?:common|rare|frequent|uncommon|occasional|infrequent)\b", re.IGNORECASE)
_EPISODE_ADJECTIVE = re.compile(r"frequent|occasional|infrequent", re.IGNORECASE)
# "frequent bowel movements", "forgetting the names of common things": an adjective before a
# noun (a word that no preposition, conjunction or adverb of a predicate "is common ..." opens)
_ATTRIBUTIVE = re.compile(
    r"^\s{1,3}(?!(?:in|among|amongst|for|with|to|of|at|on|by|during|after|before|from|and|or|but|nor|than|as|enough|when|if|because|while"
    r"|although|though|where|especially|particularly|worldwide|overall|today|now|too|also|there|here)\b)[a-z][a-z-]*\b",
    re.IGNORECASE,
)
_MODIFIERS_ONLY = re.compile(r"(?:\s{1,3}(?!(?:and|or|but|nor)\b)[a-z-]{1,30}){0,2}\s{1,3}", re.IGNORECASE)
# "rare hereditary <disease>", but not "rare in <disease>"
_ADJACENT = re.compile(r"^\s*(?:(?!(?:in|of|among|for|with|to)\b)[a-z]+\s+)?$", re.IGNORECASE)
# Associations hold within a clause: "Dizziness can be a symptom of migraine, even when there is no headache."
_CLAUSE_BREAK = re.compile(r";|,\s*(?=(?:but|even|although|though|while|whereas|so|because|which|unless|if)\b)", re.IGNORECASE)
# "About 1 in 3 people older than 50 who has diabetes also has P.A.D.  - high blood pressure  - …":
# a bullet after a stop opens a list the figure's clause does not run into (the sentencizer took
# the stop for an abbreviation's)
_FIGURE_CLAUSE_BREAK = re.compile(_CLAUSE_BREAK.pattern + r"|\.\s{1,6}-\s", re.IGNORECASE)
# Nor does a figure reach back over a blank line into the list above it ("Symptoms of stroke may
# include: … Severe headache\n \nAs many as 24 percent of people with hemoglobin SS … may suffer a
# clinical stroke": the sentencizer ends a sentence at a lone line break, not at the whitespace
# token of a blank line between indented lines); a heading's figure reaches
# forward over one into its list ("The most common symptoms of Crohn's disease are\n\n- diarrhea")
_FIGURE_CLAUSE_BREAK_BEFORE = re.compile(_FIGURE_CLAUSE_BREAK.pattern + r"|\n[^\S\n]*\n", re.IGNORECASE)
_PARENTHETICAL_OPEN = re.compile(r"^\s*\([^()]*$")
_WITH_OR_WITHOUT = re.compile(r"^\s*with\s{1,3}or\s{1,3}without\s{1,3}(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)
# ", which causes muscle stiffness," and appositives ", the small flickering twitches ...,"
_RELATIVE_CLAUSE = re.compile(r",\s*(?:which|who|that|the|a|an)\b[^,;:]*,", re.IGNORECASE)
_COORDINATION = re.compile(r"^\s*(?:,\s*)?(?:and|or|and/or|as\s+well\s+as|,|/)\s*(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)
# What may stand between two items of a list: a separator (comma, bullet, "and"/"or"), then
# any items the terminology does not know, each with its gloss if it has one and closed by a
# separator, then a conjunction or an article: ", trouble concentrating, and ", ", difficulty
# coordinating movements (ataxia), "
_SEPARATOR = r"(?:[,;/•\n]|\s-\s|\band\b|\bor\b|\bas\s+well\s+as\b|\bwith\s+or\s+without\b)"
_LIST_SEPARATOR = re.compile(
    r"^[\s)\]]*" + _SEPARATOR + r"(?:(?:(?!" + _SEPARATOR + r")[^,;()\n]){1,40}(?:\([^()\n]{1,60}\)\s*)?" + _SEPARATOR
    + r")*(?:\s|\b(?:and|or|a|an|the|other|also)\b)*$",
    re.IGNORECASE,
)
# A parenthesis glossing an item and the words coordinated with it: "difficulties with balance
# and coordination (ataxia)"
_GLOSSED_COORDINATION = re.compile(r"\s{1,3}(?:and|or)\s{1,3}[^,;()\n]{1,40}\(\s{0,3}$", re.IGNORECASE)
# A list item named by its episodes: "Problems with sleep and episodes of depression" (but
# "Episodes of acute porphyria can cause abdominal pain" names the owner)
_EPISODES_ITEM = re.compile(
    r"(?:,|\band|\bor)\s{1,3}(?:episodes?|bouts?|periods?|attacks?)\s{1,3}of\s{1,3}(?:(?:the|a|an)\s{1,3})?$", re.IGNORECASE)
# "Strokes are the main feature of CADASIL", "Alacrima is usually the first noticeable sign of
# triple A syndrome", "Hypertension is not a feature of Gitelman syndrome": a condition
# that opens a sentence whose predicate makes it a symptom of another condition (named, or the
# page's by anaphor) is that symptom; not a complication ("Diabetic retinopathy is a complication
# of diabetes"), nor one of a class the text does not name ("a feature of several rare syndromes")
_PHENOTYPE_PREDICATE = (
    r"\s{0,3}(?:\([^()]{1,60}\)\s{0,3})?(?:is|are|was|were|(?:can|may|might|could)\s{1,3}be)\s{1,3}"
    r"(?:(?:not|also|usually|typically|often|generally|commonly|frequently|sometimes|always|most\s{1,3}often)\s{1,3}){0,2}"
    r"(?:(?:the|a|an|one\s{1,3}of\s{1,3}the|another)\s{1,3})?(?:(?!(?:not|no|never)\b)[a-z-]{2,20}\s{1,3}){0,3}?"
    r"(?:symptoms?|signs?|features?)\s{1,3}(?:of|in)\s{1,3}"
    r"(?:(?:people|patients|individuals|those|children|adults|infants)\s{1,3}with\s{1,3})?(?:(?:the|a|an)\s{1,3})?"
)
_PHENOTYPE_OF_NAMED = re.compile(_PHENOTYPE_PREDICATE + r"(?:[\w-]{1,20}\s{1,3}){0,2}", re.IGNORECASE)  # fullmatch up to the condition
_PHENOTYPE_OF_TOPIC = re.compile(_PHENOTYPE_PREDICATE + _THIS_CONDITION, re.IGNORECASE)
# what may stand before a sentence's subject: a list's bullet, an article
_SUBJECT_OPENING = re.compile(r"[\s•-]{0,6}(?:(?:the|a|an)\s{1,3})?", re.IGNORECASE)
# Lists that are not a condition's symptoms: risk factors, a drug's side effects
_NOT_SYMPTOMS = re.compile(r"\b(?:risk\s+factors?|risks?\s+(?:for|of)|side\s+effects?|adverse\s+effects?)\b", re.IGNORECASE)
# a class of conditions that lists its kinds (_lists_its_kinds)
_CLASS_OF_KINDS = re.compile(r"(?:disorders|diseases|conditions|illnesses|infections|syndromes|cancers)$", re.IGNORECASE)
_KINDS_FOLLOW = re.compile(r",?\s{1,3}(?:such\s{1,3}as|like|including|includes?)\b", re.IGNORECASE)
# "Other causes include thyroid nodules, thyroiditis …", "may be caused by …", "a sign of another
# disorder such as overactive thyroid, anemia …": a list of causes, whatever its items are
_CAUSES_LISTED = re.compile(
    r"\bcauses\s{1,3}(?:of|are|(?:(?:may|can)\s{1,3})?include)\b|\bcaused\s{1,3}by\b|\bdue\s{1,3}to\b|\bsigns?\s{1,3}of\s{1,3}(?:another|other)\b",
    re.IGNORECASE)
# "is not a symptom of <C>": the negation is of the relation, not of the condition
_RELATION_BEFORE = re.compile(r"\b(?:symptoms?|signs?|features?|manifestations?|complications?|part)\s+(?:of|in)\s+(?:the\s+|a\s+|an\s+)?$", re.IGNORECASE)
_GLOSS_OPEN = re.compile(r"^\s*\(\s*$")
_WITH_OR_WITHOUT_BEFORE = re.compile(r"\bwith\s{1,3}or\s{1,3}without\s{1,3}(?:(?:a|an|the)\s{1,3})?$", re.IGNORECASE)
# "<C> does not cause <S>", "<C> develops slowly and does not cause <S>", "<C> typically do not
# have any <S>": the verb's subject is the condition, its object the symptom
_DIRECT_DENIAL = re.compile(
    r"^\s{0,3}(?:\)\s{0,3})?(?:(?!(?:who|that|which|whose)\b)[\w-]{1,30}\s{1,3}){0,3}?(?:does|do|did|will|can|would)\s{0,3}(?:not|n't)\s{1,3}"
    r"(?:(?:usually|typically|generally|always|necessarily|often)\s{1,3})?"
    r"(?:cause|lead\s{1,3}to|produce|have|has|involve|include|result\s{1,3}in|develop|experience)\s{1,3}"
    r"(?:(?:any|a|an|the)\s{1,3})?(?:[\w-]{1,30}\s{1,3}){0,2}?$",
    re.IGNORECASE,
)
# "<S> is not a symptom of <C>": the symptom is the subject of the denial
_NOT_A_SYMPTOM_OF = re.compile(
    r"^\s{0,3}(?:is|are|was|were)\s{1,3}(?:not|n't)\s{1,3}(?:(?:usually|typically|generally|always)\s{1,3})?(?:(?:a|an|the)\s{1,3})?"
    r"(?:(?:common|typical|usual)\s{1,3})?(?:symptoms?|signs?|features?|manifestations?|part)\s{1,3}(?:of|in)\s{1,3}(?:(?:the|a|an)\s{1,3})?$",
    re.IGNORECASE,
)
# a subject narrowed to a subtype, stage or subgroup: "Milder forms of", "In its early stages,"
_QUALIFIED_SUBJECT = re.compile(r"\b(?:forms?|types?|subtypes?|stages?|cases?|mild|milder|early|some|many|most|carriers?)\b", re.IGNORECASE)
# "symptoms of <C>", "people with <C>", "children who have <C>": <C> owns the symptoms; but not
# "the risk of <C>", "a family history of <C>", "treatment of <C>", nor after a noun that makes <C>
# one more feature: "feelings of depression", "a combination of dementia, vision loss, and
# epilepsy", "some degree of intellectual disability", "cognitive impairment with dementia"
_FEATURE_NOUNS = ("feeling", "feelings", "combination", "degree", "degrees", "triad", "impairment")
_NOT_OWNER_NOUNS = ("risk", "risks", "chance", "cause", "causes", "history", "treatment", "diagnosis", "development", "prevention",
                    *_FEATURE_NOUNS)
_OWNER_BEFORE = re.compile(
    "".join(rf"(?<!\b{noun}\s)" for noun in _NOT_OWNER_NOUNS)
    + r"\b(?:of|with|in|who\s+have|who\s+has|having|suffering\s+from)\s+(?:the\s+|a\s+|an\s+)?$",
    re.IGNORECASE,
)


def _after_noun_of(nouns: tuple[str, ...]) -> re.Pattern:
    """ "<one of nouns> of (the)" ending where the text searched ends."""
    return re.compile(r"\b(?:" + "|".join(nouns) + r")\s{1,3}of\s{1,3}(?:(?:the|a|an)\s{1,3})?$", re.IGNORECASE)


# "the risk of <C>", "a family history of <C>": never an owner, wherever the owner is named
_AFTER_NOT_OWNER_NOUN = _after_noun_of(_NOT_OWNER_NOUNS)
# "a combination of <C> and …": one more feature, not even the subject before a list's cue
_AFTER_FEATURE_NOUN = _after_noun_of(_FEATURE_NOUNS)
# Owners named after the symptom. "Causes of <S> include", "Conditions that can cause <S> include:",
# "<S> can be caused by": the conditions after the verb cause the symptom. Only verbs whose
# object is the cause: "fever can cause seizures" names what fever leads to, not its cause.
_CAUSES_OF_BEFORE = re.compile(
    r"\b(?:causes\s{1,3}of|(?:conditions?|diseases?|disorders?|illness(?:es)?|problems?|infections?)\s{1,3}(?:that|which)\s{1,3}"
    r"(?:(?:can|may|might|could|often|commonly|also|sometimes)\s{1,3}){0,2}cause)\s{1,3}(?:(?:a|an|the)\s{1,3})?(?:[\w-]{1,30}\s{1,3}){0,2}$",
    re.IGNORECASE,
)
_GLOSS_AFTER = r"^\s{0,3}(?:\([^()]{0,60}\)\s{0,3})?"
_INCLUDE_AFTER = re.compile(_GLOSS_AFTER + r"(?:(?:can|may|might|also)\s{1,3})?include[sd]?\b", re.IGNORECASE)
_CAUSED_BY_AFTER = re.compile(
    _GLOSS_AFTER + r"(?:(?:is|are|can|may|might|could|also|often|usually|sometimes|commonly|frequently|most|be)\s{1,3}){1,4}caused\s{1,3}by\b",
    re.IGNORECASE,
)
_COLON_AFTER = re.compile(r"^\s{0,3}:")
# "drop foot — an MS symptom in which ...", "spasms, a typical MS symptom": the appositive names
# the condition whose symptom it is
_APPOSITIVE_OPEN = re.compile(
    r"^\s{0,3}(?:,|—|–|--|\s-)\s{0,3}(?:a|an|one)\s{1,3}(?:(?:typical|classic|early|key|main|major|characteristic|first|late|well-known)\s{1,3}){0,2}$",
    re.IGNORECASE,
)
# "Characteristic facial features may include …", "Other signs and symptoms can include …": a
# list of someone's features, the page's when nothing before names whose (not a symptom's:
# "Symptoms of urinary stones include …", "Signs of a TIA are …", _OF_A_SYMPTOM)
_FEATURES_LISTED = re.compile(r"\b(?:symptoms?|signs?|features?|findings?|manifestations?|characteristics?)\b", re.IGNORECASE)
_OF_A_SYMPTOM = re.compile(r"\s{1,3}(?:and\s{1,3}symptoms\s{1,3})?of\s{1,3}(?:(?:an?|the)\s{1,3})?", re.IGNORECASE)
_SYMPTOM_NOUN_AFTER = re.compile(r"^\s{0,3}(?:symptoms?|signs?|features?|manifestations?)\b", re.IGNORECASE)
# "decreased reflexes (hyporeflexia); nystagmus; hyperactivity; and/or behavioral problems": a
# list whose items have glosses or commas of their own is written with semicolons
_SEMICOLON_COORDINATION = re.compile(
    r"^(?:\s{0,3}\([^()]{0,80}\))?[\s)\]]*;\s*(?P<last>(?:and/or|and|or)\s+)?(?:a\s+|an\s+|the\s+)?$", re.IGNORECASE)
# "stiff muscles and spasms, a condition called spasticity": the named term is what the list describes
_CONDITION_CALLED = re.compile(r"^\s{0,3},\s{0,3}(?:a|the)\s{1,3}condition\s{1,3}(?:called|known\s{1,3}as)\s{1,3}$", re.IGNORECASE)
_LIST_CUE = re.compile(
    r"\b(?:symptoms?|signs?|cause[sd]?|causing|include[sd]?|including|experiences?|experienced|have|has|develop|develops|report|"
    r"such\s+as|characterized\s+by|features?|occurs?|occurring|appears?|seen|affects?|makes?)\b",
    re.IGNORECASE,
)
# "Many people with MS have ...": the figure itself names the group, "with" leads to the condition
_GROUP_FIGURE_WITH = re.compile(r"^\s*" + _WITH_CONDITION + "$", re.IGNORECASE)
# GARD-style phenotype tables: "<phenotype> 90% <phenotype> 50% ..." under a line naming the disease
TABLE_MIN_ROWS = 3
_TABLE_OWNER = re.compile(r"\b(?:signs\s+and\s+symptoms|symptoms|features)\s+(?:for|of)\s+(?:the\s+)?$", re.IGNORECASE)
_ITEM_START = re.compile(r"(?:\s-|\(when\s{1,3}available\)|%)\s{1,3}$")  # (after a cell whose figure has no known phenotype)
_ITEM_END = re.compile(r"\s{1,3}-(?:\s|$)")
# A sentence that announces a list of symptoms: "Early signs and symptoms of MS", "Symptoms of X include:"
_HEADING = re.compile(r"^\W*(?:\w+\W+){0,6}?(?:symptoms|signs)\b[^.]*?(?::\s*|\binclude\W*|\bof\s+\S+\s*)$", re.IGNORECASE)
# A pronoun opening a sentence: "It", "They", or "This"/"These" before a verb or an adverb ("This
# may begin", "These usually last"); not "This condition", "These tumors", "This protein", "This
# means", "These first signs"
_PRONOUN_SUBJECT = re.compile(
    r"^\s*(?:it|they|(?:this|these)(?=\s{1,3}(?:is|are|was|were|may|might|can|could|will|would|usually|often|typically"
    r"|generally|also|commonly|tends?|begins?|starts?|appears?|occurs?|lasts?|develops?)\b))\b",
    re.IGNORECASE,
)
# "It is one of the more common symptoms of MS. Spasticity may be ...": a pronoun its sentence calls a
# symptom stands for the name the next sentence opens with
_PRONOUN_IS_A_SYMPTOM = re.compile(
    r"^\s*(?:it|this)\s{1,3}is\s{1,3}(?:one\s{1,3}of\s{1,3})?(?:the|an?)\s{1,3}(?:[a-z-]+\s{1,3}){0,3}?(?:symptoms?|signs?|features?|complaints?)\b",
    re.IGNORECASE,
)
_DISEASE_WORD = r"(?:diseases?|disorders?|conditions?|syndromes?|forms?|types?|causes?|cancers?|genetic)\b"
_DISEASE_WORD_AFTER = re.compile(r"^\s*(?:[a-z]+\s+)?" + _DISEASE_WORD, re.IGNORECASE)
# an adjective ("rare", "most common") also through a list of adjectives: "a rare, chronic, skin
# disorder", "the most common inherited bleeding disorder", "extremely rare, inherited, progressive
# skeletal conditions"; not "in rare cases, severe methemoglobinemia, beta-globin type can cause ..."
_DISEASE_WORD_AFTER_ADJECTIVES = re.compile(
    r"^(?:\s{0,3}(?:,\s{0,3})?(?!(?:in|of|among|for|with|to|and|or|but|than)\b)[a-z-]{1,30}){0,3}?(?:\s{0,3},)?\s{1,3}" + _DISEASE_WORD,
    re.IGNORECASE,
)
# A time span is how long a symptom lasts only when a verb of lasting or ending governs it
# ("lasts 1-2 hours", "usually resolves in 3 to 7 days", "for 3 weeks", "several minutes long").
# Elsewhere it is a delay ("apparent within 2-5 minutes after exposure"), a time to another event
# ("develop type 2 diabetes within 10 years"), a schedule ("tested again in 1 year") or a period
# of measurement ("over the past 3 months").
_LASTING_BEFORE = re.compile(
    r"(?:\b(?:last(?:s|ed|ing)?|persist(?:s|ed|ing)?|resolv(?:e|es|ed|ing)|clear(?:s|ed)?\s{1,3}up|go(?:es)?\s{1,3}away|went\s{1,3}away"
    r"|disappear(?:s|ed)?|subside(?:s|d)?|recover(?:s|ed)?|duration\s{1,3}of)\b(?:\s{1,3}[\w-]{1,30}){0,5}?|\bfor(?:\s{1,3}[\w-]{1,30})?)\s{1,3}$",
    re.IGNORECASE,
)
# "on dialysis for several years", "have not eaten for at least 8 hours", "should be treated for
# at least 3 days", "until vomiting has stopped for six hours": the span of a treatment, a fast or
# a pause, not how long a symptom lasts; "the benefits of weight loss lasted for at least 10
# years": how long a change helps
_NOT_LASTING_BEFORE = re.compile(
    r"\b(?:dialysis|treated|treatment|therapy|eaten|eat|fasting|fasted|stopped|taken|hospitali[sz]ed)\b(?:\s{1,3}[\w-]{1,30}){0,2}?"
    r"\s{1,3}for(?:\s{1,3}[\w-]{1,30})?\s{1,3}$"
    r"|\b(?:benefits?|effects?)\s{1,3}of(?:\s{1,3}[\w-]{1,30}){1,4}?\s{1,3}(?:last(?:s|ed)?|persist(?:s|ed)?)(?:\s{1,3}for)?(?:\s{1,3}[\w-]{1,30})?\s{1,3}$",
    re.IGNORECASE,
)
_LASTING_AFTER = re.compile(r"^\s{0,3}(?:long|in\s{1,3}duration)\b", re.IGNORECASE)
# A span in a condition of advice, a definition or a criterion, not how long the symptom lasts:
# "see your health care provider if it lasts for more than two weeks", "apnea occurs when
# breathing stops for more than 15 seconds", "If shock lasts more than a few minutes, ..."
_CONDITIONAL_BEFORE = re.compile(r"\b(?:if|unless|when|until)\b[^,.;:!?]{0,60}$", re.IGNORECASE)
FIGURE_CONTEXT_CHARS = 60
# "more than 85 percent of females with a mutation never experience vision loss": the share of
# carriers of a variant (its penetrance), not of people with the condition
_CARRIERS_AFTER = re.compile(
    r"^\s{0,3}(?:of|in|among)\s{1,3}(?:(?:all|the)\s{1,3})?(?:[a-z]{1,20}\s{1,3})?"
    r"(?:people|individuals|persons|males|females|men|women|children|carriers)\s{1,3}"
    r"(?:with|who\s{1,3}(?:have|has|inherit|inherits|carry|carries)|carrying|inheriting)\s{1,3}"
    r"(?:(?:a|an|the|this|these|that|one|two|such)\s{1,3})?(?:(?:gene|genetic|disease-causing)\s{1,3})?"
    r"(?:mutations?|variants?|alleles?)\b",
    re.IGNORECASE,
)
# "In rare cases, arrhythmias associated with WPW can lead to cardiac arrest": a figure before a
# symptom that leads to another is the outcome's figure
_LEADS_TO = re.compile(
    r"\b(?:(?:lead|leads|led|progress|progresses|progressed)\s{1,3}to|(?:result|results|resulted)\s{1,3}in"
    r"|(?:can|may|could|might)\s{1,3}cause)\b",
    re.IGNORECASE,
)
# "70% of cases are thought to be caused by mutations in the TMEM67 gene", "Most cases of abdominal
# wall defect are sporadic": the share of cases a cause or an inheritance accounts for, said after the figure
_CASES_CAUSED_AFTER = re.compile(
    r"^\s{0,3}(?:of\s{1,3})?(?:(?:all|these|the|such)\s{1,3})?cases\b[^.;:()]{0,80}?\b(?:caused|due\s{1,3}to|results?\s{1,3}from|(?:the\s{1,3})?result\s{1,3}of"
    r"|inherited|sporadic|familial)\b",
    re.IGNORECASE,
)
_RELATIVE_PRONOUN = re.compile(r"\b(?:that|which|who)\b", re.IGNORECASE)
# "EXT1 mutations account for 55 to 75 percent of all cases", "responsible for more than 70 percent
# of cases": the share of a disease's cases that a cause or subtype makes up, not how often a symptom occurs
_SHARE_OF_CASES_BEFORE = re.compile(r"\b(?:(?:accounts?|accounted|accounting)\s{1,3}for|responsible\s{1,3}for|makes?\s{1,3}up)\s{1,3}$", re.IGNORECASE)
# "below the third percentile, meaning 97 percent of children the same age and gender are
# taller": a share of the general population a patient is measured against
_SAME_AGE_AFTER = re.compile(
    r"^\s{0,3}of\s{1,3}(?:all\s{1,3})?(?:[a-z]{1,20}\s{1,3}){0,2}(?:of\s{1,3})?the\s{1,3}same\s{1,3}(?:age|sex|gender)\b", re.IGNORECASE
)
# "two out of three of the following criteria" counts the items of a list, not people
_LIST_ITEMS_AFTER = re.compile(r"^\s{0,3}of\s{1,3}(?:the\s{1,3})?following\b", re.IGNORECASE)
# People counted as having no symptoms at all ("Many people with medullary sponge kidney have no
# symptoms", "Although some patients may not experience symptoms, most patients have stomach
# pain"): the figure is about none of the symptoms around it
_NO_SYMPTOMS_AFTER = re.compile(
    r"^[^.;,]{0,80}?\b(?:(?:have|has|show|shows|experience|develop|exhibit|display)\s{1,3}no\s{1,3}(?:\w+\s{1,3})?(?:symptoms?|signs?)"
    r"|(?:do|does|did|may|might|will|can|could)(?:\s{1,3}not|n't)\s{1,3}(?:\w+\s{1,3})?(?:have|experience|develop|show|notice)\s{1,3}"
    r"(?:any\s{1,3})?(?:\w+\s{1,3})?(?:symptoms?|signs?)|(?:are|is|remain|remains)\s{1,3}(?:\w+\s{1,3})?asymptomatic)\b",
    re.IGNORECASE,
)
# The words that may say how an outcome goes before its noun ("a full and quick recovery"), and
# no others: "have fever and recovery is slow" has the fever
_OUTCOME_WORDS = (r"(?:(?:full|complete|partial|rapid|quick|fast|slow|gradual|significant|marked|dramatic|spontaneous|some"
                  r"|good|fairly|very|and)\s{1,3}){0,3}")
# A figure of how the illness goes, not of who has the symptom: "individuals with X usually survive
# only into early childhood", "Some people recover their ability to smell", "in most cases die
# before birth", "These complications are life-threatening in some cases", "most people make a
# full recovery", "Most people have a fairly rapid improvement in weakness with IVIG"
_COURSE_AFTER_FIGURE = re.compile(
    # the people counted may come between, or what they have or had done: "most affected
    # individuals do not survive past infancy", "most people with sporadic hemiplegic migraine
    # recover completely", "about half of the people who go into cardiogenic shock survive",
    # "Most people treated with intravenous immune globulin (IVIG) have rapid improvement",
    # "Many patients with … Chiari malformations who undergo surgery see a reduction in their symptoms"
    r"^(?:\s{1,3}(?:of\s{1,3})?(?:the\s{1,3})?(?:affected\s{1,3})?(?:" + "|".join(_GROUP_WORDS) + r"))?"
    # (their description holds no verb of having: "Most people with myasthenia gravis have muscle
    # weakness that can improve with rest" counts who has the weakness)
    r"(?:\s{1,3}(?:with|who\s{1,3}[a-z]{2,20}|treated\s{1,3}with)\s{1,3}(?:(?!(?:have|has|develop|develops|experience|experiences)\b)[^,.;:()]){1,80}?"
    r"(?:\s{0,3}\([^()]{1,30}\))?)?"
    r"\s{1,3}(?:(?:do|does|did|will|can|may|might|should|also|usually|often|generally)\s{1,3}){0,2}(?:not\s{1,3}|never\s{1,3})?"
    r"(?:(?:fully|completely|eventually|only|spontaneously)\s{1,3})?"
    r"(?:survive\w*|live|lives|die|dies|died|recover\w*|heal(?:s|ed|ing)?|resolve\w*|improve\w*|respond\w*|go\s{1,3}away|goes\s{1,3}away|disappear\w*"
    r"|outgr(?:ow|ows|own|owing|ew)"  # (verbs: not "healthy", not "horn-like outgrowths")
    # when the worst comes: "Most people reach the stage of greatest weakness within the first 2 weeks"
    r"|reach(?:es|ed)?\s{1,3}(?:the|their|its)\s{1,3}(?:[\w-]{1,20}\s{1,3}){0,2}(?:stage|point|peak)"
    # the outcome as a noun, after words that say how it goes ("80% of patients have fever and
    # recovery is slow" counts the fever); "have a reduction in bone density" names what they
    # have, "see a reduction" a change
    r"|(?:have|has|had|make|makes|made|show|shows|experience[sd]?)\s{1,3}(?:an?\s{1,3})?" + _OUTCOME_WORDS + r"(?:recovery|improvement|remission)"
    r"|(?:see|sees|notice|notices)\s{1,3}(?:an?\s{1,3})?" + _OUTCOME_WORDS + r"(?:reduction|improvement|recovery))\b(?!-)",
    re.IGNORECASE,
)
# longer than any match of _COURSE_AFTER_FIGURE (~270 characters) or _CASES_CAUSED_AFTER (~120),
# so a word cut at the window's end ("live" of "liver") is never read as a whole word
COURSE_CONTEXT_CHARS = 360
# searched in the last 24 characters before the figure, which hold the longest word and its spaces
_COURSE_BEFORE_FIGURE = re.compile(r"\b(?:life-threatening|fatal|lethal|deadly|curable|treatable|cured|treated)\s{1,3}$", re.IGNORECASE)
_PARENTHESIS_AFTER = re.compile(r"\s{0,3}\(\s{0,3}")
_ITEMS_FOLLOW = re.compile(r"\b(?:include[sd]?|including|such\s{1,3}as)\b|:", re.IGNORECASE)
_GLOSS_BEFORE = re.compile(r"\(\s{0,2}(?:(?<!also\s)called\s{1,3}|or\s{1,3}|i\.e\.,?\s{1,3}|e\.g\.,?\s{1,3})?$", re.IGNORECASE)
# "in some cases, intellectual disability": a figure that opens a list item
_ITEM_AFTER_FIGURE = re.compile(r"\s{0,3},?\s{0,3}(?:(?:a|an|the)\s{1,3})?")
_LIST_ITEM_BEFORE = re.compile(r"(?:,|\band|\bor)\s{0,3}$", re.IGNORECASE)
# "<C> is rare", "<C> are very common"
_PREDICATE_BEFORE = re.compile(r"\s{1,3}(?:is|are)\s{1,3}(?:(?:very|extremely|relatively|quite|fairly|also|generally|usually)\s{1,3}){0,2}", re.IGNORECASE)
_HAD_BETWEEN = re.compile(
    r"\b(?P<relative>(?:who|that)\s{1,3}(?:[a-z]+\s{1,3})?)?"  # "people who (also) have X": who is counted, not what they have
    + HAVING_VERB + r"(?!\s{1,3}by\b)", re.IGNORECASE)  # not "the first symptom experienced by those diagnosed as having MS"
# "Blount disease is a condition that results from abnormal growth", "anemia caused by bleeding":
# what follows names the condition's cause (up to four words before the item: "due to diabetes or
# high blood pressure")
_CAUSE_CUE_BEFORE = re.compile(
    r"\b(?:(?:results?|resulting|resulted|stems?|arises?)\s{1,3}from|(?:caused|triggered|brought\s{1,3}on)\s{1,3}by|(?:due|secondary)\s{1,3}to"
    r"|(?:the\s{1,3}|a\s{1,3})?result\s{1,3}of)\s{1,3}(?:[\w-]+\s{1,3}){0,4}$", re.IGNORECASE)
# "Chronic kidney disease is kidney damage that …": the feature a condition is defined as
_DEFINED_AS_BETWEEN = re.compile(r"\s{0,3}(?:is|are)\s{1,3}(?:(?:a|an)\s{1,3})?(?:[\w-]+\s{1,3}){0,2}", re.IGNORECASE)
# "complications caused by malnutrition", "death due to breathing problems": the cue names the
# cause of a feature the terminology does not know, itself a feature of the condition
_FEATURE_NOUN_BEFORE_CUE = re.compile(
    r"\b(?:complications?|symptoms?|signs?|episodes?|death|birthmarks?|problems?|wounds?|features?|loss|damage|injur(?:y|ies))\s{1,3}$", re.IGNORECASE)
# "Most affected individuals develop sensorineural hearing loss", "many develop kidney stones":
# what the figure's people have, right after it
_COUNTED_HAVE = re.compile(
    r"(?:\s{1,3}(?:of\s{1,3})?(?:(?:the|these|those|all)\s{1,3})?(?P<affected>affected\s{1,3})?(?P<people>" + "|".join(_GROUP_WORDS) + r")"
    r"(?P<with>\s{1,3}(?:with|who\s{1,3}have)\s{1,3}(?:this|the)\s{1,3}(?:condition|disorder|disease|syndrome))?)?"
    r"\s{1,3}" + BEFORE_HAVING_VERB + HAVING_VERB
    + r"\s{1,3}(?:(?:a|an|the|some|mild|severe|progressive|profound|significant)\s{1,3})?", re.IGNORECASE)
_SYMPTOMS_OF_BETWEEN = re.compile(
    r"^\s{0,3}(?:(?:signs?|and|symptoms?|features?|manifestations?|early|initial|first|presenting)\s{1,3}){1,4}(?:of|in)\s{1,3}(?:(?:the|a|an)\s{1,3})?$", re.IGNORECASE)
_COMPARISON_CUE_BEFORE = re.compile(
    r"\b(?:resembl\w+|similar\s{1,3}to|look\s{1,3}like|like\s{1,3}those\s{1,3}of|differ\w*\s{1,3}from|mimic\w*|confused\s{1,3}with"
    r"|mistaken\s{1,3}for|unlike|rather\s{1,3}than|instead\s{1,3}of|distinguish\w*\s{1,3}from|than\s{1,3}(?:those|that)\b"
    r"|in\s{1,3}contrast\s{1,3}(?:to|with)|as\s{1,3}opposed\s{1,3}to)"
    r"\s{1,3}(?:(?:in|the|a|an|that|those)\s{1,3})?(?:[\w-]+\s{1,3}){0,3}$"
    # "you may feel as if you have the flu", "may feel like they are coming down with the flu"
    r"|\b(?:as\s{1,3}(?:if|though)|feel\w*\s{1,3}like)\s{1,3}(?:[\w-]+\s{1,3}){0,7}$", re.IGNORECASE)
# The cues' words, looked for once per sentence: most sentences have none (a regex per condition
# mention costs more, and an IGNORECASE alternation over the sentence 7 times what these
# substring tests of its lowered text cost)
_COMPARISON_WORDS = ("resembl", "similar", "like", "differ", "mimic", "confused", "mistaken", "than", "instead", "distinguish", "contrast", "opposed",
                     "as if", "as though")
_RELATIVES_BEFORE = re.compile(
    r"(?:\b(?:relatives?|family\s{1,3}members?|parents?|siblings?|brothers?|sisters?|mothers?|fathers?)\s{1,3}(?:with|who\s{1,3}(?:have|has|had))"
    r"|(?<!personal or )\bfamily\s{1,3}history\s{1,3}of)\s{1,3}(?:(?:either|a|an|the) {1,3})?(?:(?:[\w-]+ {1,3}){1,3}(?:or|and) {1,3})?(?:other {1,3})?$",
    re.IGNORECASE)
# What the counted people have names a class the symptom is an example of ("have problems with
# bowel function, such as constipation", "neurological problems, which may include … ataxia") or
# a feature that leads to it ("develop liver disease, which often causes … jaundice"): the figure
# is that class's or feature's, and only bounds the symptom's share
_INCLUDES_OR_LEADS_TO = re.compile(
    r"\b(?:such\s{1,3}as|including|include[sd]?|e\.g\.|for\s{1,3}(?:example|instance)|particularly|especially|notably|most\s{1,3}commonly)\b"
    r"|\b(?:which|that)\s{1,3}(?:(?:may|can|could|might|often|usually|also|typically|sometimes|eventually)\s{1,3}){0,2}"
    r"(?:cause[sd]?|lead[s]?\s{1,3}to|results?\s{1,3}in|makes?|produces?|triggers?)\b", re.IGNORECASE)
# "also have another autoimmune disorder", "other autoimmune conditions": a second disease of a
# class the condition belongs to, not a feature of it (HPO's Autoimmunity)
_ANOTHER_DISEASE = re.compile(r"\b(?:another|other)\s{1,3}(?:[\w-]+\s{1,3})?(?:disorders?|diseases?|conditions?)$", re.IGNORECASE)
_AFFECTED_AFTER_FIGURE = re.compile(r"\s{1,3}(?:of\s{1,3}(?:the\s{1,3}|these\s{1,3}|those\s{1,3})?)?affected\b", re.IGNORECASE)
_AFFECTED_SUBJECT = re.compile(r"\b(?:affected|patients|with\s{1,3}(?:this|the|these)\s{1,3}(?:conditions?|disorders?|diseases?|syndromes?))\b", re.IGNORECASE)
# "Children develop life-threatening anemia": a clause whose subject is a bare group of people
# (on a page about one condition, its patients)
_GROUP_SUBJECT = re.compile(
    r"[\W\d]{0,6}(?:(?:most|many|some|all|these|the)\s{1,3})?(?:affected\s{1,3})?" + _GROUP
    + r"\s{1,3}(?:(?:may|can|will|often|usually|typically|also|eventually|later|then|gradually|sometimes)\s{1,3}){0,3}",
    re.IGNORECASE)
# the words between a verb and its object: "develop life-threatening anemia", not "have symptoms but do not suspect diabetes"
_OBJECT_OPENING = re.compile(r"\s{1,3}(?:[\w-]{1,25}\s{1,3}){0,3}")
_REFERS_BACK = re.compile(
    r"\b(?:this|these|such)\s{1,3}(?!(?:affected\s{1,3})?(?:babies|infants|children|individuals|people|persons|patients|males|females|"
    r"men|women|boys|girls|adults|families)\b|as\b)[a-z]+", re.IGNORECASE)  # ("such as" opens examples, it refers to nothing)
# "Other features of this condition include …", "People with this disorder …": on a page with a
# topic, the page's condition, not a feature of it the sentence before named ("… abnormal
# curvature of the spine (scoliosis)."); as the subject ("This condition can cause …") the one
# the sentence before named
_DISEASE_ANAPHOR = re.compile(r"this\s{1,3}(?:condition|disorder|disease|syndrome)", re.IGNORECASE)
_ANAPHOR_OF_PEOPLE_BEFORE = re.compile(r"\b(?:of|with|in|by)\s{1,3}$", re.IGNORECASE)
# "Medications, such as those that reduce fatigue …", "… effective at treating anxiety, …": what a
# treatment is for, not whose symptoms these are
_TREATED_BEFORE = re.compile(r"\b(?:treat(?:s|ing)?|reduc(?:e|es|ing)|decreas(?:e|es|ing)|eas(?:e|es|ing)|reliev(?:e|es|ing)|lower(?:s|ing)?|"
                             r"prevent(?:s|ing)?|control(?:s|ling)?)\s{1,3}(?:the\s{1,3})?$", re.IGNORECASE)
_EXAMINATION_AIM = re.compile(r"\bto\s{1,3}(?:find|look\s{1,3}for|check\s{1,3}for|detect|rule\s{1,3}out)\b", re.IGNORECASE)
_CLAUSE_BOUNDARY = re.compile(r"[;:]|\s-\s|\s{3,}|•")
# "18 percent of adults 45-64 years old", "People over age 60 should ...", "in people who are 65 years
# old or older": the age of the people counted, not when a symptom begins; after "in"/"to" a
# group's age is when something occurs ("Febrile seizures usually occur in children between the ages of ...")
_GROUP_AGE_BEFORE = re.compile(
    r"(?:\b(?P<preposition>\w{1,20})\s{1,3})?(?:(?!(?:in|to|among|of|for|with)\b)[a-z]{1,30}\s{1,3})?\b(?:" + "|".join(_GROUP_WORDS)
    + r"|anyone|americans)\s{1,3}(?P<described>who\s{1,3}are\s{1,3})?$",
    re.IGNORECASE,
)
_OCCURRENCE_PREPOSITIONS = {"in", "to", "among"}
# "Rosacea is most common in women", "Arrhythmias are very common in older adults", "more common
# in infants, teens, and young adults": a frequency word over a group of the general population
# (no "with <condition>" after it) says who gets something, not how many with a condition have it
_DEMOGRAPHIC_AFTER = re.compile(
    r"^\s{1,3}(?:in|among|for)\s{1,3}(?:(?:the|young|younger|older|elderly|middle-aged|adult|white|black|asian|african|hispanic)\s{1,3}){0,3}"
    r"(?:adults|women|men|males|females|children|infants|babies|girls|boys|teens|teenagers|adolescents|people|persons|individuals"
    r"|americans|whites|blacks)\b(?!\s{1,3}(?:with|who|whose|affected|living|diagnosed|suffering|that|having|treated|taking|on)\b)",
    re.IGNORECASE,
)
# A share that says how much a symptom changed or in how many it changed, not how many have it:
# "reduced fatigue by 30%", "relieves headache in 50%", "improved in 60% of patients"
_CHANGE_BEFORE = re.compile(r"\b(?:reduc|reliev|improv|decreas|lower|increas|worsen|respond|relief|eliminat|prevent)\w*\b[^.;,()%]{0,40}$", re.IGNORECASE)
_BY_BEFORE = re.compile(r"\bby\s{1,3}$", re.IGNORECASE)
# "pain in the joints precedes the rash in about one-third of cases": the figure counts an order
_ORDER_VERB_BEFORE = re.compile(r"\b(?:precede[sd]?|follow(?:s|ed)?|comes?\s{1,3}(?:before|after))\s{1,3}(?:the\s{1,3}|a\s{1,3})?$", re.IGNORECASE)
# A sentence about a treatment's side effects: its figures count the treated ("Digestive problems
# … are a side effect in about half of people taking SSAs"), not the condition's patients
_SIDE_EFFECTS = re.compile(r"\bside[\s-]{1,2}effects?\b|\badverse\s{1,3}(?:effects?|reactions?|events?)\b", re.IGNORECASE)
# "In rare cases, surgery may be needed (… for Achilles tendon contractures)", "In rare cases,
# individuals with HSP may need to be hospitalized if …": the cases counted are the care's
# (the phrase is searched for, then its distance checked: a window of 120 characters scanned
# from every position cost 1.6 s on 100,000 characters of "be be be", a third of the regex-safety
# test's limit per mode, and went over it on a busy machine)
_CARE_NEEDED = re.compile(r"\b(?:(?:is|are|be)\s{1,3}(?:necessary|needed|required)|needs?\s{1,3}to\s{1,3}be\s{1,3}[a-z]+ed)\b", re.IGNORECASE)
_CLAUSE_STOP = re.compile(r"[.;]")
_CARE_NEEDED_WITHIN_CHARS = 120
# ... and what a treatment does for the people counted, a verb of relief between the figure and
# its symptom: "A high-fiber diet and mild pain reliever will often relieve symptoms", "Some
# people with a balance disorder may not be able to fully relieve their dizziness". Verb forms
# only: "have reduced vision", "have increased thirst" name what they have.
_RELIEF_BETWEEN = re.compile(
    r"\b(?:reduces?|reducing|relieves?|relieving|eases?|easing|alleviates?|alleviating|lessens?|lessening|cope|coping"
    r"|helps?|helping|controls?|controlling|manages?|managing|prevents?|preventing|stops?|stopping|slows|slowing"
    r"|cures?|curing|treats?|treating)\b",
    re.IGNORECASE,
)
_OUT_OF_RELIEF_SCOPE = re.compile(r"[.;:()\n]|" + _CLAUSE_BREAK.pattern, re.IGNORECASE)  # (and a clause's end)
# A percentage that is a person's measured value, not a share of people
# "In most cases, TEF is not inherited", "In some cases, heterotaxy syndrome is caused by
# mutations", "In rare cases, a chronic cough is due to lung cancer", "the cause of limb dystonia
# remains unknown in most cases", "In most cases of cold urticaria, the underlying cause is ...":
# the figure counts the symptom's causes or inheritance, not the people who have it
_ITS_CAUSE_AFTER = re.compile(
    _GLOSS_AFTER + r"(?:(?:syndrome|disorder|disease)\s{1,3})?(?:,\s{0,3}(?:the\s{1,3})?(?:exact\s{1,3}|underlying\s{1,3}|specific\s{1,3})?"
    r"(?:cause|causes|etiology|origin)\b|(?:(?:is|are|was|were|may|might|can|could|be|not|usually|often|also|sometimes)\s{1,3}){1,4}"
    r"(?:caused\s{1,3}by|inherited|due\s{1,3}to|secondary\s{1,3}to|the\s{1,3}result\s{1,3}of)|(?:results?|resulted)\s{1,3}from)\b",
    re.IGNORECASE,
)
# "In most people with GSDV, the muscle weakness worsens over time", "In most cases, muscle
# weakness does not worsen", "In some cases spasticity disappears", "in rare cases the skin
# lesions may develop into a form of skin cancer": the figure counts how the symptom goes in
# those who have it, not who has it
_ITS_COURSE_AFTER = re.compile(
    _GLOSS_AFTER + r"(?:(?:usually|often|also|may|might|can|will|typically|gradually|slowly|eventually|does|do|did|not|never)\s{1,3}){0,3}"
    r"(?:worsen(?:s|ed)?|improve[sd]?|progress(?:es|ed)?|(?:is|are|remains?)\s{1,3}stable|get(?:s)?\s{1,3}worse|resolve[sd]?"
    r"|disappear(?:s|ed)?|go(?:es)?\s{1,3}away|heal(?:s|ed)?|subside[sd]?|(?:develop|turn|transform|evolve)(?:s|ed)?\s{1,3}into"
    r"|(?:become|becomes|became)\s{1,3}(?:cancerous|malignant))\b",
    re.IGNORECASE,
)
# "pain medication", "pain relief", "arrhythmia treatments", "Weight-loss medicines": the mention
# names what a treatment is for, and a figure near it counts those treated
_TREATMENT_NOUN_AFTER = re.compile(
    r"\s{0,3}(?:relief|relievers?|medications?|medicines?|treatments?|management|killers?|drugs?|specialists?|repairs?|surgery|surgeries)\b",
    re.IGNORECASE,
)
# "shorter than about 97 percent of their peers", "differently than most people": the figure is a
# comparison with others; "has been described in about 15 individuals": reports, not a share
# ("older than"/"younger than" before an age are the age's own words: "begin in people older than 40 years")
_COMPARISON_BEFORE = re.compile(r"(?<!older)(?<!younger)\s{1,3}than\s{1,3}$", re.IGNORECASE)
_REPORTED_IN_BEFORE = re.compile(r"\b(?:described|reported|identified|documented)\s{1,3}in\s{1,3}$", re.IGNORECASE)
_ITS_CAUSE_BEFORE = re.compile(r"\b(?:causes?|etiology|origins?)\s{1,3}of\s{1,3}(?:(?:the|a|an)\s{1,3})?$", re.IGNORECASE)
_MEASUREMENT_BEFORE = re.compile(
    r"\b(?:levels?|values?|concentrations?|saturation|fraction|a1c|hba1c|hematocrit|index|score|reading)\s{1,3}"
    r"(?:(?:of|is|was|at|to|from|between|below|above|under|over|less\s{1,3}than|more\s{1,3}than|greater\s{1,3}than)\s{1,3}){0,2}$",
    re.IGNORECASE,
)
# An age is when something begins only where the text says so: a verb or noun of beginning,
# diagnosis or appearance near it ("usually begins between the ages of 20 and 40", "onset
# after age 50", "are diagnosed by age 2", "become apparent by age 2"); not death, survival,
# a wheelchair, a treatment's age limit or an end ("Death usually occurs by age 3", "need a
# wheelchair by age 12", "live past age 40", "not given to children younger than 8 years",
# "require dialysis between ages 40 and 70", "seizures ... stop by age 3")
_ONSET_CUE = re.compile(
    r"\b(?:begin|begins|began|beginning|start|starts|started|starting|onset|appear|appears|appeared|appearing|develop|develops|developed"
    r"|developing|diagnos\w*|emerge[sd]?|arise[sd]?|arising|manifest\w*|occur|occurs|occurred|occurring|present|presents|presented"
    r"|apparent|noticeable|evident|first|strikes?|affects?|affected|common|happens?|happened)\b",
    re.IGNORECASE,
)
ONSET_CUE_CHARS = 100  # "typically first experience signs and symptoms related to the condition between ages 30 and 60"
_NOT_ONSET = re.compile(
    r"\b(?:death|deaths|die|dies|died|dying|fatal|surviv\w*|live|lives|lived|living|life\s{1,3}expectancy|wheelchair|walk|walking"
    r"|given|treat\w*|vaccin\w*|recommend\w*|should|screen\w*|tested|requires?|required|needs?|needed|dialysis|transplant\w*|performed|repair\w*|surger\w*"
    r"|stops?|stopped|fades?|faded|disappear\w*|resolves?|resolved|outgrow\w*|get\s{1,3}better|gets\s{1,3}better|stabiliz\w*"
    # a schedule ("developmental assessment by 4 months of age") or the worst of a course
    # ("experience their worst symptoms in their early teens")
    r"|assess\w*|evaluat\w*|worst|peaks?|peaked"
    # an examination's schedule ("Clinical breast exams every 6-12 months beginning at age 25")
    r"|exams?|examinations?|mammograms?|colonoscop\w*|ultrasounds?|check-?ups?)\b(?![^.;]{0,60}\b(?:begin|begins|began|onset|appear\w*|develop\w*|start\w*)\b)[^.;]{0,60}$"
    # what does not happen by an age is a definition or a delay ("a failure to begin
    # menstruation by age 16"), and "being over 45" a risk factor
    r"|\bfail(?:s|ed|ure)?\s{1,3}to\b[^.;]{0,60}$|\bbeing\s{1,3}(?:(?:older|younger)\s{1,3}than\s{1,3})?$"
    # a risk by or after an age ("The risk of colorectal cancer increases after age 50", "an 83%
    # risk of developing contralateral breast cancer by age 70", "more likely to have ... age 45
    # or older", not "more likely to develop between the ages of 20 and 29"), and a ranking among
    # others of an age ("the most common cancer in men aged 15 to 34", "the most common
    # childhood soft tissue sarcoma in children 14 years and younger")
    r"|\brisks?\b[^.;]{0,80}$|\bmore\s{1,3}likely\b(?!\s{1,3}to\s{1,3}(?:develop|occur|begin|start|appear)\b)[^.;]{0,80}$"
    r"|\bmost\s{1,3}common\s{1,3}(?!in\b|among\b)[a-z-]+(?:\s{1,3}[a-z-]+){0,3}?\s{1,3}(?:in|among|found\s{1,3}in)\s{1,3}[^.;]{0,40}$",
    re.IGNORECASE,
)
# An age anywhere after a risk, a chance or "if you" in its sentence is a risk factor or an
# advice's condition, however long the list between ("People who develop type 2 diabetes are
# more likely to have the following characteristics: - age 45 or older", "Your risk increases
# if your father … was diagnosed with heart disease before 55 years of age", "check first with
# your doctor if you … are over age 50")
_RISK_IN_SENTENCE = re.compile(
    r"\b(?:risks?|chances?|factors)\b|\bmore\s{1,3}likely\b(?!\s{1,3}to\s{1,3}(?:develop|occur|begin|start|appear)\b)|\bif\s{1,3}you\b", re.IGNORECASE)
# "The most common arrhythmia associated with WPW is PSVT": a superlative before the symptom ranks its kinds
_SUPERLATIVE = re.compile(r"^(?:the\s{1,3})?most\b", re.IGNORECASE)
# "Most children with growth failure grow ...", "most children who experience febrile seizures do
# not ...": the symptom names the people the figure counts, not what it counts
_POPULATION_WITH_SYMPTOM = re.compile(
    r"^\s{0,3}(?:of\s{1,3})?(?:(?:the|all|these|those)\s{1,3})?(?:affected\s{1,3})?(?:(?:" + "|".join(_GROUP_WORDS) + r")\s{1,3})?"
    r"(?:with|who\s{1,3}(?:have|has|had|experience[sd]?|develop(?:s|ed)?|get))\s{1,3}(?:a\s{1,3}|an\s{1,3}|the\s{1,3})?$",
    re.IGNORECASE,
)
# "Noonan syndrome (a developmental disorder characterized by unusual facial characteristics, short stature ...)"
_DEFINING_PARENTHESIS = re.compile(r"\(\s{0,3}(?:a|an|the)\s[^()]{0,300}\)", re.IGNORECASE)
# GARD's phenotype table begins with its header, whatever the number of rows with a figure; so
# does its list of phenotypes without figures ("... (when available) Ataxia - Dementia - ...")
_TABLE_HEADER = re.compile(r"^\W{0,20}signs\s{1,3}and\s{1,3}symptoms\s{1,3}approximate\s{1,3}number\s{1,3}of\s{1,3}patients\b", re.IGNORECASE)
# A title names the page's disease and states nothing about it: a question ("What are the signs and
# symptoms of Hypertrichosis, hyperkeratosis, mental retardation, and distinctive facial
# features?", GARD's titles) or the line above GARD's table ("... list of signs and symptoms for
# Alaninuria with microcephaly, dwarfism, ..."); the mentions in it are words of the one name
_TITLE = re.compile(r"\?\s*$|^\W{0,20}the\s{1,3}human\s{1,3}phenotype\s{1,3}ontology\s{1,3}provides\s{1,3}the\s{1,3}following\s{1,3}list\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class ClaimOccurrence:
    """One claim as stated in one sentence; mentions are (start_char, end_char) keys."""

    sentence_start: int
    sentence_end: int
    symptom: tuple[int, int] | None  # None for figures about the condition itself (onset age)
    symptom_id: str | None
    symptom_name: str
    condition: tuple[int, int] | None
    condition_id: str | None
    condition_name: str
    statistic: tuple[int, int] | None
    measure: str
    population: str
    negated: bool
    hedged: bool
    hypothetical: bool
    rule: str
    # the claim's value when it is not the statistic's own: a GARD table's frequency class
    interval: tuple[float, float] | None = None

    @property
    def confidence(self) -> float:
        return RULE_CONFIDENCE[self.rule]


def _contains_words(whole: str, part: str) -> bool:
    """Whether ``part`` occurs in ``whole`` as whole words, case and punctuation aside."""
    part_words, whole_words = " ".join(_WORDS.findall(part.lower())), " ".join(_WORDS.findall(whole.lower()))
    return bool(part_words) and f" {part_words} " in f" {whole_words} "


class _DocView:
    """The Doc with ``text`` and ``ents`` read once: spaCy rebuilds both from every token on
    each access, which made this component quadratic in document length."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.text = document_text(doc)
        self.ents = tuple(doc.ents)
        self._starts = [e.start for e in self.ents]
        self._by_offsets = {(e.start_char, e.end_char): e for e in self.ents}

    def text_of(self, span: Span) -> str:
        """``span.text`` sliced from the text read once (``Span.text`` is rebuilt from its tokens)."""
        return self.text[span.start_char:span.end_char]

    def entity_at(self, offsets: tuple[int, int]) -> Span:
        """The entity with these (start_char, end_char)."""
        return self._by_offsets[offsets]

    def relabel(self, span: Span) -> None:
        """``span`` in place of the entity at its offsets (a condition read as a symptom)."""
        index = bisect_left(self._starts, span.start)
        self.ents = (*self.ents[:index], span, *self.ents[index + 1:])
        self._by_offsets[(span.start_char, span.end_char)] = span

    def ents_in(self, start: int, end: int, label: str | None = None) -> list[Span]:
        """Entities starting at token positions [start, end)."""
        low, high = bisect_left(self._starts, start), bisect_left(self._starts, end)
        return [e for e in self.ents[low:high] if label is None or e.label_ == label]

    @cached_property
    def topic(self) -> Span | None:
        """The condition the document is about: the subject of its first statement ("HANAC
        syndrome is a rare disorder ...") or the condition it opens on the cause or signs of
        ("Mutations in the GBA gene cause Gaucher disease"), else the whole name a title asks about
        ("What are the signs and symptoms of Coats disease?", "How is TARP syndrome inherited?",
        GARD's pages, which then need not define it); None when neither names one. Read by figures about "people with this condition"
        (``S_affects_N_of_population_with_topic``) and by figures with no condition nearby
        (``condition_from_topic``), so found at most once per document."""
        sentences = all_sentences(self.doc)
        statement = next((s for s in sentences if not _TITLE.search(self.text_of(s))), None)
        if statement is None:
            return None
        first = next(iter(self.ents_in(statement.start, statement.end)), None)
        if first is not None and first.label_ == "CONDITION":
            before = self.text[statement.start_char:first.start_char]
            if ((not before.strip(" -•\n\t") and _SUBJECT_PREDICATE.match(self.text[first.end_char:statement.end_char]))
                    or _TOPIC_OBJECT_BEFORE.match(before)):
                return first
        title = sentences[0]
        last = next(iter(reversed(self.ents_in(title.start, title.end))), None)
        if title is statement or last is None or last.label_ != "CONDITION":
            return None
        asks_of_it = TITLE_QUESTION_BEFORE.search(self.text[title.start_char:last.start_char])
        return last if asks_of_it and TITLE_QUESTION_AFTER.match(self.text[last.end_char:title.end_char]) else None

    def __getattr__(self, name):
        return getattr(self.doc, name)


def _glosses_symptom(doc: Doc, condition: Span, entities: list[Span]) -> bool:
    """ "low blood sugar (hypoglycemia)": the condition names the symptom before it."""
    return _gloss_with_symptom(doc, condition, entities, -1)


def _lists_features(doc: Doc, sent: Span, first: Span) -> bool:
    """Whether a sentence names what it lists as someone's features before its first symptom
    (``_FEATURES_LISTED``), not that symptom's own ("Symptoms of urinary stones include …")."""
    noun = _FEATURES_LISTED.search(doc.text, sent.start_char, first.start_char)
    if noun is None:
        return False
    of = _OF_A_SYMPTOM.match(doc.text, noun.end(), first.start_char + 1)
    return of is None or of.end() != first.start_char


def _glosses_among(doc: Doc, symptoms: list[Span], conditions: list[Span]) -> int:
    """How many of a list sentence's conditions gloss a symptom: each names that item again, so
    it is no condition of the sentence's own ("… abnormal curvature of the spine (scoliosis)"
    owns nothing and leaves the owner to the sentence before or the page)."""
    entities = sorted(symptoms + conditions, key=lambda e: e.start)
    return sum(_glosses_symptom(doc, c, entities) for c in conditions)


def _gloss_with_symptom(doc: Doc, condition: Span, entities: list[Span], step: int) -> bool:
    """Whether the entity next to ``condition`` (before it, step -1; after it, 1) is a symptom
    that one of the two names in parentheses."""
    index = entities.index(condition) + step
    if not 0 <= index < len(entities) or entities[index].label_ != SYMPTOM:
        return False
    left, right = sorted((condition, entities[index]), key=lambda e: e.start)
    return bool(_GLOSS_OPEN.match(doc.text[left.end_char:right.start_char]))


def _lists_its_kinds(doc: Doc, condition: Span) -> bool:
    """ "Mental disorders include …", "eating disorders such as anorexia or bulimia": a class of
    conditions whose list names its kinds, not its symptoms."""
    return bool(_CLASS_OF_KINDS.search(doc.text_of(condition)) and _KINDS_FOLLOW.match(doc.text, condition.end_char))


def _glossed_by_symptom(doc: Doc, condition: Span, entities: list[Span]) -> bool:
    """ "severe nearsightedness (high myopia)": a symptom in parentheses names the condition before it."""
    return _gloss_with_symptom(doc, condition, entities, 1)


def _is_listed_among(doc: Doc, condition: Span, entities: list[Span]) -> bool:
    """Whether ``condition`` is an item of a coordinated list that holds a symptom ("muscle
    twitching, seizures, stupor" with seizures = epilepsy; "- depression - emotional changes")
    or glosses one. ``entities``: the sentence's (or clause's) mentions, in order."""
    if _glosses_symptom(doc, condition, entities):
        return True
    index = entities.index(condition)
    return any(item.label_ == SYMPTOM for step in (-1, 1) for item in _coordinated(doc, entities, index, step))


def _coordinated(doc: Doc, entities: list[Span], index: int, step: int):
    """The entities after (step 1) or before (step -1) ``entities[index]`` that are items of the
    same list, or a gloss in parentheses, nearest first."""
    current = index
    while 0 <= current + step < len(entities):
        left, right = sorted((entities[current], entities[current + step]), key=lambda e: e.start)
        between = doc.text[left.end_char:right.start_char]
        if not (_LIST_SEPARATOR.match(between) or _GLOSS_OPEN.match(between)):
            return
        current += step
        yield entities[current]


_ELLIPTICAL_VERB_AFTER = re.compile(ELLIPTICAL_SHARE_VERB, re.IGNORECASE)


def _is_elliptical_share(doc: Doc, stat: Span) -> bool:
    """ "…, and some have …": a bare quantifier the subject of a verb of having, read as counting
    the people a clause before counted (the statistic recognizer's ELLIPTICAL_SHARES, followed
    by the verb it requires)."""
    return doc.text_of(stat).lower() in ELLIPTICAL_SHARES and bool(_ELLIPTICAL_VERB_AFTER.match(doc.text, stat.end_char))


def _named_as_owner(doc: Doc, condition: Span, clause_start: int = 0) -> bool:
    """ "symptoms of MS", "In people with MS, ...", "children who have asthma" (_OWNER_BEFORE)."""
    return bool(_OWNER_BEFORE.search(doc.text[max(clause_start, condition.start_char - 40):condition.start_char]))


def _is_denied(doc: Doc, condition: Span) -> bool:
    """A negated condition ("in the absence of cancer"), unless what is negated is its relation
    to a symptom ("Fever is not a symptom of migraine")."""
    return bool(span_value(condition, "negated")) and not _denies_relation(doc, condition)


def _may_own(doc: Doc, condition: Span, entities: list[Span]) -> bool:
    """The owner safeguards for a condition named after its symptoms (``_owned_after``,
    ``_cause_list_items``): not denied, not after "risk of", "history of" and the like, not
    listed among the symptoms or glossing one, and not another name of a condition named before
    it ("ALS, also called Lou Gehrig disease or motor neuron disease": one owner, not three): a
    term the alias statement names, not any mention its span runs over ("(CDPX2), also known as
    Conradi-Hünermann-Happle syndrome, is a rare form of skeletal dysplasia").
    ``_list_owner``, whose owner comes before the list, keeps a subset of them: there the others
    refuse at least as many right owners as wrong ones ("A diagnosis of polymyositis is often
    suspected in people with proximal muscle weakness", "In people with retinitis pigmentosa,
    vision loss occurs"; docs/claims.md)."""
    return not (
        _is_denied(doc, condition)
        or _AFTER_NOT_OWNER_NOUN.search(doc.text[max(0, condition.start_char - 40):condition.start_char])
        or _is_listed_among(doc, condition, entities)
        or any(a.relation == "same_as" and a.start < condition.start_char and condition.end_char <= a.end
               and _contains_words(a.alias, doc.text_of(condition)) for a in doc._.aliases)
    )


def _denies_relation(doc: Doc, condition: Span) -> bool:
    """A negated condition right after "symptom of", "sign of", "part of": what is denied is
    that the symptom belongs to it."""
    return bool(span_value(condition, "negated")) and bool(_RELATION_BEFORE.search(doc.text[max(0, condition.start_char - 40):condition.start_char]))


def _states_a_change(doc: Doc, stat: Span, before: str) -> bool:
    """Whether a share or frequency word says how much a symptom changed ("reduced fatigue by
    30%") or in how many it changed ("relieves headache in 50%", "may reduce itching for some
    individuals"): a verb of change before it that no mention holds
    ("Reduced bone mineral density 50%" is a phenotype of GARD's tables, "experienced by most
    people" an agent)."""
    if _BY_BEFORE.search(before) and any(char.isdigit() for char in doc.text_of(stat)):
        return True
    return _cue_outside_mentions(doc, stat, before, _CHANGE_BEFORE.search(before))


def _relieves_before(doc: Doc, stat: Span, symptom: Span) -> bool:
    """Whether a verb of relief stands between the figure and the symptom after it, in one
    clause and outside every mention: the figure counts whom a treatment helps."""
    between = doc.text[stat.end_char:symptom.start_char]
    if len(between) > 100 or _OUT_OF_RELIEF_SCOPE.search(between):
        return False
    cue = _RELIEF_BETWEEN.search(between)
    return cue is not None and _outside_mentions(doc, stat.end_char + cue.start())


def _states_its_cause_or_course(doc: Doc, group: list[Span]) -> bool:
    """Whether the clause of the symptoms a figure counts says what causes them, how they are
    inherited (``_ITS_CAUSE_AFTER``) or how they go (``_ITS_COURSE_AFTER``): the figure is then a
    share of their causes or courses."""
    after = doc.text[group[-1].end_char:group[-1].end_char + 100]
    return bool(_ITS_CAUSE_BEFORE.search(doc.text, max(0, group[0].start_char - 40), group[0].start_char)
                or _ITS_CAUSE_AFTER.match(after) or _ITS_COURSE_AFTER.match(after))


def _care_needed_after(text: str, start_char: int, end_char: int) -> bool:
    """Whether the clause from ``start_char`` says within _CARE_NEEDED_WITHIN_CHARS characters, before
    a full stop or a semicolon, that care is needed (``_CARE_NEEDED``)."""
    found = _CARE_NEEDED.search(text, start_char, end_char)
    return (found is not None and found.start() - start_char <= _CARE_NEEDED_WITHIN_CHARS
            and not _CLAUSE_STOP.search(text, start_char, found.start()))


def _cue_outside_mentions(doc: Doc, stat: Span, before: str, cue: re.Match | None) -> bool:
    """Whether a cue found in ``before`` (the text right before ``stat``) was found, outside
    every mention: "Reduced bone mineral density 50%" and "Abnormal immunoglobulin level 90%"
    are phenotypes' names in GARD's tables, not a change or a measured value."""
    return cue is not None and _outside_mentions(doc, stat.start_char - len(before) + cue.start())


def _outside_mentions(doc: Doc, char: int) -> bool:
    """Whether the token at character ``char`` is in no mention."""
    return doc.doc.char_span(char, char + 1, alignment_mode="expand")[0].ent_iob_ not in ("B", "I")


def _modifies_symptom(doc: Doc, stat: Span) -> bool:
    """ "frequent (severe) headaches": a symptom follows the figure with at most two modifiers between."""
    symptom = next(iter(doc.ents_in(stat.end, stat.end + 3, SYMPTOM)), None)
    return symptom is not None and bool(_MODIFIERS_ONLY.fullmatch(doc.text, stat.end_char, symptom.start_char))


def _glosses_words_before(doc: Doc, condition: Span) -> bool:
    """ "a decrease in muscle size (muscular atrophy)", "backflow of stomach acids into the
    esophagus (gastroesophageal reflux)", "(called gouty arthritis)": a condition in parentheses
    names the list item before it, whose owner it is not. Not "Type III (also called
    Kugelberg-Welander disease)", a second name of what is named before it."""
    return bool(_GLOSS_BEFORE.search(doc.text, max(0, condition.start_char - 12), condition.start_char))


def _listed_after_cue(doc: Doc, sent: Span, condition: Span) -> bool:
    """ "Other common features include a long and narrow face, crowded teeth, an abnormal curvature
    of the spine (scoliosis or kyphosis)": a condition after "include", "such as" or a colon is an
    item of what the sentence lists, not whose features they are, unless named as their owner
    ("… include fever in people with malaria")."""
    cue = _ITEMS_FOLLOW.search(doc.text, sent.start_char, condition.start_char)
    return cue is not None and not _named_as_owner(doc, condition)


def _verbs_of_having(doc: Doc, start_char: int, end_char: int) -> list[re.Match]:
    """The verbs of having between two offsets whose subject is what comes before them, not a
    relative clause's ("people who have X": who is counted)."""
    return [verb for verb in _HAD_BETWEEN.finditer(doc.text, start_char, end_char) if verb["relative"] is None]


def _had_by_the_counted(doc: Doc, stat: Span, condition: Span) -> bool:
    """ "some people have only mild muscle weakness while others have severe cardiomyopathy",
    "Many people with Legg-Calv-Perthes disease go on to develop … osteoarthritis": a condition
    after the figure and a verb of having is what the counted have, a feature in the symptom
    slot, not whose figure it is. Not "people who get shingles", the counted's relative clause."""
    return condition.start_char >= stat.end_char and bool(_verbs_of_having(doc, stat.end_char, condition.start_char))


def _named_in_comparison(doc: Doc, sent: Span, condition: Span) -> bool:
    """ "The signs and symptoms … may mimic those of tuberculosis", "are easily confused with
    influenza", "Unlike ischemic strokes, hemorrhagic …", "In contrast to rod-cone dystrophies,
    individuals experience …", "a type of rash that resembles a sunburn": a condition the text
    names to compare with owns nothing it lists and lends no owner. The cue is looked for in the condition's sentence only, as ``_COMPARISON_WORDS`` screens it."""
    return bool(_COMPARISON_CUE_BEFORE.search(doc.text, max(sent.start_char, condition.start_char - 50), condition.start_char))


def _had_by_relatives(doc: Doc, claim: ClaimOccurrence) -> bool:
    """ "Some people with systemic scleroderma have relatives with other autoimmune disorders",
    "A family history of either epilepsy or febrile seizures exists in 15 percent": the
    symptom is the relatives', not a symptom of those with the condition."""
    return claim.symptom is not None and bool(_RELATIVES_BEFORE.search(doc.text, max(0, claim.symptom[0] - 70), claim.symptom[0]))


def _had_as_examples(doc: Doc, start_char: int, group: list[Span]) -> bool:
    """Whether what the counted people have, from ``start_char`` on, includes or leads to
    ``group`` (:data:`_INCLUDES_OR_LEADS_TO`), with no other counted subject between ("Many
    patients with NASH have elevated blood lipids, such as cholesterol …, and many have diabetes
    or prediabetes": what the second "many" have is counted)."""
    cue = _INCLUDES_OR_LEADS_TO.search(doc.text, start_char, group[0].start_char)
    return cue is not None and not _NEXT_COUNTED_SUBJECT.search(doc.text, cue.end(), group[0].start_char)


def _rest_of_list(doc: Doc, groups: "_Groups", first: list[Span]) -> list[Span]:
    """``first`` and the groups the same list goes on to (:data:`_LIST_SEPARATOR`: items the
    terminology does not know, a gloss, between them; the gloss of an item coordinated with
    words it does not know): "which may include developmental delay, intellectual disability,
    difficulties with balance and coordination (ataxia), and muscle stiffness (spasticity)"
    lists gait imbalance, ataxia and muscle stiffness."""
    items = list(first)
    following = groups.first_starting_from(items[-1].end)
    while following and (_LIST_SEPARATOR.match(doc.text[items[-1].end_char:following[0].start_char])  # (its ^ needs a slice)
                         or _GLOSSED_COORDINATION.match(doc.text, items[-1].end_char, following[0].start_char)):
        items += following
        following = groups.first_starting_from(items[-1].end)
    return items


def _condition_between(doc: Doc, group: list[Span], stat: Span) -> bool:
    """Whether a mention the terminology calls a condition stands between ``group`` and the
    figure after it, neither coordinated with the group ("Anxiety and depression are also common
    in SLE", "A cleft lip with or without a cleft palate") nor inside a parenthesis ("weakness in
    the limbs (peripheral neuropathy), common in people with Leigh syndrome", "Excessive tiredness (fatigue) due to a
    reduction in red blood cells (anemia) is common"): then it is the
    subject the figure counts ("Most have structural abnormalities of the brain, and seizures
    occur in more than half of individuals", "- kidney involvement - In children, … kidney failure
    affects only about 1 percent of children with HSP")."""
    between = doc.ents_in(group[-1].end, stat.start, "CONDITION")
    if not between:
        return False
    gap = doc.text[group[-1].end_char:between[0].start_char]
    return not (_COORDINATION.match(gap) or _WITH_OR_WITHOUT.match(gap) or gap.rfind("(") > gap.rfind(")"))


def _another_disease(doc: Doc, claim: ClaimOccurrence) -> bool:
    """ "About half of all individuals with Sjögren syndrome also have another autoimmune
    disorder": a second disease of the condition's own class (which HPO's "Autoimmunity" would
    read as a feature every patient has), not a symptom of it."""
    if claim.symptom is None:
        return False
    start, end = claim.symptom
    return bool(_ANOTHER_DISEASE.search(doc.text[max(0, start - 20):end]))


def _named_as_its_cause(doc: Doc, condition: Span, symptom: Span) -> bool:
    """ "Horner syndrome … results from paralysis of certain nerves", "Cirrhosis is a … liver
    condition caused by scar tissue": a symptom after the condition and a cue of cause, with no
    other symptom or feature noun between them, is the condition's cause. Not "hearing loss
    caused by abnormalities of the inner ear" or "complications caused by malnutrition": one
    feature's cause is another feature; but "Chronic kidney disease is kidney damage that occurs
    slowly …, often due to diabetes": what the condition is defined as is the condition."""
    if symptom.start < condition.end:
        return False
    cue = _CAUSE_CUE_BEFORE.search(doc.text, max(condition.end_char, symptom.start_char - 60), symptom.start_char)
    if cue is None or _FEATURE_NOUN_BEFORE_CUE.search(doc.text, max(condition.end_char, cue.start() - 20), cue.start()):
        return False
    return not any(other.end_char <= cue.start() and not _DEFINED_AS_BETWEEN.fullmatch(doc.text, condition.end_char, other.start_char)
                   for other in doc.ents_in(condition.end, symptom.start, SYMPTOM))


def _counts_the_affected(doc: Doc, stat: Span) -> bool:
    """ "Some affected people", "Most affected individuals", "half of affected children": the
    figure counts those with the page's condition, whatever condition the sentence before named
    ("… may include recurrent seizures, mild intellectual disability …. Some affected people may
    also experience decreased visual acuity" on a page about Northern epilepsy)."""
    return "affected" in doc.text_of(stat).lower() or bool(_AFFECTED_AFTER_FIGURE.match(doc.text, stat.end_char))


def _had_by_the_affected(doc: Doc, condition: Span) -> bool:
    """ "Most affected babies have a buildup of lactic acid (lactic acidosis)", "Some people with
    this disorder have hearing loss", "People with X also develop Y": a condition that those
    with the page's condition (or another condition) have is one of its features, not its owner."""
    clause_start = doc.doc[_clause_start(doc, condition)].idx
    verbs = _verbs_of_having(doc, clause_start, condition.start_char)
    if not verbs:
        return False
    subject_end = verbs[-1].start()
    bare_group_has_it = _GROUP_SUBJECT.fullmatch(doc.text, clause_start, subject_end) and _OBJECT_OPENING.fullmatch(doc.text, verbs[-1].end(), condition.start_char)
    return bool(_AFFECTED_SUBJECT.search(doc.text, clause_start, subject_end) or bare_group_has_it) or any(
        other.end_char <= subject_end and span_value(other, "concept_id") != span_value(condition, "concept_id")
        for other in doc.ents_in(condition.sent.start, condition.start, CONDITION) if other.start_char >= clause_start)


def _counts_a_condition_before(doc: Doc, stat: Span) -> bool:
    """ "lupus (10-20%)": a figure in parentheses right after a condition is that condition's; so
    is a frequency word the condition opening its clause is ("Centronuclear myopathy is rare and
    begins in infancy with weakness", "Hiatal hernias are common, especially in people over age
    50"), which proximity gave to the symptom after or before it."""
    frequency_word = span_value(stat, "statistic").kind == "frequency_word"
    for condition in doc.ents_in(stat.start - 6, stat.start, "CONDITION"):
        between = doc.text[condition.end_char:stat.start_char]
        if _PARENTHESIS_AFTER.fullmatch(between):
            return True
        if (frequency_word and _PREDICATE_BEFORE.fullmatch(between) and not _COMPLEMENT_AFTER.match(doc.text[stat.end_char:stat.end_char + 12])
                and not _named_as_owner(doc, condition) and not doc.ents_in(_clause_start(doc, condition), condition.start)):
            return True  # not "Anemia is common in people with CKD", "People with Danon disease are often affected by"
    return False


def _clause_start(doc: Doc, mention: Span) -> int:
    """Token index where the clause holding ``mention`` begins: its sentence's start, or after a
    bullet, a run of spaces (a list's line) or a colon or semicolon before it."""
    sentence = mention.sent
    boundaries = list(_CLAUSE_BOUNDARY.finditer(doc.text, sentence.start_char, mention.start_char))
    if not boundaries:
        return sentence.start
    span = doc.doc.char_span(boundaries[-1].end(), mention.start_char, alignment_mode="expand")
    return span.start if span is not None else sentence.start


def _association_rule(doc: Doc, clause_start: int, symptom: Span, condition: Span) -> str:
    """``symptom_list``, or the rule of a direct denial: "dementia ... does not cause
    hallucinations", "People with X typically do not have any muscle weakness"
    (``C_does_not_cause_S``), "Fever is not a symptom of migraine" (``S_is_not_a_symptom_of_C``).
    A subgroup's denial ("people with diabetes who did not have high blood pressure"), one of a
    qualified subject ("Milder forms of X do not involve ...", "In its early
    stages, X does not cause ...") or one that merely falls on a list item is no direct denial:
    only direct denials can contradict another source (claims.conflicts)."""
    if symptom.end <= condition.start and _NOT_A_SYMPTOM_OF.match(doc.text[symptom.end_char:condition.start_char]):
        return "S_is_not_a_symptom_of_C"
    if (span_value(symptom, "negated") and condition.end <= symptom.start
            and _DIRECT_DENIAL.match(doc.text[condition.end_char:symptom.start_char])
            and not _QUALIFIED_SUBJECT.search(doc.text[clause_start:condition.start_char])):
        return "C_does_not_cause_S"
    return "symptom_list"


def _condition_of_population_before(doc: Doc, stat: Span) -> Span | None:
    """The condition in "people with <C> <stat>" right before the figure, if that is how it reads."""
    for condition in doc.ents_in(stat.start - 12, stat.start, "CONDITION"):
        if 0 <= stat.start - condition.end <= 1:
            if _POPULATION_BARE.search(doc.text[max(0, condition.start_char - 60):condition.start_char]):
                return condition
    return None


NARROWING_LOOKAHEAD = 4


class _Groups:
    """Coordinated symptom groups of one sentence, in order, found by position in O(log n)."""

    def __init__(self, groups: list[list[Span]]):
        self.groups = groups
        self._ends = [g[-1].end for g in groups]
        self._starts = [g[0].start for g in groups]

    def last_ending_by(self, token: int) -> list[Span] | None:
        index = bisect_right(self._ends, token)
        return self.groups[index - 1] if index else None

    def first_starting_from(self, token: int) -> list[Span] | None:
        index = bisect_left(self._starts, token)
        return self.groups[index] if index < len(self.groups) else None


class _Conditions:
    """CONDITION mentions of one sentence, found by position in O(log n)."""

    def __init__(self, spans: list[Span]):
        self.spans = spans
        self._starts = [c.start for c in spans]

    def starting_from(self, token: int, count: int) -> list[Span]:
        index = bisect_left(self._starts, token)
        return self.spans[index:index + count]

    def nearest(self, stat: Span) -> Span | None:
        index = bisect_left(self._starts, stat.start)
        candidates = self.spans[max(0, index - 1):index + 1]
        return min(candidates, key=lambda s: abs(s.start - stat.start)) if candidates else None


def _nearest_shares_only(claims: list[ClaimOccurrence], text: str, hedges: set[tuple[int, int]]) -> list[ClaimOccurrence]:
    """``claims`` without a share's link to a symptom that a nearer share before it counts too.

    The nearer share, followed by a verb of having, heads the symptom's own clause; the
    farther one reached it through a pattern spanning both clauses: "Most people with cyclic
    vomiting syndrome have normal intelligence, although some affected people have
    developmental delay" (not most), "Many affected individuals have small ears, and about 60
    percent have hearing loss" (not many), "typically have at least three of these features;
    between 50 and 80 percent have a tracheoesophageal fistula". A frequency word that only
    describes an item heads nothing ("about 10 percent of people can have severe symptoms,
    such as frequent, bloody bowel movements; fevers"), and a frequency adverb (``hedges``) heads
    no clause of its own ("About 70 percent of people with celiac disease usually have diarrhea"
    keeps its 70 percent); figures after the symptom are another reading and stay."""
    def before_symptom(claim: ClaimOccurrence) -> bool:
        return (claim.measure in _SHARE_MEASURES and claim.symptom is not None and claim.statistic is not None
                and claim.statistic[1] <= claim.symptom[0])

    nearest: dict[tuple[int, int], int] = {}
    for claim in filter(before_symptom, claims):
        if claim.statistic not in hedges and _HAVE_VERB.match(text[claim.statistic[1]:claim.symptom[0]]):
            nearest[claim.symptom] = max(nearest.get(claim.symptom, -1), claim.statistic[0])
    return [claim for claim in claims if not (before_symptom(claim) and claim.statistic[0] < nearest.get(claim.symptom, -1))]


class ClaimBuilder(BatchedPipe):
    """Builds ``doc._.claims`` from entities, statistics and ConText flags."""

    def __init__(self, concept_lookup: ConceptLookup | None = None):
        self.concept_lookup = concept_lookup

    def __call__(self, original: Doc) -> Doc:
        doc = _DocView(original)
        claims: list[ClaimOccurrence] = []
        statistics = sorted(original.spans.get(STATISTICS_KEY, []), key=lambda s: s.start)
        statistic_starts = [s.start for s in statistics]
        sentences = all_sentences(original)
        list_condition: Span | None = None
        cause_list: list[Span] | None = None  # the symptoms of "Conditions that can cause <S> include:"
        previous_conditions: list[Span] = []
        relabelled: list[Span] = []
        unlinked_figures: set[int] = set()  # the starts of sentences with figures that count none of their symptoms
        topic_listed = False  # whether the sentence before listed features of the page's condition
        for index, sent in enumerate(sentences):
            topic_listed_before, topic_listed = topic_listed, False
            symptoms = doc.ents_in(sent.start, sent.end, "SYMPTOM")
            conditions = doc.ents_in(sent.start, sent.end, "CONDITION")
            lowered = doc.text_of(sent).lower() if conditions else ""
            if any(word in lowered for word in _COMPARISON_WORDS):
                conditions = [c for c in conditions if not _named_in_comparison(doc, sent, c)]
            subject = self._phenotype_subject(doc, sent, conditions)
            if subject is not None:
                doc.relabel(subject)
                relabelled.append(subject)
                symptoms, conditions = doc.ents_in(sent.start, sent.end, "SYMPTOM"), conditions[1:]
            in_sentence = statistics[bisect_left(statistic_starts, sent.start):bisect_left(statistic_starts, sent.end)]
            if not (symptoms or conditions or in_sentence):  # nothing to link (44 % of MedQuAD's sentences): what carries over ends
                list_condition = cause_list = None
                previous_conditions = []
                continue
            stats = [s for s in in_sentence if self._is_symptom_figure(doc, s)]
            rows = self._table_rows(doc, sent, stats)
            if rows:
                owner = self._table_owner(doc, sentences, index)
                if owner is not None:
                    phenotypes = self._as_phenotypes(doc, [cell for cell, _ in rows], relabelled)
                    claims += [self._table_occurrence(doc, sent, cell, owner, stat) for cell, (_, stat) in zip(phenotypes, rows)]
                continue
            if stats and _TABLE_HEADER.match(doc.text_of(sent)):
                stats = []  # figures of cells the terminology does not know: not the next cell's, which is an item
            items = [] if stats else self._phenotype_list_items(doc, sent)
            owner = self._table_owner(doc, sentences, index) if items else None
            if owner is not None:
                claims += [self._occurrence(doc, sent, item, owner, None, "association", "", "phenotype_list") for item in self._as_phenotypes(doc, items, relabelled)]
                continue
            if stats:
                counted = self._counted_items(doc, sent, symptoms, conditions) if conditions and symptoms else []
                if counted:  # (read before the groups: an item splits a coordination of symptoms)
                    symptoms = self._with_phenotypes(doc, symptoms, counted, relabelled)
                    conditions = [c for c in conditions if c not in counted]
                groups = _Groups(self._coordination_groups(doc, self._linkable(doc, sent, symptoms)))
                indexed_conditions = _Conditions(self._not_listed_with_symptoms(doc, conditions, symptoms))
            linked = _nearest_shares_only([claim for stat in stats for claim in self._link_statistic(doc, sentences, index, stat, groups, indexed_conditions, relabelled)],
                                          doc.text, {(s.start_char, s.end_char) for s in stats if is_hedge_adverb(span_value(s, "statistic"))})
            claims += linked
            if stats and not linked:
                unlinked_figures.add(sent.start_char)
            # a sentence whose figures count none of its symptoms is read as one without figures
            # ("Some affected individuals have dental abnormalities such as widely spaced teeth"),
            # as is one whose figures are its condition's own ("Symptoms of stroke may include: …
            # As many as 24 percent … may suffer a clinical stroke by age 45": the list's item
            # lines and the line after them are one sentence)
            glosses = _glosses_among(doc, symptoms, conditions) if symptoms and conditions else 0
            if all(claim.symptom is None for claim in linked) and symptoms and not _TITLE.search(doc.text_of(sent)):
                # (a list of features with no condition before it is the page's: "Characteristic facial features may include …")
                features_listed = topic_listed_before or (not previous_conditions and _lists_features(doc, sent, symptoms[0]))
                earlier = list_condition or next(iter(previous_conditions), None) or (
                    doc.topic if features_listed and doc.topic is not None and doc.topic.start < sent.start else None)
                if len(conditions) > glosses and _LIST_CUE.search(doc.text_of(sent)) and not self._items_only(doc, sent, symptoms, conditions, earlier, glosses):
                    for start_char, end_char, clause_symptoms, clause_conditions in self._by_clause(doc.text, sent, symptoms, conditions):
                        condition = self._list_owner(doc, start_char, end_char, clause_symptoms, clause_conditions)
                        if condition is not None:
                            items = self._with_listed_phenotypes(doc, clause_symptoms, clause_conditions, condition, relabelled)
                            claims += self._clause_associations(doc, sent, start_char, items, condition)
                        else:
                            claims += self._owned_after(doc, sent, start_char, end_char, clause_symptoms, clause_conditions)
                    cause_list = self._cause_list_heading(doc, sent, symptoms)
                    has_colon = ":" in doc.text_of(sent)
                    list_condition = self._list_owner(doc, sent.start_char, sent.end_char, symptoms, conditions) if has_colon else None
                    previous_conditions = conditions
                    continue
                cause_list = None
                # (a condition among the items is one more item: "- personality changes - depression")
                listed = self._listed_phenotype_items(doc, symptoms, conditions, list_condition) if list_condition is not None and conditions else []
                if list_condition is not None and len(listed) + glosses == len(conditions):
                    items = self._with_phenotypes(doc, symptoms, listed, relabelled)
                    claims += [self._occurrence(doc, sent, s, list_condition, None, "association", "", "list_after_heading") for s in items]
                    continue
                if (previous_conditions or features_listed) and _LIST_CUE.search(doc.text_of(sent)):
                    owners, rule = self._previous_owners(doc, sent, previous_conditions), "condition_from_previous_sentence"
                    if not owners and doc.topic is not None and doc.topic.start < sent.start:
                        owners, rule = [doc.topic], "condition_from_topic"  # the sentence before named the page's features, this one goes on with them
                    if len({span_value(c, "concept_id") for c in owners}) == 1 and not self._lists_no_symptoms(doc, sent, symptoms[0]):
                        listed = self._listed_phenotype_items(doc, symptoms, conditions, owners[0]) if conditions else []
                        if len(listed) + glosses == len(conditions) and len(symptoms) + len(listed) >= 2:
                            items = self._with_phenotypes(doc, symptoms, listed, relabelled)
                            claims += [self._occurrence(doc, sent, s, owners[0], None, "association", "", rule) for s in items]
                            topic_listed = rule == "condition_from_topic"
                            continue
            if cause_list is not None and not symptoms and not stats:
                continued = self._cause_list_items(doc, sent, cause_list, conditions)
                claims += continued
                cause_list = cause_list if continued else None
            elif symptoms or stats:
                cause_list = None
            list_condition = conditions[0] if (conditions and not symptoms and not stats and _HEADING.search(doc.text_of(sent))) else None
            # (conditions that only gloss the sentence's symptoms name features: a list next takes
            # the page's condition, as after "Craniosynostosis may also occur.")
            previous_conditions = conditions if not symptoms or (conditions and glosses == len(conditions)) else []
            owners_linked = {claim.condition for claim in linked}
            if len(owners_linked) == 1 and not previous_conditions:
                # the one condition whose people the figures counted owns a list next, as a
                # sentence without figures that lists its features does: "…, but most also have
                # behavioral problems. These include frequent temper tantrums and outbursts"
                previous_conditions = [c for c in conditions if (c.start_char, c.end_char) in owners_linked]
        if relabelled:
            by_offsets = {(cell.start, cell.end): cell for cell in relabelled}
            original.set_ents([by_offsets.get((e.start, e.end), e) for e in doc.ents])
        meaningful = [c for c in self._without_negated_conditions(doc, claims) if not (
            self._names_its_condition(doc, c) or _had_by_relatives(doc, c) or _another_disease(doc, c)
            # "Most people with prothrombin thrombophilia never develop abnormal blood clots": some do
            or (c.negated and c.sentence_start in unlinked_figures))]
        original._.claims = self._unique(meaningful)
        return original

    def _phenotype_subject(self, doc: Doc, sent: Span, conditions: list[Span]) -> Span | None:
        """The sentence's first mention, a condition, as its HPO phenotype when the predicate
        makes it a symptom of another condition (``_PHENOTYPE_OF_NAMED``, ``_PHENOTYPE_OF_TOPIC``):
        "Strokes are the main feature of CADASIL". None when it is not, or has no phenotype reading."""
        if not conditions:
            return None
        subject = conditions[0]
        if not _SUBJECT_OPENING.fullmatch(doc.text, sent.start_char, subject.start_char) or doc.ents_in(sent.start, subject.start):
            return None
        named = conditions[1] if len(conditions) > 1 else None
        if not (_PHENOTYPE_OF_TOPIC.match(doc.text, subject.end_char, sent.end_char)
                or (named is not None and _PHENOTYPE_OF_NAMED.fullmatch(doc.text, subject.end_char, named.start_char))):
            return None
        phenotype = self._as_phenotype(doc, subject)
        return phenotype if phenotype is not subject else None

    @staticmethod
    def _lists_no_symptoms(doc: Doc, sent: Span, first: Span) -> bool:
        """ "Side effects may include fatigue, dry mouth, …", "This test is done to find the cause
        of symptoms, such as shortness of breath and chest pain", "effective at treating anxiety,
        …": what the sentence lists before
        its first symptom says these are no condition's symptoms, so they borrow no owner."""
        return bool(_NOT_SYMPTOMS.search(doc.text, sent.start_char, first.start_char) or _EXAMINATION_AIM.search(doc.text, sent.start_char, first.start_char)
                    or _TREATED_BEFORE.search(doc.text, max(sent.start_char, first.start_char - 24), first.start_char))

    def _owned_after(self, doc: Doc, sent: Span, start_char: int, end_char: int, symptoms: list[Span], conditions: list[Span]) -> list[ClaimOccurrence]:
        """Associations of a clause whose owners follow its symptoms: the causes a cue lists
        (``causes_of_S_include_C``) or the condition an appositive names (``S_an_C_symptom``).
        A clause that lists risk factors or side effects has none, as for ``_list_owner``."""
        if _NOT_SYMPTOMS.search(doc.text, start_char, end_char):
            return []
        found = self._cause_cue(doc, start_char, end_char, symptoms)
        if found is not None:
            # the items after the cue are causes whatever the terminology calls them ("low blood
            # pressure", "alcoholism"): a condition is listed among the symptoms only when it is
            # coordinated with the symptoms whose causes these are
            group, cue_end = found
            causes = sorted(group + conditions, key=lambda e: e.start)
            owners = [c for c in conditions if c.start_char >= cue_end and _may_own(doc, c, causes)]
            return [self._occurrence(doc, sent, s, c, None, "association", "", "causes_of_S_include_C") for c in owners for s in group]
        claims, entities = [], sorted(symptoms + conditions, key=lambda e: e.start)
        for group in self._coordination_groups(doc, symptoms):
            owner = next((c for c in conditions if _APPOSITIVE_OPEN.match(doc.text[group[-1].end_char:c.start_char])
                          and _SYMPTOM_NOUN_AFTER.match(doc.text[c.end_char:c.end_char + 20]) and _may_own(doc, c, entities)), None)
            claims += [self._occurrence(doc, sent, s, owner, None, "association", "", "S_an_C_symptom") for s in group] if owner else []
        return claims

    def _cause_cue(self, doc: Doc, start_char: int, end_char: int, symptoms: list[Span]) -> tuple[list[Span], int] | None:
        """(the symptoms, the end of the cue) when a clause names their causes after them:
        "Causes of <S> include", "Conditions that can cause <S> include:", "<S> can be caused by"."""
        for group in self._coordination_groups(doc, symptoms):
            after = doc.text[group[-1].end_char:end_char]
            cue = _CAUSED_BY_AFTER.match(after)
            if cue is None and _CAUSES_OF_BEFORE.search(doc.text[max(start_char, group[0].start_char - 100):group[0].start_char]):
                cue = _INCLUDE_AFTER.match(after)
            if cue is not None:
                return group, group[-1].end_char + cue.end()
        return None

    def _cause_list_heading(self, doc: Doc, sent: Span, symptoms: list[Span]) -> list[Span] | None:
        """The symptoms of a sentence ending in "Conditions that can cause <S> include:" (its
        list goes on in the next sentences), else None."""
        found = self._cause_cue(doc, sent.start_char, sent.end_char, symptoms)
        return found[0] if found is not None and _COLON_AFTER.match(doc.text[found[1]:found[1] + 5]) else None

    def _cause_list_items(self, doc: Doc, sent: Span, symptoms: list[Span], conditions: list[Span]) -> list[ClaimOccurrence]:
        """A sentence that goes on with the list of "Conditions that can cause <S> include:"
        ("Neuropathy or damage to the nerve ..."): it begins with a condition, which (and the
        conditions coordinated with it) causes the symptoms."""
        if not conditions or doc.text[sent.start_char:conditions[0].start_char].strip(" -•\n\t"):
            return []
        if _NOT_SYMPTOMS.search(doc.text, sent.start_char, sent.end_char):
            return []
        items = [conditions[0], *_coordinated(doc, conditions, 0, 1)]
        owners = [c for c in items if _may_own(doc, c, conditions)]
        return [self._occurrence(doc, sent, s, c, None, "association", "", "causes_of_S_include_C") for c in owners for s in symptoms]

    def _previous_owners(self, doc: _DocView, sent: Span, conditions: list[Span]) -> list[Span]:
        """The previous sentence's conditions that may own this sentence's symptoms: not one that
        those with the page's condition have (:func:`_had_by_the_affected`), nor, on a page about
        another condition, one with an HPO phenotype reading ("… a large head (macrocephaly).",
        "… drooping eyelids (ptosis)": the page's features, not whose features the next sentence
        lists) but one named with a form ("Most people with this type of non-Hodgkin lymphoma
        …": the page's condition by its class); unless this sentence refers back to it before
        its first symptom ("… develop a group of movement abnormalities called parkinsonism.
        These abnormalities include …", "… develop glaucoma. This may cause vision loss")."""
        first = next(iter(doc.ents_in(sent.start, sent.end, SYMPTOM)), None)
        topic = doc.topic
        back = _REFERS_BACK.search(doc.text, sent.start_char, first.start_char if first is not None else sent.end_char)
        named_disease = back is not None and topic is not None and _DISEASE_ANAPHOR.fullmatch(back.group())
        if back is not None and not (named_disease and _ANAPHOR_OF_PEOPLE_BEFORE.search(doc.text, max(0, back.start() - 12), back.start())):
            # ("This condition is characterized by …" after a sentence naming the page's condition and a feature: the page's)
            return ([c for c in conditions if span_value(c, "concept_id") == span_value(topic, "concept_id")] or conditions) if named_disease else conditions
        return [c for c in conditions if not _had_by_the_affected(doc, c) and (
            topic is None or span_value(c, "concept_id") == span_value(topic, "concept_id") or self._phenotype_reading(doc, c) is None
            or fused_form(doc.text, c.start_char))]

    def _with_listed_phenotypes(self, doc: _DocView, symptoms: list[Span], conditions: list[Span], owner: Span,
                                relabelled: list[Span]) -> list[Span]:
        """The symptoms of a list clause with its :meth:`_listed_phenotype_items`."""
        return self._with_phenotypes(doc, symptoms, self._listed_phenotype_items(doc, symptoms, conditions, owner), relabelled)

    def _listed_phenotype_items(self, doc: _DocView, symptoms: list[Span], conditions: list[Span], owner: Span) -> list[Span]:
        """The :meth:`_phenotype_items` of ``owner``'s symptom list but the owner's concept; none
        when the owner is a class that lists its kinds ("Mental disorders include … depression")."""
        if _lists_its_kinds(doc, owner):
            return []
        return [c for c in self._phenotype_items(doc, symptoms, conditions) if span_value(c, "concept_id") != span_value(owner, "concept_id")]

    def _phenotype_items(self, doc: _DocView, symptoms: list[Span], conditions: list[Span]) -> list[Span]:
        """The items of a symptom list that the terminology calls conditions ("include seizures,
        ataxia and microcephaly": epilepsy, microcephaly) and that have an HPO phenotype reading;
        not one named as an owner ("the classic signs of SCID, including …"), a denied item, nor
        one glossing a symptom (the same item twice)."""
        entities = sorted(symptoms + conditions, key=lambda e: e.start)
        return [c for c in conditions
                if not _is_denied(doc, c) and not _named_as_owner(doc, c) and not _glosses_symptom(doc, c, entities)
                and _is_listed_among(doc, c, entities) and self._phenotype_reading(doc, c) is not None]

    def _counted_items(self, doc: _DocView, sent: Span, symptoms: list[Span], conditions: list[Span]) -> list[Span]:
        """The :meth:`_phenotype_items` of a sentence with figures ("About 40 percent of people
        with Aicardi syndrome have ataxia, seizures, and hypotonia"); none in a list of causes or
        of a class's kinds. The figure goes to the nearest item, so an item that is one with the
        symptom glossing it ("Severe nearsightedness (high myopia) is common") or that only may
        come with another ("A cleft lip with or without a cleft palate is present in about half")
        is none."""
        if _CAUSES_LISTED.search(doc.text, sent.start_char, sent.end_char) or any(_lists_its_kinds(doc, c) for c in conditions):
            return []
        entities = sorted(symptoms + conditions, key=lambda e: e.start)
        return [c for c in self._phenotype_items(doc, symptoms, conditions)
                if not _glossed_by_symptom(doc, c, entities) and not _WITH_OR_WITHOUT_BEFORE.search(doc.text, max(0, c.start_char - 30), c.start_char)]

    def _items_only(self, doc: _DocView, sent: Span, symptoms: list[Span], conditions: list[Span], earlier: Span | None, glosses: int) -> bool:
        """Whether a list sentence after a heading, a condition's sentence or a list of the page's
        features names no condition but its items ("This can cause problems such as tremor,
        depression and personality changes") and ``glosses`` (:func:`_glosses_among`): its owner
        is the ``earlier`` one, as when the terminology calls every item a symptom. Not a list of
        causes ("Other causes include thyroid nodules, thyroiditis, …")."""
        if earlier is None:
            return False
        if _CAUSES_LISTED.search(doc.text, sent.start_char, sent.end_char) or self._cause_cue(doc, sent.start_char, sent.end_char, symptoms) is not None:
            return False
        return len(self._listed_phenotype_items(doc, symptoms, conditions, earlier)) + glosses == len(conditions)

    def _with_phenotypes(self, doc: _DocView, symptoms: list[Span], items: list[Span], relabelled: list[Span]) -> list[Span]:
        """``symptoms`` and ``items`` read as their phenotypes, relabelled so in ``doc``, in text order."""
        if not items:
            return symptoms
        phenotypes = self._as_phenotypes(doc, items, relabelled)
        for phenotype in phenotypes:
            doc.relabel(phenotype)
        return sorted(symptoms + phenotypes, key=lambda e: e.start)

    def _clause_associations(self, doc: Doc, sent: Span, clause_start: int, symptoms: list[Span], condition: Span) -> list[ClaimOccurrence]:
        """One association per symptom of a list clause but the condition's named causes; a symptom
        coordinated with a directly denied one ("do not have any skeletal muscle weakness or
        wasting") is denied the same way."""
        claims, previous = [], None
        for symptom in symptoms:
            if _named_as_its_cause(doc, condition, symptom):
                continue
            rule = _association_rule(doc, clause_start, symptom, condition)
            if (rule == "symptom_list" and previous is not None and previous.rule != "symptom_list" and span_value(symptom, "negated")
                    and _COORDINATION.match(doc.text[previous.symptom[1]:symptom.start_char])):
                rule = previous.rule
            previous = self._occurrence(doc, sent, symptom, condition, None, "association", "", rule)
            claims.append(previous)
        return claims

    @staticmethod
    def _without_negated_conditions(doc: Doc, claims: list[ClaimOccurrence]) -> list[ClaimOccurrence]:
        """A sentence that denies the condition ("occur in the absence of cancer", "people without
        diabetes") says nothing about a symptom in it: neither that it occurs nor that it does not."""
        denied = {(e.start_char, e.end_char) for e in doc.ents if e.label_ != SYMPTOM and _is_denied(doc, e)}
        return [c for c in claims if c.condition not in denied] if denied else claims

    def _as_phenotypes(self, doc: Doc, cells: list[Span], relabelled: list[Span]) -> list[Span]:
        """:meth:`_as_phenotype` of each cell; the cells it relabelled are added to ``relabelled``."""
        phenotypes = [self._as_phenotype(doc, cell) for cell in cells]
        relabelled += [phenotype for phenotype, cell in zip(phenotypes, cells) if phenotype is not cell]
        return phenotypes

    @staticmethod
    def _phenotype_list_items(doc: Doc, sent: Span) -> list[Span]:
        """The mentions that are whole items of a GARD phenotype list without figures
        ("Signs and Symptoms Approximate number of patients (when available) Ataxia - Dementia -
        ..."): HPO's annotations of the disease named above it, every item a phenotype."""
        if not _TABLE_HEADER.match(doc.text_of(sent)):
            return []
        return [
            e for e in doc.ents_in(sent.start, sent.end)
            if _ITEM_END.match(doc.text, e.end_char) and _ITEM_START.search(doc.text[max(sent.start_char, e.start_char - 20):e.start_char])
        ]

    def _phenotype_reading(self, doc: Doc, condition: Span) -> Concept | None:
        """The HPO phenotype a condition mention names: by its text, else by its concept's name
        ("Angina" is ICD-10-CM's Angina pectoris, which HPO names too: HP:0001681)."""
        if self.concept_lookup is None:
            return None
        reading = self.concept_lookup(doc.text_of(condition), SYMPTOM, phenotype=True)
        name = span_value(condition, "concept_name")
        if reading is None and name and name.lower() != doc.text_of(condition).lower():
            reading = self.concept_lookup(name, SYMPTOM, phenotype=True)
        return reading

    def _as_phenotype(self, doc: Doc, cell: Span) -> Span:
        """A phenotype table's first cell as a SYMPTOM mention: the column holds HPO terms by
        construction, so a term the lexicon resolved to a disease ("Abnormality of movement",
        DOID:480) takes the HPO reading of the same text (HP:0100022). A cell without one is
        kept as found; its evidence then names it by that label, never a mention that is not there."""
        if cell.label_ == SYMPTOM:
            return cell
        reading = self._phenotype_reading(doc, cell)
        if reading is None:
            return cell
        return set_concept(Span(doc.doc, cell.start, cell.end, label=SYMPTOM), reading, span_value(cell, "match_source"))

    def _table_occurrence(self, doc: Doc, sent: Span, cell: Span, owner: Span, stat: Span) -> ClaimOccurrence:
        """A table row's claim; a figure that stands for a frequency class takes the class's range.

        So a table's "90 %" (very frequent, 80-99 %) contradicts neither a source's 85 % nor
        HPO's own "very frequent".
        """
        occurrence = self._occurrence(doc, sent, cell, owner, stat, "prevalence", "", "frequency_table")
        figure = span_value(stat, "statistic")
        if figure.unit == "proportion" and figure.value_low == figure.value_high:
            printed_class = GARD_PRINTED_CLASSES.get(round(figure.value_low, 4))
            if printed_class:
                occurrence = replace(occurrence, interval=(printed_class.low, printed_class.high))
        return occurrence

    @staticmethod
    def _table_rows(doc: Doc, sent: Span, stats: list[Span]) -> list[tuple[Span, Span]]:
        """(phenotype, figure) pairs when the sentence is a table of "<entity> <figure>" rows."""
        rows = []
        for stat in stats:
            entity = next((e for e in doc.ents_in(sent.start, stat.start) if e.end == stat.start), None)
            if entity is not None and span_value(stat, "statistic").kind == "proportion":
                rows.append((entity, stat))
        return rows if len(rows) >= TABLE_MIN_ROWS or _TABLE_HEADER.match(doc.text_of(sent)) else []

    @staticmethod
    def _table_owner(doc: Doc, sentences, index: int) -> Span | None:
        """The disease a phenotype table is about: "... signs and symptoms for <C>." just before it.
        The mention must be the whole name: "for Microphthalmia with linear skin defects" is
        not a table about microphthalmia."""
        for previous in reversed(sentences[max(0, index - 4):index]):
            for condition in doc.ents_in(previous.start, previous.end, "CONDITION"):
                names_whole_disease = not doc.text[condition.end_char:previous.end_char].strip(" .\n")
                if names_whole_disease and _TABLE_OWNER.search(doc.text[previous.start_char:condition.start_char]):
                    return condition
        return None

    @staticmethod
    def _names_its_condition(doc: Doc, claim: ClaimOccurrence) -> bool:
        """Whether the symptom is the condition itself or the kind of it the condition is named
        for: the same concept, a shared cross-reference, or the symptom's name inside the
        condition's ("Diarrhea" in "acute diarrhea", "Spastic paraplegia" in "hereditary
        spastic paraplegia", "osteochondromas" in "multiple osteochondromas"). Such a claim
        says nothing about a symptom in a condition: its figures were the condition's own
        (how long acute diarrhea lasts, which subtype accounts for how many cases)."""
        if claim.symptom is None or claim.condition is None:
            return False
        symptom, condition = doc.entity_at(claim.symptom), doc.entity_at(claim.condition)
        symptom_ids = {claim.symptom_id, *span_value(symptom, "xrefs")} - {None}
        condition_ids = {claim.condition_id, *span_value(condition, "xrefs")} - {None}
        if symptom_ids & condition_ids:
            return True
        symptom_names = {claim.symptom_name, doc.text_of(symptom)}
        condition_names = {claim.condition_name, doc.text_of(condition)}
        return any(_contains_words(whole, part) for part in symptom_names for whole in condition_names)

    @staticmethod
    def _not_listed_with_symptoms(doc: Doc, conditions: list[Span], symptoms: list[Span]) -> list[Span]:
        """Conditions a figure can be about: not one coordinated with a symptom ("delayed
        development and intellectual disability", "Seizures, delayed development, behavioral
        problems"), which is one more feature in the list, not whose features they are; unless
        named as their owner ("In people with multiple sclerosis, muscle spasm episodes ...")."""
        entities = sorted(symptoms + conditions, key=lambda e: e.start)
        return [c for c in conditions if not _is_listed_among(doc, c, entities) or _named_as_owner(doc, c)]

    @staticmethod
    def _unique(claims: list[ClaimOccurrence]) -> list[ClaimOccurrence]:
        """One occurrence per sentence and (symptom, condition, figure, measure): repeated mentions add nothing."""
        seen, unique = set(), []
        for claim in claims:
            key = (claim.sentence_start, claim.symptom_id or claim.symptom_name, claim.condition_id or claim.condition_name, claim.statistic, claim.measure)
            if key not in seen:
                seen.add(key)
                unique.append(claim)
        return unique

    @staticmethod
    def _by_clause(text: str, sent: Span, symptoms: list[Span], conditions: list[Span]):
        """(start_char, end_char, symptoms, conditions) of each clause that has both."""
        breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text, sent.start_char, sent.end_char)] + [sent.end_char]
        start = sent.start_char
        for end in breaks:
            inside = [s for s in symptoms if start <= s.start_char < end], [c for c in conditions if start <= c.start_char < end]
            if all(inside) and _LIST_CUE.search(text[start:end]):
                yield (start, end, *inside)
            start = end

    @staticmethod
    def _linkable(doc: Doc, sent: Span, symptoms: list[Span]) -> list[Span]:
        """Symptoms that can be what a figure is about: not a parenthetical alias of the
        previous mention ("Muscle spasms (also called cramps)"), not inside a relative clause
        ("Spasticity, which causes muscle stiffness, affects ...") or a parenthesis defining the
        mention before it ("in rare cases of Noonan syndrome (a developmental disorder
        characterized by ... short stature ...)"), not what a treatment is for ("pain medication")."""
        relative = [(sent.start_char + m.start(), sent.start_char + m.end())
                    for pattern in (_RELATIVE_CLAUSE, _DEFINING_PARENTHESIS) for m in pattern.finditer(doc.text_of(sent))]
        kept = []
        for symptom in symptoms:
            if any(start < symptom.start_char < end for start, end in relative):
                continue
            if _TREATMENT_NOUN_AFTER.match(doc.text, symptom.end_char):
                continue
            before = doc.text[sent.start_char:symptom.start_char]
            if kept and _PARENTHETICAL_OPEN.match(before[kept[-1].end_char - sent.start_char:]):
                continue
            kept.append(symptom)
        return kept

    @staticmethod
    def _is_symptom_figure(doc: Doc, stat: Span) -> bool:
        """Whether a figure can be about a symptom at all. Not: the share of cases a cause
        accounts for (before the figure or after it), the share of a variant's carriers, the
        items of a list, people counted as having no symptoms, a comparison with others or with
        the general population of the same age, a count
        of case reports, a condition's own figure in parentheses, a time span no verb of lasting
        governs or that a treatment or a pause takes, an age where nothing begins, a person's measured value, a change, the
        age of the people counted, a superlative ranking a symptom's kinds, a frequency word
        that qualifies a disease ("a rare disease") or says who in the general population gets
        something ("most common in women"); a frequency adverb only in the
        constructions named above (see the patterns' comments)."""
        kind = span_value(stat, "statistic").kind
        before = doc.text[max(0, stat.start_char - FIGURE_CONTEXT_CHARS):stat.start_char]
        following = doc.text[stat.end_char:stat.end_char + FIGURE_CONTEXT_CHARS]
        if kind == "count" and _REPORTED_IN_BEFORE.search(before):
            return False
        further = doc.text[stat.end_char:stat.end_char + COURSE_CONTEXT_CHARS]
        if (_SHARE_OF_CASES_BEFORE.search(before) or _COMPARISON_BEFORE.search(before) or _CASES_CAUSED_AFTER.match(further)
                or _COURSE_AFTER_FIGURE.match(further) or _COURSE_BEFORE_FIGURE.search(before[-24:])
                or _LIST_ITEMS_AFTER.match(following)
                or _CARRIERS_AFTER.match(following) or _SAME_AGE_AFTER.match(following)
                or _NO_SYMPTOMS_AFTER.match(following) or _counts_a_condition_before(doc, stat)):
            return False
        if kind == "duration":
            if _CONDITIONAL_BEFORE.search(before):
                return False
            return bool((_LASTING_BEFORE.search(before) and not _NOT_LASTING_BEFORE.search(before)) or _LASTING_AFTER.match(following))
        if kind == "age":
            if _NOT_ONSET.search(before) or _RISK_IN_SENTENCE.search(doc.text, stat.sent.start_char, stat.start_char) or not (_ONSET_CUE.search(doc.text, max(0, stat.start_char - ONSET_CUE_CHARS), stat.start_char)
                                                 or _ONSET_CUE.search(following)):
                return False  # "Death usually occurs by age 3", "doxycycline ... children younger than 8 years"
            group = _GROUP_AGE_BEFORE.search(before)
            return group is None or (not group["described"] and (group["preposition"] or "").lower() in _OCCURRENCE_PREPOSITIONS)
        if kind == "proportion" and _cue_outside_mentions(doc, stat, before, _MEASUREMENT_BEFORE.search(before)):
            return False  # "an A1C level of 5.7 to 6.4 percent", "an ejection fraction below 40%": a value measured in a person
        if kind in ("proportion", "frequency_word") and _states_a_change(doc, stat, before):
            return False  # "Treatment reduced fatigue by 30%", "may reduce itching for some individuals with PV"
        if kind != "frequency_word":
            return True
        figure = doc.text_of(stat)  # (Span.text builds a Token per token)
        if _is_elliptical_share(doc, stat):
            return True
        if _SUPERLATIVE.match(figure) and doc.ents_in(stat.end, stat.end + 1, "SYMPTOM"):
            return False
        next_condition = any(_ADJACENT.match(doc.text[stat.end_char:e.start_char]) for e in doc.ents_in(stat.end, stat.end + 3, "CONDITION"))
        adjective = _ADJECTIVAL_FREQUENCY.fullmatch(figure.split()[-1])
        if next_condition or (_DISEASE_WORD_AFTER_ADJECTIVES if adjective else _DISEASE_WORD_AFTER).match(following):
            return False
        if adjective and _DEMOGRAPHIC_AFTER.match(following):
            return False
        if adjective and _ATTRIBUTIVE.match(following) and not _SYMPTOM_KIND_AFTER.match(following) and (
                _EPISODE_ADJECTIVE.fullmatch(adjective.group()) or not _modifies_symptom(doc, stat)):
            # "frequent bowel movements", "common things": it says how often something else is;
            # "frequent headaches", "occasional seizures": how often one person has them, not how many do
            return False
        if _ADJECTIVAL_FREQUENCY.search(figure) and not figure.lower().endswith("ly"):
            return True
        if figure.split()[-1].lower() in _GROUP_WORDS:  # "many people", "some patients"
            return True
        if _ADVERB_TO_SYMPTOM.match(following):
            return True
        return _condition_of_population_before(doc, stat) is not None

    def _link_statistic(self, doc, sentences, index, stat, groups: "_Groups", conditions: "_Conditions", relabelled: list[Span]) -> list[ClaimOccurrence]:
        """The claims of one figure; a condition read as the symptom it counts
        (:meth:`_condition_as_symptom`) is added to ``relabelled``."""
        sent = sentences[index]
        measure = MEASURE_OF_KIND[span_value(stat, "statistic").kind]
        if measure in _SHARE_MEASURES and _SHARE_OF_A_THING.match(doc.text, stat.end_char):
            return []
        before, after = groups.last_ending_by(stat.start), groups.first_starting_from(stat.end)
        if after and _POPULATION_WITH_SYMPTOM.match(doc.text[stat.end_char:after[0].start_char]):
            after = None  # "most children with growth failure grow ...": who is counted, not what
        elif after and _SYMPTOMS_OF_BETWEEN.match(doc.text[stat.end_char:after[0].start_char]):
            after = groups.first_starting_from(after[-1].end)  # "The most common symptoms of gas are burping …": whose symptoms, not one of them
        group = None
        condition, population, rule, named_by = self._condition_after(doc, stat, conditions)
        if condition is not None:
            following = groups.first_starting_from(named_by.end)
            if following and _CAUSE_CUE_BEFORE.search(doc.text, named_by.end_char, following[0].start_char):
                following = None  # "15 percent of adults with AATD develop cirrhosis due to the formation of scar tissue": a cause
            if following and _HAVE_VERB.match(doc.text[named_by.end_char:min(sent.end_char, named_by.end_char + 80)]):
                rule = _HAVE_RULE.get(rule, "N_of_population_with_C_have_S")
                if _had_as_examples(doc, named_by.end_char, following):
                    return self._counted_feature_includes(doc, sent, stat, condition, conditions, population, rule, named_by,
                                                          _rest_of_list(doc, groups, following), relabelled)
                group = following
            elif before and _condition_between(doc, before, stat):
                group = self._condition_as_symptom(doc, sent, stat, condition, named_by)[0] or self._adjoining(doc, before, stat)
            elif before and self._adjoining(doc, before, stat):
                group = before
            else:
                group, has_verb = self._condition_as_symptom(doc, sent, stat, condition, named_by)
                rule = _HAVE_RULE.get(rule, "N_of_population_with_C_have_S") if has_verb else rule
            if rule in _TOPIC_RULES and not self._counted_by_anaphor(doc, stat, named_by, group):
                condition, population, group = None, "", None
        else:
            condition = _condition_of_population_before(doc, stat)
            if condition is not None and after and _HAVE_VERB.match(doc.text[stat.end_char:min(sent.end_char, stat.end_char + 80)]):
                group, rule = after, "population_with_C_frequency_have_S"
                population = self._population_before(doc, condition)
                if _had_as_examples(doc, stat.end_char, after):
                    return self._counted_feature_includes(doc, sent, stat, condition, conditions, population, rule, stat,
                                                          _rest_of_list(doc, groups, after), relabelled)
            else:
                condition = None
        if (group is None and population and named_by is not None and measure in _SHARE_MEASURES
                and not _INTRODUCTORY_COMMA.match(doc.text, named_by.end_char)):
            return []  # "Most people with shingles are treated with antiviral drugs to reduce pain": they are counted doing something else
        if group is None and measure in _SHARE_MEASURES and self._counts_its_subject(doc, sent, stat):
            return []  # "Asthma affects about 8 percent of children and causes wheezing": the condition's own prevalence
        if group is None:
            if measure in _SHARE_MEASURES and _OPENS_PARENTHESIS.search(doc.text, max(0, stat.start_char - 24), stat.start_char):
                group, rule = self._glossed_item(doc, stat, before), "proximity"
                if group is None:
                    return []
            else:
                # not across a turn of the sentence: "are often happy and friendly, but may have
                # temper tantrums", "usually born without eyeballs (anophthalmia), although some
                # individuals have small eyes"
                before = before if before and not _FIGURE_CLAUSE_BREAK_BEFORE.search(doc.text, before[-1].end_char, stat.start_char) else None
                after = after if after and not _FIGURE_CLAUSE_BREAK.search(doc.text, stat.end_char, after[0].start_char) else None
                if (after and not _FIGURE_OPENING.fullmatch(doc.text, sent.start_char, stat.start_char)
                        and _LEADS_TO.search(doc.text, stat.end_char, after[0].start_char)):
                    # "Parathyroid tumors are present in 90% of people with MEN1 … and may cause
                    # fatigue": what the counted subject causes ("In rare cases, X may cause Y" stays)
                    after = None
                group, rule = self._nearest_group(stat, before, after), "proximity"
                if after and (_FIGURE_HAS.match(doc.text[stat.end_char:after[0].start_char]) or _is_elliptical_share(doc, stat)):
                    group = after  # "80% of people with MS have fatigue and 20% have spasticity", "and some go on to develop": what they have
                elif group is not None and group is before and _HAVE_VERB.match(doc.text[stat.end_char:stat.end_char + 60]):
                    return []  # "87% … have intracranial hemorrhage and 13% have infarcts (stroke)": what the 13% have is no symptom named
                item = self._listed_condition_after(doc, sent, stat, group)
                if item is None and measure in _SHARE_MEASURES:
                    item = self._had_condition_after(doc, sent, stat, group)
                if item is not None:  # "dental abnormalities, distinctive facial features, and in some cases, intellectual disability"
                    if self._phenotype_reading(doc, item) is None:
                        return []  # an item with no phenotype reading: no other item's figure
                    group = [item]  # read as its phenotype with the claim's other mentions (_as_phenotypes below)
                    conditions = _Conditions([c for c in conditions.spans if c is not item])
                if group is not None and group is after:
                    group = self._outcome(doc, sent, group, groups)
                if group is None:
                    group, rule = self._pronoun_antecedent(doc, sentences, index), "pronoun_reference"
            if condition is None:
                owners = [c for c in conditions.spans if not (_glosses_words_before(doc, c) or _listed_after_cue(doc, sent, c) or _had_by_the_counted(doc, stat, c))]
                if _is_elliptical_share(doc, stat):  # its people are those counted before: "individuals with beta-mannosidosis experience …, and some have"
                    named = [c for c in owners if c.end_char <= stat.start_char and _named_as_owner(doc, c, sent.start_char)]
                    # a condition people are named by before one named otherwise: "People with Down syndrome often
                    # develop the brain changes seen in Alzheimer disease, and many have memory loss"
                    owners = [c for c in named if self._population_before(doc, c)] or named
                condition = _Conditions(owners).nearest(stat)
                population = self._population_before(doc, condition)
        if condition is None and group and doc.topic is not None and doc.topic.start < sent.start and _counts_the_affected(doc, stat):
            condition, rule = doc.topic, "condition_from_topic"  # "Some affected people may also experience decreased visual acuity"
        if condition is None and index > 0:
            last = sentences[index - 1]
            owners = self._not_listed_with_symptoms(doc, doc.ents_in(last.start, last.end, "CONDITION"), doc.ents_in(last.start, last.end, "SYMPTOM"))
            previous = {span_value(c, "concept_id"): c for c in self._previous_owners(doc, sent, owners) if not _glosses_words_before(doc, c)}
            if len(previous) == 1 and group:
                condition, rule = next(iter(previous.values())), "condition_from_previous_sentence"
        if condition is None and group and doc.topic is not None and doc.topic.start < sent.start:
            condition, rule = doc.topic, "condition_from_topic"
        if not group:
            if measure == "onset_age" and conditions.spans:
                condition = conditions.nearest(stat)
                population = self._population_before(doc, condition)
                feature = self._onset_of_a_feature(doc, sent, stat, condition, population, relabelled)
                if feature is None and not _named_as_owner(doc, condition) and _had_by_the_affected(doc, condition):
                    return []  # "About half of affected individuals have a stroke … before age 40": a feature's onset, whose owner is unknown
                return [feature or self._occurrence(doc, sent, None, condition, stat, measure, population, "condition_onset_age")]
            return []
        if rule in _GUESSED_RULES and span_value(stat, "statistic").kind in ("rate", "count"):
            return []  # "Achromatopsia affects an estimated 1 in 30,000 people worldwide": how many in a population have the condition
        if measure in _SHARE_MEASURES and group[0].start >= stat.end and _relieves_before(doc, stat, group[0]):
            return []  # "will often relieve symptoms": whom a treatment helps, not who has the symptom
        if measure in _SHARE_MEASURES and group[-1].end <= stat.start and _ORDER_VERB_BEFORE.search(
                doc.text, max(0, group[0].start_char - 24), group[0].start_char):
            return []  # "pain … precedes the rash in about one-third of cases": how often one comes first, not who has the rash
        if _SIDE_EFFECTS.search(doc.text, sent.start_char, sent.end_char):
            return []  # "Side effects vary, but common ones are nausea, …", "a side effect in about half of people taking SSAs": a treatment's
        if doc.text_of(stat)[:3].lower() == "in " and _care_needed_after(doc.text, stat.end_char, sent.end_char):
            return []  # "In some cases, a biopsy of the lipomas may be necessary": how often the care is, not the lipomas
        if measure in _SHARE_MEASURES and _states_its_cause_or_course(doc, group):
            return []  # "In most cases, TEF is not inherited", "… the muscle weakness worsens": not who has it
        targets = (self._narrowed(doc, condition, conditions) or [condition]) if condition is not None else [None]
        examples = self._examples_after(doc, sent, stat, group, groups)
        group = self._as_phenotypes(doc, group, relabelled)  # (a condition read as the symptom it counts)
        return [
            self._occurrence(doc, sent, symptom, target, stat, measure, population, rule)
            for target in targets
            for symptom in self._expand_ellipsis(doc, group)
        ] + self._example_claims(doc, sent, [target for target in targets if target is not None], examples, relabelled)

    def _example_claims(self, doc: Doc, sent: Span, targets: list[Span], examples: list[Span], relabelled: list[Span]) -> list[ClaimOccurrence]:
        """The examples of a class a figure counts, each a feature of every target in an unknown
        share (``counted_feature_includes_S``): the figure is the class's, not theirs."""
        return [
            self._occurrence(doc, sent, symptom, target, None, "association", "", "counted_feature_includes_S")
            for target in targets for symptom in self._expand_ellipsis(doc, self._as_phenotypes(doc, examples, relabelled))
        ]

    @staticmethod
    def _examples_after(doc: Doc, sent: Span, stat: Span, group: list[Span], groups: "_Groups") -> list[Span]:
        """The examples a class the figure counts goes on to ("Some affected individuals have
        dental abnormalities such as widely spaced teeth, delayed eruption of teeth, and absent
        teeth"): the class's figure is not theirs, but they are the condition's features, as
        ``_counted_feature_includes`` reads them after a named condition."""
        following = groups.first_starting_from(group[-1].end) if group[0].start >= stat.end else None
        if not following or following[0].start >= sent.end or not _had_as_examples(doc, group[-1].end_char, following):
            return []
        return _rest_of_list(doc, groups, following)

    def _counted_feature_includes(self, doc: Doc, sent: Span, stat: Span, condition: Span, conditions: "_Conditions", population: str,
                                  rule: str, named_by: Span, examples: list[Span], relabelled: list[Span]) -> list[ClaimOccurrence]:
        """The claims of a figure whose people have a class or feature that includes or leads to
        ``examples`` ("Approximately two-thirds of individuals with Ochoa syndrome also experience
        problems with bowel function, such as constipation, loss of bowel control, …"): the
        examples are the condition's (``counted_feature_includes_S``), each in an unknown share of
        at most the figure's; the figure is the feature's when the terminology calls it a
        condition with a phenotype reading ("develop liver disease, which often causes …
        (jaundice)": Abnormality of the liver)."""
        if rule in _TOPIC_RULES and not self._counted_by_anaphor(doc, stat, named_by, examples):
            return []
        targets = self._narrowed(doc, condition, conditions) or [condition]
        feature, _ = self._condition_as_symptom(doc, sent, stat, condition, named_by)
        counted = [] if feature is None or feature[0].start >= examples[0].start else self._as_phenotypes(doc, feature, relabelled)
        return self._example_claims(doc, sent, targets, examples, relabelled) + [
            self._occurrence(doc, sent, symptom, target, stat, MEASURE_OF_KIND[span_value(stat, "statistic").kind], population, rule)
            for target in targets for symptom in counted
        ]

    def _onset_of_a_feature(self, doc: Doc, sent: Span, stat: Span, condition: Span, population: str, relabelled: list[Span]) -> ClaimOccurrence | None:
        """The onset age of a feature of the page's topic that the terminology calls a condition
        ("a gradual loss of intellectual function (dementia), typically beginning in their
        thirties" on a page about HSAN IE; "Optic atrophy is often the next symptom to appear,
        usually around age 11" on Wolfram syndrome's): the mention read as its HPO phenotype, the
        topic as its condition (``condition_from_topic``). Not the topic itself, a kind of it, a
        sibling named with the same head word, or what it is named for ("Chordomas typically
        occur in adults between 40 and 70" on the chordoma page, "type 1 diabetes usually starts
        in childhood" on a diabetes page, "Primary open-angle glaucoma is much more common after
        the age of 40" on primary congenital glaucoma's), and not a mention with no phenotype
        reading: those stay the condition's own onset."""
        topic = doc.topic
        if topic is None or topic.start >= sent.start:
            return None
        reading = self._phenotype_reading(doc, condition)
        if reading is None:
            return None
        mention_ids = {span_value(condition, "concept_id"), reading.id, *span_value(condition, "xrefs"), *reading.xrefs}
        topic_ids = {span_value(topic, "concept_id"), *span_value(topic, "xrefs")}
        mention_names = {doc.text_of(condition), span_value(condition, "concept_name") or "", reading.name}
        topic_names = {doc.text_of(topic), span_value(topic, "concept_name") or ""}
        heads = {name_words[-1] for name_words in map(_WORDS.findall, (doc.text_of(condition).lower(), doc.text_of(topic).lower())) if name_words}
        if (mention_ids & topic_ids) - {None} or len(heads) == 1 or any(
                _contains_words(a, b) or _contains_words(b, a) for a in mention_names for b in topic_names):
            return None
        feature = self._as_phenotype(doc, condition)  # sets the mention's concept: only once the claim is made
        relabelled.append(feature)
        return self._occurrence(doc, sent, feature, topic, stat, "onset_age", population, "condition_from_topic")

    @staticmethod
    def _counts_its_subject(doc: Doc, sent: Span, stat: Span) -> bool:
        """Whether the figure is the prevalence of a condition that opens the sentence as the
        subject of "affects" or "occurs in" ("Asthma affects about 8 percent of children",
        "Achondroplasia causes about 70 percent of all dwarfism"), no symptom named before it."""
        subject = next(iter(doc.ents_in(sent.start, stat.start)), None)
        return (subject is not None and subject.label_ == "CONDITION"
                and not doc.text[sent.start_char:subject.start_char].strip(" -•\n\t")
                and bool(_SUBJECT_COUNTED.fullmatch(doc.text, subject.end_char, stat.start_char)))

    def _condition_as_symptom(self, doc: Doc, sent: Span, stat: Span, owner: Span, named_by: Span) -> tuple[list[Span] | None, bool]:
        """(the symptom, whether a have-verb names it) when the figure counts people with
        ``owner`` and what they have is a mention the terminology calls a condition:
        "Seizures occur in 30 percent to 50 percent of children with this condition",
        "Cataracts occur in 50 percent to 85 percent of people with aniridia",
        "64% of patients with systemic sclerosis develop depression". The mention is read as its
        HPO phenotype (seizures: HP:0001250) when the claim is made (:meth:`_as_phenotype`, as a
        phenotype table's cells are); one without a phenotype reading gives no claim, and
        neither does the owner itself."""
        if self.concept_lookup is None:
            return None, False
        after = next(iter(doc.ents_in(named_by.end, sent.end, "CONDITION")), None)
        if after is not None and _FIGURE_HAS.match(doc.text[named_by.end_char:after.start_char]):
            candidate, has_verb = after, True
        else:
            before = [c for c in doc.ents_in(sent.start, stat.start, "CONDITION") if c.end <= stat.start]
            candidate, has_verb = (before[-1] if before else None), False
            if candidate is not None and (stat.start - candidate.end > PROXIMITY_WINDOW_TOKENS
                                          or _CLAUSE_BREAK.search(doc.text, candidate.end_char, stat.start_char)
                                          or _CLAUSE_BOUNDARY.search(doc.text, candidate.end_char, stat.start_char)
                                          or doc.ents_in(candidate.end, stat.start)
                                          or self._population_before(doc, candidate)):
                candidate = None  # "occurs in people with CKD and affects most people with kidney failure": a population's own condition
        if candidate is None or span_value(candidate, "concept_id") == span_value(owner, "concept_id") or candidate.start == owner.start:
            return None, False
        if self._phenotype_reading(doc, candidate) is None:
            return None, False
        return [candidate], has_verb

    @staticmethod
    def _narrowed(doc: Doc, condition: Span, conditions: "_Conditions") -> list[Span]:
        """Conditions named as instances right after ("other neurodegenerative diseases, particularly
        ALS"): the claim is about them rather than the general class."""
        narrowed, cursor = [], condition
        for other in conditions.starting_from(condition.end, NARROWING_LOOKAHEAD):
            if not _NARROWING.match(doc.text[cursor.end_char:other.start_char]) and not _COORDINATION.match(doc.text[cursor.end_char:other.start_char]):
                break
            if narrowed or _NARROWING.match(doc.text[condition.end_char:other.start_char]):
                narrowed.append(other)
                cursor = other
        return narrowed

    def _condition_after(self, doc: Doc, stat: Span, conditions: "_Conditions"):
        """(condition, population, rule, the words that name the condition) when the text says
        right after the figure whose condition it counts: by name, else by an anaphor for the
        document's topic (:meth:`_topic_after`); (None, "", "proximity", None) otherwise."""
        condition = next(iter(conditions.starting_from(stat.end, 1)), None)
        if condition is None:
            return self._topic_after(doc, stat, conditions)
        between = doc.text[stat.end_char:condition.start_char]
        population = _POPULATION.match(between) or _SHARE_OF_GROUP.match(between)
        if population:
            return condition, self._population_name(population), "S_affects_N_of_population_with_C", condition
        group_word = doc.text_of(stat).split()[-1].lower()
        if group_word in _GROUP_WORDS and _GROUP_FIGURE_WITH.match(between):
            return condition, _GROUP_WORDS[group_word], "S_affects_N_of_population_with_C", condition
        if span_value(stat, "statistic").kind == "frequency_word" and _SYMPTOM_OF.match(between):
            return condition, "", "S_is_frequency_symptom_of_C", condition
        return self._topic_after(doc, stat, conditions)

    @staticmethod
    def _counted_by_anaphor(doc: Doc, stat: Span, named_by: Span, group: list[Span] | None) -> bool:
        """Whether ``group`` is what a figure of the topic's patients counts. An anaphor gives no
        anchor in the sentence, so the symptom must be the nearest mention in the figure's clause:
        the first one after the have-verb with no other figure or quantified subject before it (not
        "Most affected individuals develop sensorineural hearing loss and many exhibit cognitive
        abnormalities", hearing loss being a CONDITION mention), or the last one before a figure
        that "in"/"among" makes a complement ("is present in about half of affected individuals";
        not "Delayed development ... reported, although most people with this condition are of
        normal intelligence")."""
        if not group:
            return False
        if group[0].start >= named_by.end:
            start, end = named_by.end_char, group[0].start_char
            figures = doc.doc.spans[STATISTICS_KEY]
            nearest = not doc.ents_in(named_by.end, group[0].start) and not any(start <= f.start_char < end for f in figures)
        else:
            start, end = group[-1].end_char, stat.start_char
            nearest = not doc.ents_in(group[-1].end, stat.start) and bool(
                _COMPLEMENT_BEFORE.search(doc.text[max(0, end - 20):end]) or _COMPLEMENT_AFTER.match(doc.text[stat.end_char:stat.end_char + 20]))
        return nearest and not (_CLAUSE_BREAK.search(doc.text, start, end) or _NEXT_COUNTED_SUBJECT.search(doc.text, start, end))

    def _topic_after(self, doc: Doc, stat: Span, conditions: "_Conditions"):
        """``S_affects_N_of_population_with_topic``: "About half of people with this condition",
        "Most affected individuals": a page names its condition once (``_DocView.topic``) and
        then counts its patients by anaphor. Not when the sentence names whose patients it counts
        ("most men with Danon disease and about half of affected women"): that condition stays."""
        following = doc.text[stat.end_char:stat.end_char + FIGURE_CONTEXT_CHARS]
        group_word = doc.text_of(stat).split()[-1].lower()
        figure_is_group = group_word in _GROUP_WORDS and _GROUP_FIGURE_WITH_TOPIC.match(following)
        population = figure_is_group or _POPULATION_OF_TOPIC.match(following)
        if (not population or not (figure_is_group or population["affected"] or population["anaphor"])
                or doc.topic is None or any(self._population_before(doc, c) for c in conditions.spans)):
            return None, "", "proximity", None
        named_by = doc.doc.char_span(stat.end_char, stat.end_char + population.end(), alignment_mode="contract")
        name = _GROUP_WORDS[group_word] if figure_is_group else self._population_name(population)
        return doc.topic, name, "S_affects_N_of_population_with_topic", named_by

    def _population_before(self, doc: Doc, condition: Span | None) -> str:
        if condition is None:
            return ""
        population = _POPULATION_BARE.search(doc.text[max(0, condition.start_char - 60):condition.start_char])
        return self._population_name(population) if population else ""

    @staticmethod
    def _population_name(match: re.Match) -> str:
        """"men over 50" of "men over the age of 50 years"."""
        group = _GROUP_WORDS[match.group("group").lower()]
        age = re.sub(r"\b(?:the\s+)?age\s+(?:of\s+)?|\s+years(?:\s+old)?$", "", re.sub(r"\s+", " ", match.group("age") or "").strip().lower())
        return f"{group} {age}".strip()

    @staticmethod
    def _coordination_groups(doc: Doc, symptoms: list[Span]) -> list[list[Span]]:
        """Coordinated symptoms, in order; the term a group is named by joins it ("stiff muscles
        and spasms, a condition called spasticity": what the sentence says of the group it says of
        spasticity)."""
        groups: list[list[list[Span]]] = []  # each group as its parts between semicolons
        closed: list[bool] = []  # whether a group's semicolons end on "; and"/"; or": a list, not clauses
        for symptom in symptoms:
            between = doc.text[groups[-1][-1][-1].end_char:symptom.start_char] if groups else ""
            if groups and (_COORDINATION.match(between) or _CONDITION_CALLED.match(between)):
                groups[-1][-1].append(symptom)
            elif groups and (joint := _SEMICOLON_COORDINATION.match(between)):
                groups[-1].append([symptom])
                closed[-1] = closed[-1] or bool(joint["last"])
            else:
                groups.append([[symptom]])
                closed.append(False)
        # "have seizures; others have …", "have ptosis; nystagmus is rare": one semicolon and no
        # conjunction after it joins clauses, not items
        joined: list[list[Span]] = []
        for parts, is_list in zip(groups, closed):
            if is_list or len(parts) > 2:
                joined.append([symptom for part in parts for symptom in part])
            else:
                joined += parts
        return joined

    @staticmethod
    def _outcome(doc: Doc, sent: Span, group: list[Span], groups: "_Groups") -> list[Span] | None:
        """What a figure before ``group`` counts: ``group`` itself, unless it leads to something
        in its clause ("In rare cases, arrhythmias … can lead to cardiac arrest"): then the
        symptoms it leads to, or None when what follows is no symptom (how often the outcome
        follows is not how often the cause occurs)."""
        clause = doc.text[group[-1].end_char:min(sent.end_char, group[-1].end_char + 100)]
        leads = _LEADS_TO.search(clause)
        if leads is None or _CLAUSE_BREAK.search(clause, 0, leads.start()) or _RELATIVE_PRONOUN.search(clause, 0, leads.start()):
            return group  # "a chronic infection that may cause scarring": the figure's is the infection
        following = groups.first_starting_from(group[-1].end)
        if following is None or following[0].start >= sent.end or following[0].start_char < group[-1].end_char + leads.end():
            return None
        return following

    @staticmethod
    def _glossed_item(doc: Doc, stat: Span, before: list[Span] | None) -> list[Span] | None:
        """The symptoms a parenthesized figure glosses: those before it, near and with no
        parenthesis closed between ("fatigue in most people (about 80%)"), else none; none
        either when the figure's people do something in the parenthesis (_GLOSS_AFTER_FIGURE)."""
        if (before and stat.start - before[-1].end <= PROXIMITY_WINDOW_TOKENS and ")" not in doc.text[before[-1].end_char:stat.start_char]
                and _GLOSS_AFTER_FIGURE.match(doc.text, stat.end_char)):
            return before
        return None

    @staticmethod
    def _listed_condition_after(doc: Doc, sent: Span, stat: Span, group: list[Span] | None) -> Span | None:
        """The mention right after a figure that the terminology calls a condition, when the
        figure opens it as a list item ("… distinctive facial features, and in some cases,
        intellectual disability"): the figure is that item's, not the nearest symptom's. None when
        a symptom comes first, or when the figure counts the condition's people ("in most people
        with", matched before proximity is tried)."""
        if not _LIST_ITEM_BEFORE.search(doc.text, max(sent.start_char, stat.start_char - 8), stat.start_char):
            return None  # "In some cases, myoclonus persists": the figure opens the sentence, whose subject follows
        item = ClaimBuilder._condition_before_symptoms(doc, sent, stat, group, 4)
        if item is None or not _ITEM_AFTER_FIGURE.fullmatch(doc.text[stat.end_char:item.start_char]) or _named_as_owner(doc, item):
            return None
        return item

    @staticmethod
    def _condition_before_symptoms(doc: Doc, sent: Span, stat: Span, group: list[Span] | None, tokens: int) -> Span | None:
        """The first CONDITION mention within ``tokens`` after the figure, unless the symptom
        group after the figure comes first."""
        item = next(iter(doc.ents_in(stat.end, min(sent.end, stat.end + tokens), "CONDITION")), None)
        return None if item is None or (group is not None and stat.end <= group[0].start < item.start) else item

    @staticmethod
    def _had_condition_after(doc: Doc, sent: Span, stat: Span, group: list[Span] | None) -> Span | None:
        """The mention the terminology calls a condition that the figure's people have, right
        after the figure and a verb of having ("Most affected individuals develop sensorineural
        hearing loss and many exhibit cognitive abnormalities"): the figure is that feature's, not
        the next symptom's. None when a symptom comes first, or when the people counted are
        everyone, not the affected."""
        item = ClaimBuilder._condition_before_symptoms(doc, sent, stat, group, 12)
        counted = _COUNTED_HAVE.fullmatch(doc.text, stat.end_char, item.start_char) if item is not None else None
        if counted is None:
            return None
        if counted["people"] and not (counted["affected"] or counted["with"] or counted["people"].lower() in ("patients", "cases")):
            return None  # "About 75 percent of people will have hemorrhoids": the condition's own share of everyone
        return item

    @staticmethod
    def _adjoining(doc: Doc, before: list[Span], stat: Span) -> list[Span] | None:
        """``before``, unless a list's end or a line break stands between it and the figure
        ("… - bladder stones  Most men with BPH do not develop these complications": the figure
        opens the next item or line and counts none of this one's symptoms)."""
        return None if _CLAUSE_BOUNDARY.search(doc.text, before[-1].end_char, stat.start_char) else before

    @staticmethod
    def _nearest_group(stat: Span, before: list[Span] | None, after: list[Span] | None) -> list[Span] | None:
        candidates = [(stat.start - before[-1].end, before)] if before else []
        candidates += [(after[0].start - stat.end, after)] if after else []
        candidates = [c for c in candidates if c[0] <= PROXIMITY_WINDOW_TOKENS]
        return min(candidates, key=lambda c: c[0])[1] if candidates else None

    @staticmethod
    def _pronoun_antecedent(doc: Doc, sentences, index: int) -> list[Span] | None:
        """The symptom a pronoun opening the figure's sentence stands for: the name the next
        sentence opens with when this one calls the pronoun a symptom ("It is one of the more
        common symptoms of MS. Spasticity may be ..."), else the symptom the sentence before opens
        with, its subject ("An unsteady gait is the first symptom. It usually appears between 12
        and 18 months"). Never a mention further into either: "Landau-Kleffner syndrome is
        characterized by ... aphasia. It most frequently occurs in children between 2 and 8" is the
        syndrome's onset, "Common symptoms include ... abdominal swelling. It typically occurs
        sporadically ... in some cases" its inheritance; 52 of MedQuAD's 64 such claims were wrong."""
        text = doc.text_of(sentences[index])
        if _PRONOUN_IS_A_SYMPTOM.match(text) and index + 1 < len(sentences):
            subject = ClaimBuilder._opening_symptom(doc, sentences[index + 1])
            if subject:
                return subject
        if index == 0 or not _PRONOUN_SUBJECT.match(text):
            return None
        return ClaimBuilder._opening_symptom(doc, sentences[index - 1])

    @staticmethod
    def _opening_symptom(doc: Doc, sent: Span) -> list[Span] | None:
        """The sentence's first mention, if it is a symptom the sentence opens with (after a bullet
        or an article only): its subject."""
        first = doc.ents_in(sent.start, sent.end)[:1]
        if first and first[0].label_ == "SYMPTOM" and _SUBJECT_OPENING.fullmatch(doc.text, sent.start_char, first[0].start_char):
            return first
        return None

    @staticmethod
    def _list_owner(doc: Doc, start_char: int, end_char: int, symptoms: list[Span], conditions: list[Span]) -> Span | None:
        """The condition whose symptoms a list sentence (or clause, ``start_char:end_char``)
        names, or None when it names none.

        The owner is the condition named as such ("symptoms of MS", "In MS, ...", "children
        who have asthma"), else the subject before the list's cue ("UTI symptoms can include",
        "MS tremors are caused by"). A clause that lists risk factors or a drug's side effects
        has none ("Your risk for P.A.D. is higher if you have diabetes, high blood pressure").
        Never an owner: a condition listed among the symptoms ("may cause muscle twitching,
        seizures, stupor, coma"; "Problems with sleep and episodes of depression") or glossing
        one ("low blood sugar (hypoglycemia)"), one the sentence denies ("in the absence of
        cancer", "who have never had chickenpox"; but "is not a symptom of migraine" denies the
        relation, and the claim is negated), or one after "risk of", "history of" and the like
        or a feature noun ("feelings of depression"; the subject before the cue may follow
        "diagnosis of", not a feature noun: "The combination of histidinemia and a medical
        complication … might increase"), nor the subject of "is caused by" ("Seizures can be
        caused by fever": what follows is its cause, not its symptom).
        """
        if _NOT_SYMPTOMS.search(doc.text, start_char, end_char):
            return None
        entities = sorted(symptoms + conditions, key=lambda e: e.start)
        named = [c for c in conditions
                 if not (_is_denied(doc, c) or _EPISODES_ITEM.search(doc.text, max(start_char, c.start_char - 40), c.start_char))]
        for condition in named:
            if _named_as_owner(doc, condition, start_char) and not _glosses_symptom(doc, condition, entities):
                return condition
        cue = _LIST_CUE.search(doc.text, start_char, end_char)
        return next((c for c in named if cue is not None and c.end_char <= cue.start() and not _is_listed_among(doc, c, entities)
                     and not _AFTER_FEATURE_NOUN.search(doc.text[max(0, c.start_char - 40):c.start_char])
                     and not _CAUSED_BY_AFTER.match(doc.text[c.end_char:end_char])), None)

    def _expand_ellipsis(self, doc: Doc, group: list[Span]) -> list[Span | tuple[Span, str, str]]:
        """ "muscle spasms or stiffness" -> stiffness read as "muscle stiffness" when that is a known term."""
        if self.concept_lookup is None or len(group) < 2 or len(group[0]) < 2:
            return group
        modifier = group[0][:-1].text
        expanded: list = [group[0]]
        for member in group[1:]:
            concept = self.concept_lookup(f"{modifier} {member.text}", SYMPTOM) if len(member) == 1 else None
            expanded.append((member, concept.id, concept.name) if concept else member)
        return expanded

    @staticmethod
    def _occurrence(doc, sent, symptom, condition, stat, measure, population, rule) -> ClaimOccurrence:
        if isinstance(symptom, tuple):
            symptom, symptom_id, symptom_name = symptom
        elif symptom is None:  # a figure about the condition itself (onset age)
            symptom_id, symptom_name = None, ""
        else:
            symptom_id, symptom_name = span_value(symptom, "concept_id"), span_value(symptom, "concept_name") or doc.text_of(symptom).lower()
        parts = [p for p in (symptom, condition, stat) if p is not None]
        figure = span_value(stat, "statistic") if stat is not None else None
        claim_start = min(p.start_char for p in (symptom, stat) if p is not None) if symptom is not None or stat is not None else sent.start_char
        subtype = subtype_named(doc.text, (sent.start_char, sent.end_char), condition.start_char if condition is not None else None, claim_start)
        return ClaimOccurrence(
            sentence_start=sent.start_char,
            sentence_end=sent.end_char,
            symptom=(symptom.start_char, symptom.end_char) if symptom is not None else None,
            symptom_id=symptom_id,
            symptom_name=symptom_name,
            condition=(condition.start_char, condition.end_char) if condition is not None else None,
            condition_id=span_value(condition, "concept_id") if condition is not None else None,
            condition_name=(span_value(condition, "concept_name") or span_value(condition, "page_name") or doc.text_of(condition)) if condition is not None else "",
            statistic=(figure.start, figure.end) if figure is not None else None,
            # a share or count "each year" is how many become affected, not how many are
            measure="incidence" if measure == "prevalence" and figure.period == "annual" else measure,
            population=with_subtype(population or _group_after(doc, stat), subtype),
            # a claim is denied by its symptom's or figure's negation; a denied condition drops
            # the claim instead (_without_negated_conditions)
            # ("Fever is not a symptom of migraine. About 30% of patients have nausea.": the
            # condition taken from the sentence before keeps its denial there)
            negated=any(span_value(p, "negated") for p in (symptom, stat) if p is not None)
            or (condition is not None and sent.start_char <= condition.start_char < sent.end_char and _denies_relation(doc, condition)),
            hedged=any(span_value(p, "hedged") for p in parts),
            hypothetical=any(span_value(p, "hypothetical") for p in parts),
            rule=rule,
        )


def _group_after(doc: "_DocView", stat: Span | None) -> str:
    """The group the figure counts, from the words right after it, when the rule that linked it
    named none; not plain people ("of patients", "in most cases"), which is what unstated means."""
    group = _GROUP_AFTER_FIGURE.match(doc.text, stat.end_char) if stat is not None else None
    name = ClaimBuilder._population_name(group) if group else ""
    return "" if name == _GROUP_WORDS["people"] else name


@Language.factory("claim_builder")
def make_claim_builder(nlp: Language, name: str) -> ClaimBuilder:
    return ClaimBuilder()
