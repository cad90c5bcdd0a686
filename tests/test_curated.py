"""claims.curated: the curated HPO frequencies read from an annotation file."""
import pytest

from claims.curated import load_annotations

HEADER = "database_id\tdisease_name\tqualifier\thpo_id\treference\tevidence\tonset\tfrequency\tsex\tmodifier\taspect\tbiocuration\n"


def hpoa(tmp_path, *rows: str, header: str = HEADER):
    path = tmp_path / "phenotype.hpoa"
    path.write_text("#description: test\n#version: 2025-01-16\n" + header + "".join(row.replace(" | ", "\t") + "\n" for row in rows), encoding="utf-8")
    return path


def test_annotations_with_a_usable_frequency_only(tmp_path):
    path = hpoa(
        tmp_path,
        "ORPHA:802 | Multiple sclerosis |  | HP:0012378 | ORPHA:802 | TAS |  | HP:0040281 |  |  | P | ORPHA:orphadata[2024-01-01]",
        "ORPHA:802 | Multiple sclerosis | NOT | HP:0001250 | ORPHA:802 | TAS |  | HP:0040281 |  |  | P | x",  # excluded phenotype
        "ORPHA:802 | Multiple sclerosis |  | HP:0003581 | ORPHA:802 | TAS |  | HP:0040281 |  |  | C | x",  # onset, not a phenotype
        "OMIM:100 | Some disease |  | HP:0001250 | PMID:1 | PCS |  | 1/2 |  |  | P | x",  # a case report
        "OMIM:100 | Some disease |  | HP:0002315 | PMID:1 | PCS |  |  |  |  | P | x",  # no frequency
        "OMIM:100 | Some disease |  | HP:0001263 | PMID:2 | PCS |  | 30% |  |  | P | x",
        "OMIM:100 | Some disease |  | HP:0001263 | PMID:3 | PCS |  | 12/40 |  |  | P | x",  # the same pair again: the later line
    )
    curated = load_annotations(path)
    assert sorted(curated) == [("OMIM:100", "HP:0001263"), ("ORPHA:802", "HP:0012378")]
    fatigue = curated[("ORPHA:802", "HP:0012378")]
    assert (fatigue.disease_name, fatigue.label, fatigue.reference) == ("Multiple sclerosis", "very frequent", "ORPHA:802")
    assert fatigue.low == pytest.approx(0.75) and fatigue.high == 1.0
    delay = curated[("OMIM:100", "HP:0001263")]
    assert (delay.label, delay.reference) == ("12/40 patients", "PMID:3") and delay.low < 0.3 < delay.high
    assert ("OMIM:100", "HP:0001250") not in curated and len(curated) == 2


def test_a_file_without_the_columns_is_refused(tmp_path):
    path = hpoa(tmp_path, "ORPHA:802\tMultiple sclerosis\tHP:0012378", header="database_id\tdisease_name\thpo_id\n")
    with pytest.raises(ValueError, match="lacks the column.*qualifier"):
        load_annotations(path)
