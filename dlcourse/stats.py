"""How uncertain a measured accuracy is: the noise bars the lessons compare differences with.

Two sources of noise sit in every accuracy a lesson reports:

- the *test sample*: an accuracy ``p`` measured on ``n`` images is a binomial
  proportion, with standard error ``√(p(1−p)/n)``;
- the *training run*: another seed gives other initial weights and another batch
  order, so another network. Repeating a run over seeds measures it.

A difference counts as real when it exceeds ``THRESHOLD`` (two) standard errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

THRESHOLD = 2.0  # standard errors a difference must exceed to count as real


def binomial_se(accuracy: float, n: int) -> float:
    """Standard error of an accuracy measured on ``n`` independent examples."""
    if not 0.0 <= accuracy <= 1.0:
        raise ValueError(f"accuracy must lie in [0, 1], got {accuracy}")
    if n < 1:
        raise ValueError(f"n must be the number of examples measured (≥ 1), got {n}")
    return float(np.sqrt(accuracy * (1.0 - accuracy) / n))


def difference_se(accuracy_a: float, n_a: int, accuracy_b: float, n_b: int) -> float:
    """Standard error of ``accuracy_a − accuracy_b``, each measured on its own ``n`` examples.

    The two binomial errors add in quadrature, √(se_a² + se_b²), which holds for
    independent test samples. For two models scored on the *same* images it is
    conservative: their errors are correlated, and a paired comparison would be tighter.
    """
    return float(np.hypot(binomial_se(accuracy_a, n_a), binomial_se(accuracy_b, n_b)))


def mean_and_se(values: Sequence[float]) -> tuple[float, float]:
    """Mean of repeated measurements (one per seed) and the standard error of that mean.

    With a single value the spread is unknown and the standard error is ``nan``.
    """
    v = np.asarray(values, dtype=np.float64).ravel()
    if v.size == 0:
        raise ValueError("mean_and_se needs at least one value")
    se = float(v.std(ddof=1) / np.sqrt(v.size)) if v.size > 1 else float("nan")
    return float(v.mean()), se


def verdict(difference: float, se: float, better: str, worse: str) -> str:
    """``"<better> better"``, ``"<worse> better"`` or ``"no difference"`` at ``THRESHOLD`` standard errors.

    ``difference`` is (``better``'s value − ``worse``'s). A ``nan`` standard error
    (one seed) gives no verdict.
    """
    if not np.isfinite(se):
        return "no verdict (one run: noise unknown)"
    if difference > THRESHOLD * se:
        return f"{better} better"
    if difference < -THRESHOLD * se:
        return f"{worse} better"
    return "no difference"
