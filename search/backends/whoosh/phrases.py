"""Phrase queries for the Whoosh backend, evaluated with arrays.

A phrase is found in three steps, each narrowing the documents the next one
looks at:

1. the documents holding every word: the intersection of the words' postings
   (the arrays of search.backends.whoosh.vector), smallest first;
2. the pairs of consecutive words where one is a stop word are terms of their
   own (``<field>_pairs``, "common grams"): their postings narrow the
   candidates further, and a two-word phrase with a stop word needs nothing
   more;
3. otherwise the words' positions in the candidate documents. Positions are
   read with the postings, in the same pass over the term's blocks, and kept
   encoded (a count, then the pickled deltas, as Whoosh writes them) in a cache
   of their own; a query decodes only its candidates' positions, with arrays
   (one step per word occurrence, over every candidate at once), rarest word
   first: once two words are checked, the frequent words are decoded only
   where the phrase may still start. Positions not in memory, for fewer
   candidates than the term has blocks, are read from the blocks that may
   hold a candidate only (a block's header tells its last document), and not
   kept.

The phrase's documents then get their score as Whoosh's ``Or`` of the words
would give it (the words' BM25F scores added up).
"""

from __future__ import annotations

from pickle import loads

import numpy as np

from search.analysis import STOP_WORDS
from search.backends.whoosh import vector

PAIRS = "_pairs"  # field of consecutive word pairs, beside a text's "_exact" field
# Encoded positions kept in memory, per process, over all segments (least
# recently used go first): a word found in every one of 100,000 news articles
# takes about 7 MB. Only terms read whole are kept (see _positions): frequent
# words, which many phrases share.
POSITIONS_CACHE_BYTES = 192 * 2**20
# Document number and start position in one sortable integer.
_STRIDE = np.int64(1 << 32)
# Whoosh's Positions value: a 4-byte count, then pickle protocol 2 of the list
# of deltas: PROTO 2, EMPTY_LIST, BINPUT 0, then MARK, the items and APPENDS
# (or, for one item, the item and APPEND), then STOP (which may be left out).
_HEADER = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)
_MARK = ord("(")
_PICKLE_BATCH = 1000  # pickle writes a MARK every 1,000 items
# Bytes taken by an item, by opcode: BININT1 (K), BININT2 (M), BININT (J).
_ITEM_SIZE = np.zeros(256, dtype=np.int64)
_ITEM_SIZE[ord("K")], _ITEM_SIZE[ord("M")], _ITEM_SIZE[ord("J")] = 2, 3, 5
BLOCK_SIZE = 128  # postings per block, as Whoosh writes them
_PAD = 8  # zero bytes after a buffer: reading an item's payload never runs past it


def indexed_pair(a: str, b: str) -> bool:
    """Whether the pair of consecutive (exact) words ``a b`` is a term of the
    word-pairs field: when one of them is a stop word."""
    return a in STOP_WORDS or b in STOP_WORDS


class Positions:
    """A term's encoded positions in one segment: posting ``i`` (document
    ``ids[i]``) is ``buffer[offsets[i]:offsets[i + 1]]``."""

    __slots__ = ("buffer", "ids", "offsets")

    def __init__(self, ids: np.ndarray, values: list):
        self.ids = ids
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        self.offsets = np.zeros(len(values) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.offsets[1:])
        self.buffer = np.frombuffer(b"".join(values) + bytes(_PAD), dtype=np.uint8)

    @property
    def nbytes(self) -> int:
        return self.ids.nbytes + self.offsets.nbytes + self.buffer.nbytes


_positions_cache = vector._PostingsCache(POSITIONS_CACHE_BYTES)


def _segment_positions(leaf, cache, field: str, word: str) -> Positions:
    """A term's positions in one segment, read once with its postings (which
    go to the postings cache, when not there yet)."""
    key = (cache.key, field, word)
    found = _positions_cache.get(key)
    if found is None:
        blocks: list = []
        postings = vector._read_postings(leaf, field, word, values=blocks)
        values = [value for block in blocks for value in block]
        found = Positions(postings.ids, values)
        _positions_cache.put(key, found)
        vector._postings_cache.put(key, postings)
    return found


def _candidate_positions(leaf, field: str, word: str, local: np.ndarray) -> Positions:
    """A term's positions in the blocks of one segment that may hold the
    documents ``local`` (sorted local numbers): a block whose range of
    documents (read from its header) holds none is skipped undecompressed."""
    btext = word.encode("utf-8")
    if (field, btext) not in leaf:
        return Positions(np.zeros(0, dtype=np.int32), [])
    matcher = leaf._terms.matcher(field, btext, leaf.schema[field].format)
    ids, values = [], []
    wanted = 0
    while wanted < len(local):
        if matcher._maxid >= local[wanted]:  # the block's last document
            ids.append(vector._block_ids(matcher).astype(np.int32))
            matcher._read_values()
            values += matcher._values
            wanted = int(np.searchsorted(local, matcher._maxid, side="right"))
        if matcher._lastblock:
            break
        matcher._next_block()
    if not ids:
        return Positions(np.zeros(0, dtype=np.int32), [])
    return Positions(np.concatenate(ids), values)


def _prefetch(snapshot, field: str, word: str) -> None:
    """Read a term's postings and positions together when its postings are not
    in memory yet: the phrase check would otherwise read its blocks twice. For
    stop words only: found in most documents, they are read whole for most
    phrases, and kept; other words' positions are mostly read for a few
    candidates, from a few blocks, and keeping them whole would push the
    frequent words out of the cache."""
    for (leaf, _offset), cache in zip(snapshot.leaves, snapshot.caches, strict=True):
        if (cache.key, field, word) not in vector._postings_cache:
            _segment_positions(leaf, cache, field, word)


# --- Decoding -------------------------------------------------------------------


def decode(
    buffer: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The positions encoded in ``buffer[starts[i]:ends[i]]`` (``buffer``
    padded with zero bytes): (count of each value, their positions one after
    the other)."""
    counts = (
        (buffer[starts].astype(np.int64) << 24)
        | (buffer[starts + 1].astype(np.int64) << 16)
        | (buffer[starts + 2].astype(np.int64) << 8)
        | buffer[starts + 3]
    )
    first = np.zeros(len(counts) + 1, dtype=np.int64)
    np.cumsum(counts, out=first[1:])
    first = first[:-1]
    deltas = np.zeros(int(counts.sum()), dtype=np.int64)
    # Values in another shape (other pickler, very long lists) are unpickled.
    odd = (counts < 1) | (counts > _PICKLE_BATCH)
    for i, byte in enumerate(_HEADER):
        odd |= buffer[starts + 4 + i] != byte
    items = starts + 4 + len(_HEADER)
    several = counts > 1
    odd |= several & (buffer[items] != _MARK)
    items = items + several
    active = np.flatnonzero(~odd)
    k = 0
    while len(active):
        at = items[active]
        size = _ITEM_SIZE[buffer[at]]
        value = buffer[at + 1].astype(np.int64)
        value |= np.where(size >= 3, buffer[at + 2].astype(np.int64) << 8, 0)
        wide = size == 5
        if wide.any():
            value |= np.where(
                wide,
                (buffer[at + 3].astype(np.int64) << 16) | (buffer[at + 4].astype(np.int64) << 24),
                0,
            )
        unknown = size == 0
        if unknown.any():
            odd[active[unknown]] = True
        deltas[first[active] + k] = value
        items[active] = at + size
        k += 1
        active = active[(counts[active] > k) & ~unknown]
    for i in np.flatnonzero(odd).tolist():
        value = buffer[starts[i] + 4 : ends[i]].tobytes()
        found = loads(value if value.endswith(b".") else value + b".")  # noqa: S301 - the index's own file
        deltas[first[i] : first[i] + counts[i]] = found
    if not len(deltas):
        return counts, deltas
    # Deltas to positions: a running sum, started again at each value.
    running = np.cumsum(deltas)
    at = np.minimum(first, len(deltas) - 1)  # (a value without positions repeats nothing)
    return counts, running - np.repeat(running[at] - deltas[at], counts)


# --- Phrases --------------------------------------------------------------------


def phrase_in(snapshot, field: str, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(document numbers, scores) of the documents where ``words`` follow each
    other in ``field``."""
    pairs = field.removesuffix("_exact") + PAIRS
    with_pairs = field.endswith("_exact") and snapshot.every_segment_has(pairs)
    adjacent = list(dict.fromkeys(zip(words, words[1:], strict=False)))
    checked = with_pairs and len(words) == 2 and indexed_pair(*adjacent[0])
    distinct = list(dict.fromkeys(words))
    frequencies = {word: snapshot.doc_frequency(field, word) for word in distinct}
    if not all(frequencies.values()):  # a word the field never holds
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
    if len(words) > 1 and not checked:
        for word in distinct:
            if word in STOP_WORDS:
                _prefetch(snapshot, field, word)
    scored = [snapshot.score_term(field, word, 1.0) for word in distinct]
    sets = [ids for ids, _scores in scored]
    if with_pairs:
        sets += [snapshot.postings(pairs, f"{a} {b}")[0] for a, b in adjacent if indexed_pair(a, b)]
    candidates = intersect(sets)
    if len(words) > 1 and not checked and len(candidates):
        candidates = phrase_filter(snapshot, field, words, candidates, frequencies)
    total = np.zeros(len(candidates), dtype=np.float32)
    for ids, scores in scored:
        total += scores[np.searchsorted(ids, candidates)]
    return candidates, total


def intersect(sets: list[np.ndarray]) -> np.ndarray:
    """The numbers in every one of ``sets`` (sorted, without repeats), smallest
    set first: each step costs the candidates left, not the larger sets."""
    sets = sorted(sets, key=len)
    found = sets[0].astype(np.int64)
    for other in sets[1:]:
        if not len(found):
            break
        at = np.searchsorted(other, found)
        at[at == len(other)] = 0
        found = found[other[at] == found] if len(other) else found[:0]
    return found


def phrase_filter(
    snapshot,
    field: str,
    words: list[str],
    candidates: np.ndarray,
    sizes: dict[str, int] | None = None,
) -> np.ndarray:
    """The candidate documents (sorted numbers, each holding every word) where
    ``words`` follow each other in ``field``."""
    candidates = np.asarray(candidates, dtype=np.int64)
    if len(words) == 1 or not len(candidates):
        return candidates
    places: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        places.setdefault(word, []).append(i)
    order = sorted(places, key=lambda word: (sizes or {}).get(word, 0))
    starts = None  # document * _STRIDE + position where the phrase may start
    for word in order:
        docs, positions = _positions(snapshot, field, word, candidates)
        for i in places[word]:
            keep = positions >= i
            keys = docs[keep] * _STRIDE + (positions[keep] - i)
            starts = keys if starts is None else starts[np.isin(starts, keys, assume_unique=True)]
        if not len(starts):
            return candidates[:0]
        candidates = np.unique(starts // _STRIDE)
    return candidates


def _positions(snapshot, field: str, word: str, docs: np.ndarray):
    """(document number, position) of each occurrence of ``word`` in ``field``
    in the documents ``docs`` (sorted, each holding the word), in order."""
    found_docs, found_positions = [], []
    for (leaf, offset), cache in zip(snapshot.leaves, snapshot.caches, strict=True):
        low, high = np.searchsorted(docs, [offset, offset + cache.size])
        if low == high:
            continue
        local = docs[low:high] - offset
        positions = _positions_cache.get((cache.key, field, word))
        if positions is None:
            # A block holds about 128 documents: with fewer candidates than
            # blocks, most blocks are skipped (and the positions read are not
            # kept); with more, the whole term is read and kept.
            if len(local) * BLOCK_SIZE < snapshot.doc_frequency(field, word):
                positions = _candidate_positions(leaf, field, word, local)
            else:
                positions = _segment_positions(leaf, cache, field, word)
        at = np.searchsorted(positions.ids, local)
        at[at == len(positions.ids)] = 0
        held = positions.ids[at] == local if len(positions.ids) else np.zeros(len(at), bool)
        local, at = local[held], at[held]
        counts, values = decode(positions.buffer, positions.offsets[at], positions.offsets[at + 1])
        found_docs.append(np.repeat(local + offset, counts))
        found_positions.append(values)
    if not found_docs:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(found_docs), np.concatenate(found_positions)
