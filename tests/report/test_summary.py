"""The verdict at the top of the report: read off the sections, never recomputed."""

from __future__ import annotations

import pytest

from otr_theory.report.core import Section
from otr_theory.report.summary import verdict, verdict_record


def _sections(*, violated=0, unknown=0, secure=True, margin=901.0):
    return [
        Section("theorems", "t", "", {"counts": {"proved": 7 - violated - unknown, "violated": violated, "unknown": unknown, "not applicable": 0}}),
        Section(
            "regimes",
            "r",
            "",
            {
                "model_point": {"point": {"secure": secure, "margin_usd": margin, "required_margin_usd": 1.0, "binding": "wrong_output"}},
                "cheapest": {"point": {"slash_usd": 1e5, "spot_check_rate": 0.001, "window_s": 25810.0, "count": 3, "margin_usd": 1.0, "cost_usd": 0.0127}},
            },
        ),
        Section("calibration", "c", "", {"query": {"cost": {"total_usd": 0.11, "centralized_usd": 0.00024}, "latency": {"provisional_s": 7.8, "final_s": 86420.0}}}),
    ]


def test_secure_when_every_theorem_is_proved_and_incentives_hold(model):
    v = verdict_record(model, _sections())
    assert v["secure"] is True and v["margin_usd"] == 901.0
    text = verdict(model, _sections())
    assert text.startswith("**Secure as configured.** 7 of 7")
    assert "cheapest secure point (S = $100,000, rho = 0.001" in text


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"violated": 1}, "1 theorem(s) violated"),
        ({"unknown": 2}, "2 theorem(s) unknown (not proved)"),
        ({"secure": False, "margin": -49.0}, "incentives fail (binding: `wrong_output`, margin -$49"),
    ],
)
def test_not_secure_says_why(model, kw, words):
    v = verdict_record(model, _sections(**kw))
    assert v["secure"] is False
    text = verdict(model, _sections(**kw))
    assert text.startswith("**NOT secure as configured:**") and words in text


def test_unknown_is_never_secure(model):
    """An unknown theorem (solver timeout) must not read as secure."""
    assert verdict_record(model, _sections(unknown=1))["secure"] is False


def test_missing_sections_do_not_claim_security(model):
    assert verdict_record(model, [])["secure"] is False


def test_the_verdict_states_the_best_attack_the_stake_that_deters_it_and_the_assumptions(model):
    """Issue 12: the summary states the over-time verdict at the model's point, and keeps the
    one-query condition visible as what it is."""
    from otr_theory.payoffs.corruption import assess

    a = assess(model).to_dict()
    secs = _sections(secure=False, margin=-a["attack"]["payoff_usd"])
    secs[1].results["model_point"]["point"].update(slash_usd=100_000.0, spot_check_rate=0.01, one_query_margin_usd=901.0)
    secs[1].results["assessment"] = a
    v = verdict_record(model, secs)
    assert v["secure"] is False and v["attack"]["strategy"] == "valuable_only"
    assert v["required_stake_usd"] == pytest.approx(a["required_stake_usd"]) and v["required_stake_usd"] > 1e7
    text = verdict(model, secs)
    # by hand (n = 5.753 q/s, L = 12 h, gbar = $109.9, p = 1%, forfeit, a = 1/2): P_M (g_v (1-p)/p + n L gbar (1-p)
    # - S/2) = $27,980,485 and S* = (g_v (1-p)/p + n L gbar (1-p) + m/p)/(1-a) = $56,061,169
    assert "expected profit of **$27,980,485**" in text
    assert "**The stake of $100,000 at rho = 0.01 is not enough: $56,061,169 would deter it**" in text
    assert "gains realised at provisional finality" in text and "franchise value $0" in text and "through a Sybil" in text
    assert "one cheated query against a fresh stake, no detection lag" in text and "it is not the security criterion" in text
