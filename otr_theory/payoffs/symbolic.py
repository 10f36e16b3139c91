"""The payoff model in sympy: symbols, expressions, conditions, LaTeX and lambdified versions.

Exact where it can be: expressions hold sympy Rationals; :func:`evaluate` substitutes a model's
values as Rationals (floats through their repr), and :func:`lambdified` is the one named boundary
where the expressions become numpy float functions.

The symbols stand for model fields (:data:`FIELD_OF_SYMBOL`); the others (G, p, q, x, y, Q,
phi, J, k, b) are arguments a caller supplies by name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from otr_theory.payoffs._checks import DEVIATIONS, PayoffError, check_convention, check_deviation, exact

__all__ = [
    "EXPRESSIONS",
    "FIELD_OF_SYMBOL",
    "SYMBOLS",
    "condition",
    "describe",
    "display_condition",
    "evaluate",
    "expression",
    "ic_condition",
    "latex_conditions",
    "lambdified",
    "min_deterring_slash_expr",
    "min_detection_expr",
    "min_spot_check_rate_expr",
    "payoff_expr",
]

_pos = dict(nonnegative=True, real=True)
G = sp.Symbol("G", **_pos)  # gain of a generic deviation
g = sp.Symbol("g", **_pos)
dc = sp.Symbol("d_c", **_pos)
ds = sp.Symbol("d_s", **_pos)
S = sp.Symbol("S", **_pos)
rho = sp.Symbol("rho", **_pos)
q = sp.Symbol("q", **_pos)
p = sp.Symbol("p", **_pos)
a = sp.Symbol("a", **_pos)
c = sp.Symbol("c", **_pos)
m = sp.Symbol("m", **_pos)
n = sp.Symbol("n", positive=True, integer=True)
x = sp.Symbol("x", **_pos)
y = sp.Symbol("y", **_pos)
phi = sp.Symbol("varphi", **_pos)
J = sp.Symbol("J", **_pos)
b = sp.Symbol("b", **_pos)  # public benefit of a volunteer (Diekmann)
beta = sp.Symbol("beta", **_pos)  # challenger bond
g_f = sp.Symbol("g_f", **_pos)  # what a frivolous challenge gains (griefing)
f = sp.Symbol("f", **_pos)  # fee per query
k = sp.Symbol("k", **_pos)  # honest cost per query
Q = sp.Symbol("Q", **_pos)  # queries per epoch
stake = sp.Symbol("L", **_pos)  # locked stake
r = sp.Symbol("r", **_pos)
W = sp.Symbol("W", **_pos)
Y = sp.Symbol("Y", positive=True)  # seconds per year
lam = sp.Symbol("lambda", **_pos)
D = sp.Symbol("D", **_pos)
f_c = sp.Symbol("f_c", **_pos)
h = sp.Symbol("h", **_pos)

SYMBOLS: Mapping[str, sp.Symbol] = {s.name: s for s in (G, g, dc, ds, S, rho, q, p, a, c, m, n, x, y, phi, J, b, beta, g_f, f, k, Q, stake, r, W, Y, lam, D, f_c, h)}
"""Every symbol, by its sympy name."""

FIELD_OF_SYMBOL: Mapping[sp.Symbol, str] = {
    g: "external_gain_usd",
    dc: "downgrade_saving_usd_per_query",
    ds: "skip_saving_usd_per_query",
    S: "slash_usd",
    rho: "spot_check_rate",
    a: "challenger_reward_share",
    c: "check_cost_usd_per_query",
    m: "incentive_margin_usd",
    n: "count",
    beta: "challenger_bond_usd",
    f: "fee_usd_per_query",
    stake: "stake_usd",
    r: "capital_cost_rate_per_year",
    W: "window_s",
    lam: "compromise_rate_per_year",
    D: "compromise_duration_days",
    f_c: "compromised_fraction",
}
"""The model field each symbol stands for."""

GAIN_SYMBOL = {"wrong_output": g, "model_downgrade": dc, "skip_work": ds}

# ---------------------------------------------------------------------------------------------
# the expressions

DETECTION = 1 - (1 - rho) * (1 - q)


def payoff_expr(convention: str, gain: sp.Expr = G, detection: sp.Expr = DETECTION) -> sp.Expr:
    """A deviation's payoff relative to honesty: forfeit (1-p)G - pS, keep G - pS.

    >>> payoff_expr("keep", detection=p)
    G - S*p
    """
    conv = check_convention(convention)
    return (1 - detection) * gain - detection * S if conv == "forfeit" else gain - detection * S


def ic_condition(deviation: str, convention: str) -> sp.Rel:
    """The incentive-compatibility condition of a deviation: payoff <= -m (spot-checks and
    challengers, compromised TEE).

    >>> ic_condition("model_downgrade", "keep").subs(q, 0)
    -S*rho + d_c <= -m
    """
    return sp.Le(payoff_expr(convention, GAIN_SYMBOL[check_deviation(deviation)]), -m)


def _solve_linear(eq: sp.Expr, var: sp.Symbol) -> sp.Expr:
    sol = sp.solve(sp.Eq(eq, 0), var, dict=True)
    if len(sol) != 1:  # pragma: no cover - the payoffs are linear in each threshold
        raise RuntimeError(f"expected one solution for {var}, got {sol}")
    return sp.factor(sp.simplify(sol[0][var]))


@functools.lru_cache(maxsize=None)
def min_deterring_slash_expr(convention: str, *, margin: bool = False, gain: sp.Symbol = g) -> sp.Expr:
    """S*, derived by solving payoff = -m for S: forfeit ((1-p)G + m)/p, keep (G + m)/p.

    Parameters
    ----------
    convention : {"forfeit", "keep"}
    margin : bool, optional
        Include the margin m (default: no, m = 0).
    gain : Symbol, optional
        The gain symbol (default g, the external gain of a wrong output).

    Examples
    --------
    >>> sp.simplify(min_deterring_slash_expr("keep").subs(q, 0))
    g/rho
    >>> min_deterring_slash_expr("forfeit", margin=True).subs(q, 0)
    (-g*rho + g + m)/rho
    """
    mm = m if margin else 0
    return _solve_linear(payoff_expr(convention, gain) + mm, S)


@functools.lru_cache(maxsize=None)
def min_detection_expr(convention: str, *, gain: sp.Symbol = G) -> sp.Expr:
    """p*, derived by solving payoff(p) = -m for p: forfeit (G+m)/(G+S), keep (G+m)/S.

    >>> min_detection_expr("forfeit")
    (G + m)/(G + S)
    """
    return _solve_linear(payoff_expr(convention, gain, p) + m, p)


@functools.lru_cache(maxsize=None)
def min_spot_check_rate_expr(convention: str, *, gain: sp.Symbol = G) -> sp.Expr:
    """rho* before clipping at 0: solve 1-(1-rho)(1-q) = p* for rho: 1 - (1-p*)/(1-q).
    It exists iff p* <= 1; the rate is max(0, rho*).

    >>> sp.simplify(min_spot_check_rate_expr("keep").subs(q, 0) - (G + m)/S)
    0
    """
    return sp.simplify(_solve_linear(DETECTION - min_detection_expr(convention, gain=gain), rho))


def _monitoring_rate(convention: str) -> sp.Expr:
    """y* from the prover's indifference (1-y)A + yB = 0, A = cheat|idle, B = cheat|monitor."""
    A = payoff_expr(convention, G, rho)
    B = payoff_expr(convention, G, sp.Integer(1))
    return _solve_linear((1 - y) * A + y * B, y)


Y_STAR = sp.Symbol("y^*", **_pos)
YN_STAR = sp.Symbol("y_n^*", **_pos)
P_STAR = sp.Symbol("p^*", **_pos)
s_share = sp.Symbol("s", **_pos)
t_share = sp.Symbol("t", **_pos)


def _lhs(name: str) -> sp.Symbol:
    return sp.Symbol(name, real=True)


def _expressions(convention: str) -> dict[str, tuple[sp.Basic, sp.Basic, str]]:
    """name -> (display form, derived form, what it is).

    The derived form is what :func:`condition`, :func:`evaluate` and :func:`lambdified` use;
    the display form is the same statement written for a reader (unevaluated, factored as in
    the docs). Tests check that the two agree. Ours unless a source is named.
    """
    forfeit = convention == "forfeit"
    share = (1 - (1 - y) ** n) / (n * y)
    yst = _monitoring_rate(convention)
    d: dict[str, tuple[sp.Basic, sp.Basic, str]] = {}
    with sp.evaluate(False):
        disp = {
            "compromise_probability": sp.Eq(h, f_c * (1 - sp.exp(-lam * D / sp.Symbol("365.25", positive=True)))),
            "detection": sp.Eq(p, 1 - (1 - rho) * (1 - q)),
            "payoff": sp.Eq(_lhs("u"), (1 - p) * G - p * S if forfeit else G - p * S),
            "min_slash": sp.Eq(_lhs("S^*"), ((1 - p) * G + m) / p if forfeit else (G + m) / p),
            "min_detection": sp.Eq(P_STAR, (G + m) / (G + S) if forfeit else (G + m) / S),
            "min_spot_check_rate": sp.Eq(_lhs("rho^*"), sp.Max(0, 1 - (1 - P_STAR) / (1 - q))),
            "fraud_rate": sp.Eq(_lhs("x^*"), c / (a * S)),
            "monitoring_rate": sp.Eq(
                Y_STAR,
                ((1 - rho) * G - rho * S) / ((1 - rho) * (G + S)) if forfeit else (G - rho * S) / ((1 - rho) * S),
            ),
            "n_monitoring_rate": sp.Eq(YN_STAR, 1 - (1 - Y_STAR) ** (1 / n)),
            "n_fraud_rate": sp.Eq(_lhs("x_n^*"), c * n * YN_STAR / (a * S * Y_STAR)),
            "reward_share": sp.Eq(s_share, (1 - (1 - y) ** n) / (n * y)),
            "participation": sp.Ge(x * a * S * s_share + phi * J * t_share, c),
            "truebit": sp.Ge(phi * J, c),
            "volunteer": sp.Eq(_lhs("P_0"), (c / b) ** (n / (n - 1))),
            "epoch_profit": sp.Eq(_lhs("Pi"), Q * (f - k) - stake * r * W / Y),
            "frivolous": sp.Ge(beta, g_f + m),
        }
        for dev in DEVIATIONS:
            gain = GAIN_SYMBOL[dev]
            disp[f"ic_{dev}"] = sp.Le((1 - p) * gain - p * S if forfeit else gain - p * S, -m)
    derived = {
        # lambda per year, D in days: the exponent is lambda D / 365.25
        "compromise_probability": sp.Eq(h, f_c * (1 - sp.exp(-lam * D / sp.Rational(1461, 4)))),
        "detection": sp.Eq(p, DETECTION),
        "payoff": sp.Eq(_lhs("u"), payoff_expr(convention, G, p)),
        "min_slash": sp.Eq(_lhs("S^*"), _solve_linear(payoff_expr(convention, G, p) + m, S)),
        "min_detection": sp.Eq(P_STAR, min_detection_expr(convention)),
        "min_spot_check_rate": sp.Eq(_lhs("rho^*"), sp.Max(0, _solve_linear(DETECTION - P_STAR, rho))),
        "fraud_rate": sp.Eq(_lhs("x^*"), _solve_linear(x * a * S - c, x)),
        "monitoring_rate": sp.Eq(Y_STAR, yst),
        "n_monitoring_rate": sp.Eq(YN_STAR, 1 - (1 - Y_STAR) ** (1 / n)),
        "n_fraud_rate": sp.Eq(_lhs("x_n^*"), c / (a * S * (Y_STAR / (n * YN_STAR)))),
        "reward_share": sp.Eq(s_share, share),
        "participation": sp.Ge(x * a * S * s_share + phi * J * t_share, c),
        "truebit": sp.Ge(phi * J, c),
        "volunteer": sp.Eq(_lhs("P_0"), (c / b) ** (n / (n - 1))),
        "epoch_profit": sp.Eq(_lhs("Pi"), Q * (f - k) - stake * r * W / Y),
        "frivolous": sp.Ge(beta, g_f + m),
    }
    for dev in DEVIATIONS:
        derived[f"ic_{dev}"] = ic_condition(dev, convention)
    what = {
        "compromise_probability": "probability that the prover's TEE is compromised at a query (Poisson windows; ours), lambda D in years",
        "detection": "probability that a deviation by a compromised prover is caught",
        "payoff": "payoff of a deviation relative to honesty (" + ("inspection games, Avenhaus et al. 2002" if forfeit else "Becker 1968") + ")",
        "min_slash": "minimum deterring slash",
        "min_detection": "minimum deterring detection probability",
        "min_spot_check_rate": "minimum deterring spot-check rate (exists iff p* <= 1)",
        "fraud_rate": "equilibrium fraud rate, one challenger (Avenhaus, von Stengel & Zamir 2002)",
        "monitoring_rate": "equilibrium monitoring rate, one challenger (Avenhaus, von Stengel & Zamir 2002)",
        "n_monitoring_rate": "each of n challengers' monitoring rate (ours)",
        "n_fraud_rate": "fraud rate with n challengers (ours)",
        "reward_share": "a monitor's expected share of the reward, K ~ Bin(n-1, y) (ours)",
        "participation": "a challenger monitors iff (verifier's dilemma, Luu et al. 2015; ours)",
        "truebit": "forced errors keep a lone verifier checking an honest prover (Teutsch & Reitwiessner 2017)",
        "volunteer": "probability that nobody volunteers (Diekmann 1985)",
        "epoch_profit": "honest prover's profit per challenge window, capital cost of the stake L (ours)",
        "frivolous": "a frivolous challenge does not pay: the bond covers the griefing gain (ours)",
    }
    for dev in DEVIATIONS:
        what[f"ic_{dev}"] = f"{dev} is deterred with margin m (ours)"
    for name in derived:
        d[name] = (disp[name], derived[name], what[name])
    return d


@functools.lru_cache(maxsize=None)
def _cached(convention: str) -> dict[str, tuple[sp.Basic, sp.Basic, str]]:
    return _expressions(check_convention(convention))


EXPRESSIONS: tuple[str, ...] = (
    "compromise_probability",
    "detection",
    "payoff",
    "min_slash",
    "min_detection",
    "min_spot_check_rate",
    "fraud_rate",
    "monitoring_rate",
    "n_monitoring_rate",
    "n_fraud_rate",
    "reward_share",
    "participation",
    "truebit",
    "volunteer",
    "epoch_profit",
    "frivolous",
    *(f"ic_{dev}" for dev in DEVIATIONS),
)
"""Names accepted by :func:`condition`, :func:`expression`, :func:`lambdified`, :func:`evaluate`
(the tables themselves are derived on first use)."""


def _entry(name: str, convention: str) -> tuple[sp.Basic, sp.Basic, str]:
    if name not in EXPRESSIONS:
        raise PayoffError("name", f"must be one of {', '.join(EXPRESSIONS)}", name)
    return _cached(check_convention(convention))[name]


def condition(name: str, convention: str = "forfeit") -> sp.Basic:
    """The named equation or condition (an Eq or an inequality), as derived.

    >>> condition("min_detection", "keep")
    Eq(p^*, (G + m)/S)
    """
    return _entry(name, convention)[1]


def display_condition(name: str, convention: str = "forfeit") -> sp.Basic:
    """The named equation or condition as written for a reader (unevaluated sympy).

    >>> display_condition("min_slash", "forfeit")
    Eq(S^*, (G*(1 - p) + m)/p)
    """
    return _entry(name, convention)[0]


def describe(name: str, convention: str = "forfeit") -> str:
    """What a named equation is, and whose it is.

    >>> describe("truebit")
    'forced errors keep a lone verifier checking an honest prover (Teutsch & Reitwiessner 2017)'
    """
    return _entry(name, convention)[2]


def expression(name: str, convention: str = "forfeit") -> sp.Expr:
    """The right-hand side of an equation, or ``lhs - rhs`` of a condition (>= 0 or <= 0 holds).

    >>> expression("min_detection", "keep")
    (G + m)/S
    """
    rel = condition(name, convention)
    return rel.rhs if isinstance(rel, sp.Eq) else rel.lhs - rel.rhs


_LATEX_NAMES = {"rho^*": "\\rho^*", "Pi": "\\Pi", "u": "u_{\\mathrm{dev}}", "L": "L_{\\mathrm{stake}}", "Y": "T_{\\mathrm{year}}", "beta": "\\beta_{\\mathrm{bond}}"}


def latex_conditions(convention: str) -> dict[str, str]:
    """Every equation and condition as one line of LaTeX that matplotlib's mathtext parses.

    Examples
    --------
    >>> latex_conditions("keep")["min_detection"]
    'p^{*} = \\\\frac{G + m}{S}'
    """
    out = {}
    for name, (rel, _, _) in _cached(check_convention(convention)).items():
        names = {s: _LATEX_NAMES.get(s.name, sp.latex(s)) for s in rel.free_symbols}
        out[name] = sp.latex(rel, order="none", symbol_names=names).replace("\\operatorname{Max}", "\\max")
    return out


def _symbol_key(s: sp.Symbol) -> str:
    return FIELD_OF_SYMBOL.get(s, s.name)


@functools.lru_cache(maxsize=None)
def _lambdified(name: str, convention: str) -> tuple[Callable[..., Any], tuple[str, ...]]:
    expr = expression(name, convention)
    syms = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
    return sp.lambdify(syms, expr, modules="numpy"), tuple(_symbol_key(s) for s in syms)


def lambdified(name: str, convention: str = "forfeit") -> Callable[..., Any]:
    """The named expression as a numpy function of keyword arguments (the one float boundary).

    Arguments are named after the model fields (``slash_usd``, ``spot_check_rate``, ...) or,
    for symbols that are not fields, after the symbol (``G``, ``q``, ``p``, ``y``). The
    returned function has an ``arguments`` attribute listing them.

    Examples
    --------
    >>> f = lambdified("min_detection", "forfeit")
    >>> f.arguments
    ('G', 'slash_usd', 'incentive_margin_usd')
    >>> float(f(G=100.0, slash_usd=9900.0, incentive_margin_usd=0.0))
    0.01
    """
    fn, keys = _lambdified(name, check_convention(convention))

    def call(**kwargs: Any) -> Any:
        missing = [k for k in keys if k not in kwargs]
        if missing:
            raise PayoffError(missing[0], f"is needed by {name!r}", None)
        extra = sorted(set(kwargs) - set(keys))
        if extra:
            raise PayoffError(extra[0], f"is not an argument of {name!r} (arguments: {', '.join(keys)})", kwargs[extra[0]])
        with np.errstate(divide="ignore", invalid="ignore"):
            return fn(*(np.asarray(kwargs[k], dtype=float) for k in keys))

    call.arguments = keys  # type: ignore[attr-defined]
    call.__name__ = f"{name}_{convention}"
    call.__doc__ = f"{name} ({convention}) = {expression(name, convention)}"
    return call


def evaluate(name: str, values: Mapping[str, Any], convention: str = "forfeit", **extra: Any) -> sp.Basic:
    """The named expression (or condition) at ``values``, exactly: floats enter through their
    repr as Rationals. ``extra`` (by symbol or field name) supplies the symbols that are not
    model fields and overrides values that are.

    Returns a sympy Rational (or a boolean for a condition) where everything is rational.

    Examples
    --------
    >>> from otr_theory.model import load_model
    >>> evaluate("min_slash", load_model().values(), G=100, p=sp.Rational(1, 100))
    10000
    >>> evaluate("min_slash", load_model().values(), G=100, p=0.01)
    10000
    >>> evaluate("ic_wrong_output", load_model().values(), q=0)
    True
    """
    rel = condition(name, convention)
    subs = {}
    for s in rel.free_symbols:
        key = _symbol_key(s)
        if s.name in extra:
            v = extra[s.name]
        elif key in extra:
            v = extra[key]
        elif s in FIELD_OF_SYMBOL and key in values:
            v = values[key]
        else:
            continue
        if isinstance(v, sp.Basic):
            subs[s] = v
        else:
            fr = exact(key, v)
            subs[s] = sp.Rational(fr.numerator, fr.denominator)
    if Y in rel.free_symbols and "Y" not in extra:
        subs[Y] = sp.Rational(1461 * 86400, 4)
    target = rel.rhs if isinstance(rel, sp.Eq) else rel
    return sp.simplify(target.subs(subs))


def as_fraction(value: sp.Basic) -> Fraction:
    """A rational sympy number as a Fraction."""
    r = sp.Rational(value)
    return Fraction(int(r.p), int(r.q))
