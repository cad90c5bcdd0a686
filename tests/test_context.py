"""ConText attributes on domain sentences (negation, hedging, hypotheticals, experiencer)."""
import pytest


def flags(nlp, text, mention):
    doc = nlp(text)
    spans = [e for e in doc.ents if e.text == mention] + [s for s in doc.spans["statistics"] if s.text == mention]
    assert spans, f"{mention!r} not found in {[e.text for e in doc.ents]}"
    span = spans[0]
    return {name for name in ("negated", "hedged", "hypothetical", "other_person") if getattr(span._, name)}


@pytest.mark.parametrize("text, mention, expected", [
    ("Fever is not a symptom of migraine.", "migraine", {"negated"}),
    ("People with ALS do not usually experience numbness or tingling.", "numbness", {"negated"}),
    ("While there is no definitive blood test for MS, blood tests can rule out lupus.", "lupus", {"hypothetical", "hedged"}),
    ("Muscle twitching typically isn't an emergency, but a serious medical condition may be causing it.", "Muscle twitching", set()),
    ("Fatigue is not only common but also disabling in MS.", "Fatigue", set()),
    ("Muscle spasms or stiffness can affect between 40% and 80% of people with MS.", "Muscle spasms", {"hedged"}),
    ("Spasticity affects about 20 percent of people with MS.", "Spasticity", set()),
    ("Make an appointment with your doctor if your twitching becomes a chronic issue.", "twitching", {"hypothetical"}),
    ("A family history of migraine raises the risk.", "migraine", {"other_person"}),
    # pseudo-triggers: the negation is about a person or an amount, not the finding
    ("Not enough sleep also can cause depression, mood swings, and other health problems such as diabetes or high blood pressure.",
     "depression", {"hedged"}),
    ("They can include - Visual disturbances - Muscle weakness No one knows what causes MS.", "MS", {"hedged"}),
    ("Not everyone who has a cough and sputum goes on to develop COPD.", "cough", set()),
    # the parenthesis names the absence: anosmia is present
    ("Refsum disease is an inherited condition that causes vision loss, absence of the sense of smell (anosmia), "
     "and a variety of other signs and symptoms.", "anosmia", set()),
    ("Some patients have an absence of reflexes and seizures.", "seizures", {"negated"}),
    # a comma before a new quantified subject ends the clause
    ("Although some patients with Menetrier disease may not experience symptoms, most patients have stomach pain, "
     "diarrhea, weight loss, peripheral edema, and sometimes bleeding.", "stomach pain", set()),
    # "rule out" leaves the diagnosis open (NegEx: a possibility phrase), "ruled out" settles it
    ("An analysis of the CSF can help to rule out multiple sclerosis and other causes of spasticity.", "spasticity",
     {"hypothetical", "hedged"}),
    ("Multiple sclerosis was ruled out.", "Multiple sclerosis", {"negated"}),
    # advice: "if ... after N days" is conditional
    ("If your back pain is severe or doesn't improve after three days, you should call your health care provider.",
     "back pain", {"hypothetical"}),
    # a cue inside a mention is part of the term ("lack of energy" is HPO lethargy), not a cue
    ("Signs and symptoms typically appear during infancy or early childhood and can include feeding difficulties, "
     "lack of energy, low blood sugar (hypoglycemia), weak muscle tone (hypotonia), liver problems, and abnormalities "
     "in the retina.", "low blood sugar", {"hedged"}),
    ("Signs and Symptoms Approximate number of patients (when available) Absence of the pulmonary valve - "
     "Aortic valve stenosis - Asthma - Atopic dermatitis", "Aortic valve stenosis", set()),
    # a nominal cue's noun phrase ends at a comma: the next list item is not in it
    ("Symptoms of a Baylisascaris infection may include nausea, fatigue, an enlarged liver, loss of coordination, "
     "lack of muscle control, blindness, and coma.", "blindness", {"hedged"}),
    ("Symptoms include either variable changes in behavior (e.g., impulsive, bored, listless, lack of social contact, "
     "lack of empathy, distractibility, blunted emotions, compulsive behavior) or problems with language.",
     "lack of empathy", set()),
    # a list bullet ends a clause: a negation in one item does not reach the next
    ("Get help immediately if the injured person has - A headache that gets worse or does not go away - "
     "Repeated vomiting or nausea - Convulsions or seizures", "nausea", {"hypothetical"}),
    ("UTI symptoms can include\n                \n- fever  - pain or burning during urination  - irritability  "
     "- not eating  - nausea  - diarrhea  - vomiting", "nausea", {"hedged"}),
    # ... but a condition or hedge before the list covers every item
    ("Seek medical care quickly if you have - A sudden fever - A severe headache - A stiff neck", "stiff neck", {"hypothetical"}),
    ("UTI symptoms can include \u2022 fever \u2022 irritability \u2022 not eating \u2022 nausea \u2022 diarrhea", "nausea", {"hedged"}),
    # the negation is of the finding's course or response, not of the finding
    ("Some of the symptoms may include headaches that do not go away, fever, rapid weight loss, confusion and "
     "seizures.", "fever", {"hedged"}),
    ("People may experience loss of muscle coordination (ataxia), seizures that do not respond to medications, "
     "muscle twitches (myoclonus), visual impairment, and dementia.", "muscle twitches", {"hedged"}),
    ("People with this condition usually have three characteristic features: recurrent seizures that do not improve "
     "with treatment (intractable epilepsy), loss of mental and movement abilities (psychomotor regression), and "
     "liver disease.", "epilepsy", set()),
    ("Signs of infection are redness and heat around an open area of skin, pus or a yellow drainage, excessive "
     "crusting on the wound surface, a wound that does not heal, and/or fever or chills", "fever", set()),
    ("Without treatment, affected children may experience hypotonia, skin rashes, and hair loss.", "hypotonia", {"hedged"}),
    # a negation inside a parenthesis stays in it
    ("The most common type of primary headache (not caused by another medical condition) is migraine.",
     "migraine", set()),
    ("Not getting enough sleep also can cause depression, mood swings, or other health problems.", "depression",
     {"hedged"}),
    ("About half of affected individuals also have cleft lip with or without a cleft palate.", "cleft palate", set()),
    # a noun phrase ends at its verb; a backward cue's scope is a NegEx window too
    ("It is unclear how a lack of pyridoxine causes the seizures that are characteristic of this condition.",
     "seizures", set()),
    ("Hydranencephaly is a rare condition in which the brain's cerebral hemispheres are absent and replaced by sacs "
     "filled with cerebrospinal fluid (CSF).", "Hydranencephaly", set()),
    ("In most cases, Raynaud's phenomenon is absent.", "Raynaud's phenomenon", {"negated"}),
    # ... while classic negation keeps its list: the items follow the cue in one clause
    ("CJD does not cause a fever or other flu-like symptoms.", "fever", {"negated"}),
    ("Patients with this form do not have fever, rash, or joint pain.", "joint pain", {"negated"}),
    ("Some patients have an absence of reflexes and seizures.", "seizures", {"negated"}),
    # a contracted "not" negates as the full form does, "cannot" and "can't" included (MedQuAD)
    ("Early cancer usually doesn't cause pain.", "pain", {"negated"}),
    ("Breast lumps usually aren't cancer.", "cancer", {"negated"}),
    ("Stable angina isn't a heart attack, but it suggests that a heart attack is more likely to happen in the "
     "future.", "heart attack", {"negated"}),
    ("A virus cannot cause diabetes on its own, but people are sometimes diagnosed with type 1 diabetes during or "
     "after a viral infection.", "diabetes", {"negated"}),
    # ... is no hedge ("can" is not the "ca" of "can't"), and its pseudo-cues are the full form's
    ("People who have pernicious anemia can't absorb enough vitamin B12 from food.", "pernicious anemia", set()),
    ("Antacids and milk can't heal peptic ulcers.", "peptic ulcers", set()),
    # what is done about or known of a finding is denied, not the finding
    ("Researchers do not know why gastroenteritis leads to IBS in some people and not others.", "gastroenteritis", set()),
    ("Hemodialysis and peritoneal dialysis do not cure kidney failure.", "kidney failure", set()),
    # ... nor is a finding a treatment is not used for, research has not shown, or that is compared
    ("Surgery is not used to treat primary CNS lymphoma.", "primary CNS lymphoma", set()),
    ("Photodynamic therapy does not stop vision loss or restore vision in people who have already lost vision.",
     "vision loss", set()),
    ("There is no cure for Rett syndrome.", "Rett syndrome", set()),
    ("Radiation therapy is not recommended for patients with fibrous dysplasia because it is associated with an "
     "increased risk of cancerous transformation.", "fibrous dysplasia", set()),
    ("Being infected with hepatitis G virus (HGV) has not been shown to cause liver cancer.", "liver cancer", set()),
    ("Localized osteosarcoma or MFH has not spread out of the bone where the cancer started.", "cancer", set()),
    ("Researchers are not sure how common Shwachman-Diamond syndrome is.", "Shwachman-Diamond syndrome", set()),
    ("Many individuals with calciphylaxis may not survive more than a few months after they are diagnosed.",
     "more than a few months", {"hedged"}),
    # ... and at a second verb joined by "and"; a cue after it stays in the clause it continues
    ("However, some people with Guillain-Barr syndrome never fully recover and can still experience excessive "
     "tiredness (fatigue), muscle weakness, or muscle pain.", "muscle weakness", {"hedged"}),
    ("The ferric iron cannot bind oxygen and causes cyanosis and the brown appearance of blood.", "cyanosis", set()),
    ("Zinc, which blocks the absorption of copper in the stomach and causes no serious side effects, is often "
     "considered the treatment of choice.", "often", set()),
    # a negation ends at a parenthesis glossing what it denies: the gloss names a finding, present
    ("In the abdomen, the condition can cause a person to have no spleen (asplenia) or multiple small, poorly "
     "functioning spleens (polysplenia).", "asplenia", {"hedged"}),
    ("Some people with NBCIE have outward turning eyelids and lips, a thickening of the skin on the palms and soles "
     "of the feet (keratoderma), and nails that do not grow normally (nail dystrophy).", "nail dystrophy", set()),
    # a negation in a relative clause (", which ... ,") or a subordinate one denies that clause only
    ("The rash, which generally does not hurt or itch, often appears or becomes more pronounced when exposed to "
     "sunlight.", "often", set()),
    ("This condition, which is not an autoimmune disorder, is called congenital myasthenic syndrome.",
     "congenital myasthenic syndrome", set()),
    ("Even when clinical trials do not lead to effective new treatments, they often answer important questions and "
     "help move research forward.", "often", set()),
    ("If cortisol levels do not drop, Cushing's syndrome is suspected.", "Cushing's syndrome", {"hypothetical"}),
    ("On average, a diagnosis of celiac disease is not made until 6 to 10 years after symptoms begin.",
     "6 to 10 years", set()),
    ("The villi take on an abnormal, clublike appearance and the damaged intestinal lining does not properly absorb "
     "nutrients, causing diarrhea and malnutrition.", "diarrhea", set()),
    ("The displaced lens cannot focus light correctly, contributing to the vision problems that are common in "
     "people with isolated ectopia lentis.", "vision problems", set()),
    # ... and so does a concession put first; one after its clause goes on over its list
    ("Although seizures are not commonly observed, a bulging fontanelle, rapid head growth, vomiting, and a sunset "
     "sign are usually noted.", "bulging fontanelle", set()),
    ("Though it is not a common feature of this type, scarring may occur.", "scarring", {"hedged"}),
    ("Loperamide reduces diarrhea in children with IBS, though it does not reduce pain, bloating, or other symptoms.",
     "bloating", {"negated"}),
    ("Although rare, this form does not cause fever, rash, or joint pain.", "joint pain", {"negated"}),  # the cue after its comma
])
def test_context_flags(nlp, text, mention, expected):
    assert flags(nlp, text, mention) == expected


def test_negation_window_is_bounded(nlp):
    text = "There is no cure, and over many long years of living with the disease most people with MS develop fatigue."
    assert "negated" not in flags(nlp, text, "fatigue")


def test_negation_window_spans_eight_tokens_either_side_of_the_cue(nlp):
    from extractors.context import NEGATION_WINDOW_TOKENS, ContextAnnotator

    doc = nlp("No  fever, chills or cough were reported in the first two weeks of illness.\nNo rash.")
    for sent in doc.sents:
        for char in range(sent.start_char, sent.end_char + 1):
            following = [t for t in sent if t.idx >= char][:NEGATION_WINDOW_TOKENS]
            expected = following[-1].idx + len(following[-1]) if following else char
            assert ContextAnnotator._window_end(sent, char) == expected, char
            preceding = [t for t in sent if t.idx + len(t) <= char][-NEGATION_WINDOW_TOKENS:]
            expected = preceding[0].idx if preceding else char
            assert ContextAnnotator._window_start(sent, char) == expected, char


def test_the_ascii_fast_path_and_the_general_pattern_find_the_same_cues(seed_passages):
    """Non-ASCII sentences (a curly apostrophe, an accent) take the general pattern; both ways
    must find the same cues, fused "not" included."""
    from extractors.context import ContextAnnotator, load_cues

    annotator = ContextAnnotator(load_cues())
    sentences = [*seed_passages, "It doesn't go away, and there is no cure for Rett syndrome; patients cannot walk.",
                 "Muscle twitching typically isn't an emergency. CAN'T SLEEP? Not only fever but no rash."]
    assert annotator.ascii_patterns is not None
    for sentence in sentences:
        fast = [(m.span(), m.lastgroup) for m in annotator._cue_matches(sentence)]
        general = [(m.span(), m.lastgroup) for m in annotator.pattern.finditer(sentence)]
        curly = [(m.span(), m.lastgroup) for m in annotator._cue_matches(sentence.replace("'", "’"))]  # not ASCII
        assert fast == general == curly, sentence
