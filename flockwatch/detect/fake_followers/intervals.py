"""Confidence intervals for the share of fake followers: Wilson's score interval.

Audits score a uniform random sample of an account's known followers (all of them when there
are few), and the known followers are themselves only part of the account's followers, so the
share is a binomial proportion. Wilson's interval keeps its coverage near the nominal level for
small samples and for shares near 0 or 1, where the textbook normal ("Wald") interval collapses
to a point.
"""

from __future__ import annotations

import numpy as np

__all__ = ["Z_95", "wilson_interval"]

#: Two-sided 95% quantile of the standard normal distribution.
Z_95 = 1.959963984540054


def wilson_interval(
    successes: np.ndarray | int, trials: np.ndarray | int, z: float = Z_95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial proportion, vectorised.

    Parameters
    ----------
    successes
        Followers scored fake (per account).
    trials
        Followers scored (per account); where 0, both bounds are NaN.
    z
        Normal quantile (default: 95% two-sided).

    Returns
    -------
    low, high : numpy.ndarray
        Float arrays in [0, 1].

    Notes
    -----
    With ``p = successes / trials`` and ``n = trials``::

        centre = (p + z²/2n) / (1 + z²/n)
        half   = z / (1 + z²/n) * sqrt(p(1 - p)/n + z²/4n²)

    The interval covers sampling error only, not the classifier's own error.

    References
    ----------
    E. B. Wilson, "Probable inference, the law of succession, and statistical inference",
    JASA 22 (1927) 209-212.

    Examples
    --------
    >>> low, high = wilson_interval(0, 10)
    >>> round(float(low), 4), round(float(high), 4)
    (0.0, 0.2775)
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        z2 = z * z
        denom = 1.0 + z2 / n
        centre = (p + z2 / (2.0 * n)) / denom
        half = z / denom * np.sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n))
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    low = np.where(n > 0, low, np.nan)
    high = np.where(n > 0, high, np.nan)
    return low, high
