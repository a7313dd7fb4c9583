"""Drawing from the demo's lists so that every draw uses the same randomness."""

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def pick(rng: random.Random, options: Sequence[T]) -> T:
    # One random() per pick, whatever the length, so the stream never drifts.
    return options[int(rng.random() * len(options))]
