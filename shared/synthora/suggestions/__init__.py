"""Analysers behind the suggestions: pure functions over one creator's own history.

Each takes a `History` (the creator's measured posts, each joined to the video
and template settings it was made with) and returns a model that says what it
is based on (`Basis`: how many posts and videos, which period) and, below its
explicit thresholds, `status="insufficient_data"` with what it still needs,
rather than a guess. The formulas and thresholds are in docs/suggestions.md.

Nothing here reads storage or calls a provider: `synthora.services.suggestions`
loads the history and calls OpenAI for AI content ideas.
"""

from synthora.suggestions.attribution import attribution
from synthora.suggestions.ideas import offline_ideas
from synthora.suggestions.improvements import improvements
from synthora.suggestions.models import (
    Basis,
    History,
    Observation,
    length_bucket,
    settings_of,
)
from synthora.suggestions.posting_times import posting_times
from synthora.suggestions.prediction import PlatformPrior, PredictionInput, predict
from synthora.suggestions.trends import trends

__all__ = [
    "Basis",
    "History",
    "Observation",
    "PlatformPrior",
    "PredictionInput",
    "attribution",
    "improvements",
    "length_bucket",
    "offline_ideas",
    "posting_times",
    "predict",
    "settings_of",
    "trends",
]
