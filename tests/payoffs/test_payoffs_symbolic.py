"""The sympy side: what the report shows equals what is computed, the closed forms reduce to
their classical results, and the lambdified and exact evaluations agree with the numeric code."""

from __future__ import annotations

import random

import numpy as np
import pytest
import sympy as sp

from otr_theory.payoffs import (
    EXPRESSIONS,
    FIELD_OF_SYMBOL,
    SYMBOLS,
    PayoffError,
    compromise_probability,
    condition,
    display_condition,
    evaluate,
    expression,
    incentive_conditions,
    inspection_equilibrium,
    lambdified,
    latex_conditions,
    min_detection,
    min_deterring_slash,
    min_deterring_slash_expr,
    n_challenger_equilibrium,
    volunteers_dilemma_rate,
)
from otr_theory.report.core import math_svg

CONVENTIONS = ("forfeit", "keep")
G, S, rho, q, m, g, n, P = (SYMBOLS[k] for k in ("G", "S", "rho", "q", "m", "g", "n", "p"))
DETECTION = 1 - (1 - rho) * (1 - q)


def _random_point(symbols, rng):
    point = {}
    for s in symbols:
        if s.name == "365.25":
            point[s] = sp.Rational(1461, 4)
        elif s.is_integer:
            point[s] = sp.Integer(rng.randint(2, 9))
        else:
            point[s] = sp.Rational(rng.randint(1, 97), 100)  # in (0, 1): probabilities stay valid
    return point


def _sides(rel):
    return (rel.lhs, rel.rhs) if isinstance(rel, sp.Eq) else (rel.lhs - rel.rhs, sp.Integer(0))


@pytest.mark.parametrize("conv", CONVENTIONS)
@pytest.mark.parametrize("name", EXPRESSIONS)
def test_displayed_formula_is_the_derived_one(name, conv):
    """Every formula the report prints equals the formula the code evaluates, at random points."""
    shown, derived = display_condition(name, conv), condition(name, conv)
    assert type(shown) is type(derived)
    rng = random.Random(hash((name, conv)) % 1000)
    syms = shown.free_symbols | derived.free_symbols
    for _ in range(5):
        pt = _random_point(syms, rng)
        # p is shorthand for 1 - (1-rho)(1-q) wherever it appears
        a = [sp.N(e.doit().subs(P, DETECTION).subs(pt), 30) for e in _sides(shown)]
        b = [sp.N(e.doit().subs(P, DETECTION).subs(pt), 30) for e in _sides(derived)]
        for u, v in zip(a, b):
            assert abs(u - v) < sp.Float(1e-20), (name, pt)


@pytest.mark.parametrize("conv", CONVENTIONS)
def test_latex_parses_in_mathtext(conv):
    conds = latex_conditions(conv)
    assert set(conds) == set(EXPRESSIONS)
    for name, tex in conds.items():
        assert "\n" not in tex and "operatorname" not in tex
        assert math_svg(tex) is not None, (name, tex)


def test_min_slash_reduces_to_becker_and_the_inspection_threshold():
    """Becker (1968): S* = g/p; inspection games (Avenhaus et al. 2002): S* = g(1-p)/p."""
    assert sp.simplify(min_deterring_slash_expr("keep").subs(q, 0) - g / rho) == 0
    assert sp.simplify(min_deterring_slash_expr("forfeit").subs(q, 0) - g * (1 - rho) / rho) == 0
    assert sp.simplify(min_deterring_slash_expr("keep", margin=True) * (1 - (1 - rho) * (1 - q)) - (g + m)) == 0


def test_monitoring_rate_reduces_to_avenhaus_and_falls_with_the_penalty():
    """With no spot-checks y* = d/(d+b) (Avenhaus, von Stengel & Zamir 2002); it falls as the
    penalty S rises (Tsebelis 1989) under both conventions."""
    y_forfeit = expression("monitoring_rate", "forfeit")
    assert sp.simplify(y_forfeit.subs(rho, 0) - G / (G + S)) == 0
    rng = random.Random(3)
    for conv in CONVENTIONS:
        dy = sp.diff(expression("monitoring_rate", conv), S)
        for _ in range(10):
            pt = {G: sp.Rational(rng.randint(1, 100)), S: sp.Rational(rng.randint(101, 10_000)), rho: sp.Rational(rng.randint(0, 99), 1000)}
            assert dy.subs(pt) < 0


@pytest.mark.parametrize("conv", CONVENTIONS)
def test_lambdified_matches_numeric(conv):
    rng = np.random.default_rng(11)
    gains, ps, margins = rng.uniform(0, 1e3, 50), rng.uniform(0.01, 1, 50), rng.uniform(0, 10, 50)
    f = lambdified("min_slash", conv)
    assert set(f.arguments) == {"G", "p", "incentive_margin_usd"}
    np.testing.assert_allclose(f(G=gains, p=ps, incentive_margin_usd=margins), min_deterring_slash(gains, ps, conv, margin_usd=margins), rtol=1e-12)
    slashes = rng.uniform(1, 1e5, 50)
    np.testing.assert_allclose(
        lambdified("min_detection", conv)(G=gains, slash_usd=slashes, incentive_margin_usd=margins),
        min_detection(gains, slashes, conv, margin_usd=margins),
        rtol=1e-12,
    )
    with pytest.raises(PayoffError, match="slash_usd"):
        lambdified("min_detection", conv)(G=1.0, incentive_margin_usd=0.0)
    with pytest.raises(PayoffError, match="name"):
        lambdified("no_such_formula", conv)


def test_compromise_probability_lambdified_and_exact(model):
    v = model.values()
    f = lambdified("compromise_probability")
    args = {k: v[k] for k in f.arguments}
    assert float(f(**args)) == pytest.approx(float(compromise_probability(v)), rel=1e-12)
    assert float(evaluate("compromise_probability", v)) == pytest.approx(float(compromise_probability(v)), rel=1e-12)


def test_fields_are_model_fields(model):
    for s, field in FIELD_OF_SYMBOL.items():
        assert field in model.values(), (s, field)


@pytest.mark.parametrize("conv", CONVENTIONS)
def test_exact_evaluation_agrees_with_the_numeric_conditions(model, conv):
    v = model.values()
    ic = incentive_conditions(v, conv)
    for dev, cond in ic.items():
        holds = evaluate(f"ic_{dev}", v, conv, q=0)
        assert bool(holds) == cond.deterred
    # thresholds: exact rationals
    s_star = evaluate("min_slash", v, conv, G=v["external_gain_usd"], p=v["spot_check_rate"])
    assert isinstance(s_star, sp.Rational)
    assert float(s_star) == pytest.approx(ic["wrong_output"].min_slash_usd, rel=1e-12)


def test_equilibrium_closed_forms_agree_with_the_solvers(model):
    v = dict(model.values(), slash_usd=1_000.0)
    one = inspection_equilibrium(v)
    y = evaluate("monitoring_rate", v, G=v["external_gain_usd"])
    x = evaluate("fraud_rate", v)
    assert (sp.Rational(one.exact_point[0]), sp.Rational(one.exact_point[1])) == (x, y)
    for count in (2, 3, 50):
        eq = n_challenger_equilibrium(v, count)
        yn = evaluate("n_monitoring_rate", v, **{"y^*": y, "n": count})
        xn = evaluate("n_fraud_rate", v, **{"y^*": y, "y_n^*": yn, "n": count})
        assert float(yn) == pytest.approx(float(eq.monitoring_rate), rel=1e-9)
        assert float(xn) == pytest.approx(float(eq.fraud_rate), rel=1e-9)


def test_volunteer_and_truebit_expressions():
    p0 = expression("volunteer").subs({SYMBOLS["c"]: 1, SYMBOLS["b"]: 10, n: 4})
    y = float(volunteers_dilemma_rate(10.0, 1.0, 4))
    assert float(p0) == pytest.approx((1 - y) ** 4)
    truebit = condition("truebit")
    assert truebit.subs({SYMBOLS["varphi"]: sp.Rational(1, 1000), SYMBOLS["J"]: 1, SYMBOLS["c"]: sp.Rational(1, 1000)}) == sp.true


def test_the_name_list_is_the_table():
    from otr_theory.payoffs.symbolic import _expressions

    for conv in CONVENTIONS:
        assert tuple(_expressions(conv)) == EXPRESSIONS
    with pytest.raises(PayoffError, match="^name"):
        condition("S_star")
    with pytest.raises(PayoffError, match="^convention"):
        condition("min_slash", "becker")


def test_lazy_name_list_matches_the_symbolic_module():
    """payoffs/__init__ lists the symbolic names by hand (to import sympy lazily): keep it in step."""
    import otr_theory.payoffs as payoffs
    import otr_theory.payoffs.symbolic as symbolic

    assert set(payoffs._SYMBOLIC) == set(symbolic.__all__)
    for name in symbolic.__all__:
        assert getattr(payoffs, name) is getattr(symbolic, name)
