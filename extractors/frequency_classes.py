"""HPO's frequency classes (HP:0040279 "Frequency" and its children), declared once.

Three places read them: the statistic recognizer names the class of a figure ("about 20
percent" is occasional), the claim builder turns GARD's printed class figures (90 %, 50 %,
7.5 %) back into their classes, and the curated HPO annotations (``claims.curated``) give
each annotated class its range. The ranges are HPO's own definitions.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FrequencyClass:
    hpo_id: str
    name: str
    low: float
    high: float


HPO_FREQUENCY_CLASSES = (
    FrequencyClass("HP:0040280", "obligate", 1.0, 1.0),
    FrequencyClass("HP:0040281", "very frequent", 0.80, 0.99),
    FrequencyClass("HP:0040282", "frequent", 0.30, 0.79),
    FrequencyClass("HP:0040283", "occasional", 0.05, 0.29),
    FrequencyClass("HP:0040284", "very rare", 0.01, 0.04),
    FrequencyClass("HP:0040285", "excluded", 0.0, 0.0),
)
BY_HPO_ID = {frequency_class.hpo_id: frequency_class for frequency_class in HPO_FREQUENCY_CLASSES}
BY_NAME = {frequency_class.name: frequency_class for frequency_class in HPO_FREQUENCY_CLASSES}

# GARD's phenotype tables print a class as one figure, "a rough estimate of the percentage of
# patients" (the page's own words): 90 % for very frequent, 50 % for frequent, 7.5 % and 5 % for
# occasional. In MedQuAD's tables, of the rows HPO annotates with a class for the same disease and
# phenotype, 1,766 of 1,970 at 90 % are very frequent, 1,637 of 1,765 at 50 % frequent, 2,199 of
# 2,284 at 7.5 % and 125 of 138 at 5 % occasional (the rest scatter over the other classes).
GARD_PRINTED_CLASSES = {
    0.9: BY_NAME["very frequent"], 0.5: BY_NAME["frequent"], 0.075: BY_NAME["occasional"], 0.05: BY_NAME["occasional"],
}


def class_of_share(share: float) -> str:
    """The class a share of patients falls in, by the classes' lower edges; "" for none at all.

    Shares between the classes' printed ends (0.795) take the class below the next edge, and a
    share under 1 % is still very rare: HPO's ranges are rounded, their edges are the rule.
    """
    if share <= 0:
        return ""
    present = [c for c in HPO_FREQUENCY_CLASSES if c.high > 0]
    return next((c.name for c in present if share >= c.low), present[-1].name)
