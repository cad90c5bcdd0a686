"""Extraction batches: growing while the input lasts, cut back at its end, nothing lost."""
import pytest

from flows.batching import growing_batches


def sizes(count, first, largest=None):
    batches = list(growing_batches(range(count), first, largest))
    assert [item for batch in batches for item in batch] == list(range(count))  # all items, in order, once
    return [len(batch) for batch in batches]


def test_batches_double_up_to_the_largest_and_the_end_is_cut_back():
    # 256, 512, 1024, 1024, ... then the last full batch and the rest in batches of 256
    assert sizes(16_407, 256) == [256, 512] + [1024] * 14 + [256] * 5 + [23]  # 22 task runs instead of 65


def test_a_small_increment_is_still_spread_over_the_workers():
    assert sizes(300, 256) == [256, 44]
    assert sizes(700, 256) == [256, 256, 188]
    assert sizes(256, 256) == [256]


def test_the_end_of_any_input_is_in_first_size_batches():
    for count in range(0, 200):
        batches = sizes(count, 4, 16)
        assert all(size <= 4 for size in batches[-(min(len(batches), 4)):])
        assert max(batches, default=0) <= 16


def test_a_full_batch_waits_only_for_the_next_one_to_fill():
    handed_out = []

    def items():
        for item in range(10):
            handed_out.append(item)
            yield item

    batches = growing_batches(items(), 2, 4)
    assert next(batches) == [0, 1] and handed_out == list(range(6))  # [2..5] filled meanwhile
    assert list(batches) == [[2, 3, 4, 5], [6, 7], [8, 9]]


def test_sizes_below_one_are_refused():
    with pytest.raises(ValueError, match="at least 1"):
        next(growing_batches([1], 0))
