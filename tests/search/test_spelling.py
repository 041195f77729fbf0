"""The pieces of "Vouliez-vous dire" and of filter values, without an index
(the rules themselves run on every backend in test_trust)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.filters import fold_value, matching_values
from search.spelling import Vocabulary, distances, edit_distance, is_slip


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("netflix", "netflics", 2), ("chien", "chein", 1), ("maire", "mais", 2), ("abc", "abc", 0)],
)
def test_edit_distance_counts_a_swap_as_one(a, b, distance):
    assert edit_distance(a, b, 2) == distance


WORDS = st.text(alphabet="abcé", max_size=7)


@given(WORDS, st.lists(WORDS, max_size=8), st.integers(0, 3))
def test_distances_of_many_words_are_each_word_s_distance(word, others, limit):
    found = distances(word, others, limit).tolist()
    assert found == [edit_distance(word, other, limit) for other in others]
    for other, distance in zip(others, found, strict=True):
        assert distance == edit_distance(other, word, limit)  # symmetric
        assert distance <= min(limit + 1, max(len(word), len(other)))
        assert (distance == 0) == (word == other)


def test_edit_distance_stops_past_its_limit():
    assert edit_distance("cinema", "theatre", 2) == 3
    assert edit_distance("a", "abcdef", 1) == 2


@pytest.mark.parametrize(
    ("word", "correction", "slip"),
    [("netflx", "netflix", True), ("chein", "chien", True), ("netfliix", "netflix", True),
     ("sel", "ses", False), ("cap", "car", False), ("maire", "mais", False)],
)  # fmt: skip
def test_a_slip_is_a_letter_left_out_added_or_swapped(word, correction, slip):
    assert is_slip(word, correction) is slip


def test_vocabulary_lists_words_of_the_same_first_letter_and_a_near_length():
    vocabulary = Vocabulary([("netflix", 10), ("netflix", 2), ("nez", 5), ("cinema", 9)])
    assert dict(vocabulary.near("netflics", 0)) == {"netflix": 12}
    assert dict(vocabulary.near("netflics", 12)) == {}
    assert dict(vocabulary.near("nea", 0)) == {"nez": 5}


def test_filter_values():
    known = [fold_value(v) for v in ["Aïcha Morel", "Paul Morelli", "Polar", "Polar nordique"]]
    assert matching_values("auteur", "Morel", known) == ["aicha morel"]
    assert matching_values("auteur", "aicha", known) == ["aicha morel"]
    assert matching_values("auteur", "Morel Aïcha", known) == []
    assert matching_values("tag", "polar", known) == ["polar"]
    assert matching_values("tag", "nordique", known) == ["polar nordique"]
    assert matching_values("tag", "", known) == []
