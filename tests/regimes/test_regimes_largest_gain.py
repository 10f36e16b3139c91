"""largest_secure_gain never leaves the gain field's range (the fuzz campaign found a valid model
whose search built a $2.7e12 gain, beyond the schema's $1e12, and a ModelError escaped `regime`)."""

import math

from otr_theory.model import load_model
from otr_theory.regimes.certify import largest_secure_gain


def test_a_point_secure_at_every_admissible_gain_gives_inf_without_leaving_the_range():
    # forfeit with rho = 1: every cheated query is caught and forfeits its gain, so
    # B = -S_eff < 0 for every gain: secure at the range's top ($1e12) -> inf
    m = load_model().with_values(stake_usd=1e12, slash_usd=1e12)
    g = largest_secure_gain(m, {"slash_usd": 1e12, "spot_check_rate": 1.0, "window_s": 86_400.0})
    assert math.isinf(g)


def test_a_finite_answer_is_the_boundary():
    m = load_model()
    p = {"slash_usd": 1e8, "spot_check_rate": 0.01, "window_s": 86_400.0}
    g = largest_secure_gain(m, p)
    from otr_theory.regimes import evaluate_point

    def secure(x):
        return evaluate_point(m.with_values(high_value_gain_usd=x), slash_usd=1e8, spot_check_rate=0.01, window_s=86_400.0, count=int(m.value("count"))).secure

    assert 0 < g < 1e12 and secure(g) and not secure(g * 1.001)
