"""Matches: a set of documents with a score each, as dense arrays over the
document numbers of a searcher (:mod:`search.backends.whoosh.vector`)."""

from __future__ import annotations

import numpy as np


class Matches:
    """A set of documents with a score each: dense arrays over document numbers."""

    __slots__ = ("mask", "scores")

    def __init__(self, mask: np.ndarray, scores: np.ndarray):
        self.mask = mask
        self.scores = scores

    @classmethod
    def empty(cls, size: int) -> Matches:
        return cls(np.zeros(size, dtype=bool), np.zeros(size, dtype=np.float32))

    def copy(self) -> Matches:
        return Matches(self.mask.copy(), self.scores.copy())

    @property
    def nbytes(self) -> int:
        return self.mask.nbytes + self.scores.nbytes

    def add(self, ids: np.ndarray, scores: np.ndarray | None = None) -> None:
        """Union with the documents ``ids`` (no repeats), adding their scores."""
        self.mask[ids] = True
        if scores is not None and len(ids):
            self.scores[ids] += scores

    def union(self, other: Matches) -> None:
        self.mask |= other.mask
        self.scores += other.scores

    def intersect(self, other: Matches) -> None:
        self.mask &= other.mask
        self.scores += other.scores

    def exclude(self, other: Matches) -> None:
        self.mask &= ~other.mask
