"""The step-back classifier: career ladders, prestige signals, features, training and scoring."""

from models.ladders import TitleMatch, parse_title
from models.scoring import score_postings
from models.store import load_or_train, train_and_save
from models.training import TrainedModel, train

__all__ = [
    "TitleMatch",
    "TrainedModel",
    "load_or_train",
    "parse_title",
    "score_postings",
    "train",
    "train_and_save",
]
