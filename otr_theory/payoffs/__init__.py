r"""Payoff models and incentive conditions of an Optimistic TEE-Rollup, symbolic and numeric.

Everything here is per query unless it says *per epoch* (one challenge window W). The symbols
and the model fields they stand for: G gain of a deviation -- g ``external_gain_usd`` (wrong
output), :math:`d_c` ``downgrade_saving_usd_per_query`` (model downgrade), :math:`d_s`
``skip_saving_usd_per_query`` (skipping the work); S ``slash_usd``; :math:`\rho`
``spot_check_rate``; a ``challenger_reward_share``; c ``check_cost_usd_per_query``;
:math:`\beta` ``challenger_bond_usd``; n ``count``; m ``incentive_margin_usd``; f
``fee_usd_per_query``; L ``stake_usd``; r ``capital_cost_rate_per_year``; W ``window_s``.
Submodules: :mod:`~otr_theory.payoffs.conditions` (numeric deterrence, vectorized),
:mod:`~otr_theory.payoffs.inspection` (the games' equilibria), :mod:`~otr_theory.payoffs.symbolic`
(sympy: the same equations, derived, with LaTeX and lambdified versions),
:mod:`~otr_theory.payoffs.corruption` (cost of corruption against profit from corruption: the
prover's deviation over time, detection lag, one slash; the security criterion),
:mod:`~otr_theory.payoffs.analysis` (all of it at a model, as one typed record:
``analyse(model) -> IncentivesAnalysis``). The minimum slash has one definition,
:func:`minimum_slash`, with named variants (``one_query``, ``break_even``, ``over_time``).

1. TEE compromise (ours). Vulnerability windows arrive as a Poisson process (rate
   :math:`\lambda` per year) and last D days; the probability that one is open at a given
   query is that of an M/D/infinity queue being busy, :math:`1 - e^{-\lambda D/365.25}`. A
   fraction :math:`f_c` of provers can use an open window:
   :math:`h = f_c (1 - e^{-\lambda D / 365.25})`.

2. Detection (ours). With an intact TEE and the attestation check a deviating result has no
   valid attestation and is rejected (caught with probability 1). With a compromised TEE only the
   spot-check (rate :math:`\rho`, randomness after the commitment, a missed proof slashed;
   otherwise :math:`\rho_{\mathrm{eff}} = 0`) and the challengers (q = P(at least one monitors))
   remain: :math:`p = 1 - (1-\rho)(1-q)`. All three deviations are caught alike: a spot-checked
   prover cannot prove the committed output for the registered model, a re-executing challenger
   sees the difference.

3. A deviation's payoff relative to honesty, two conventions (DESIGN.md):
   ``forfeit`` -- the gain is lost when caught (inspection games; Avenhaus, von Stengel & Zamir
   2002): :math:`u = (1-p)G - pS`; ``keep`` -- the gain is kept and S paid on top (Becker 1968):
   :math:`u = G - pS`. Deterred with margin m iff :math:`u \le -m` (equality deters).

4. Thresholds (solved from 3; the forms are classical, the margin is ours):
   :math:`S^* = ((1-p)G + m)/p` (forfeit), :math:`(G+m)/p` (keep), infinite when p = 0;
   :math:`p^* = (G+m)/(G+S)` (forfeit), :math:`(G+m)/S` (keep) -- with m = 0 and q = 0 these
   are Becker's "deterred iff p >= g/S" and the inspection-game threshold g/(g+S);
   :math:`\rho^* = \max(0, 1 - (1-p^*)/(1-q))`, which exists iff :math:`p^* \le 1`.

5. Inspection game with one challenger (Avenhaus, von Stengel & Zamir 2002, the basic
   2x2 game; our payoffs). Rows prover honest/cheat, columns challenger monitor/idle, payoffs
   relative to honest-and-idle. Prover: honest 0 | 0; cheat :math:`B` | :math:`A` with
   :math:`A = (1-\rho)G - \rho S`, :math:`B = -S` (forfeit) or :math:`A = G - \rho S`,
   :math:`B = G - S` (keep). Challenger (reward :math:`R = aS`): honest :math:`-c` | 0; cheat
   :math:`R - c` | 0. When :math:`A > 0 > B` and :math:`0 < c < R` the unique equilibrium is
   mixed: :math:`x^* = c/(aS)`, :math:`y^* = A/(A-B)`. If the spot-checks alone deter
   (:math:`A < 0`) the unique equilibrium is (honest, idle): nobody monitors -- the verifier's
   dilemma (Luu et al. 2015). Ties give a continuum, reported as a set. When the inspector's
   reward does not depend on S, raising S lowers :math:`y^*` and leaves :math:`x^*` unchanged
   (Tsebelis 1989); here :math:`R = aS`, so raising S also lowers :math:`x^*` (ours).

6. n challengers, symmetric equilibrium (ours). Each monitors with probability y;
   :math:`q = 1-(1-y)^n`; the reward goes to one finder chosen uniformly, so a monitor's
   expected share is :math:`s(y) = (1-(1-y)^n)/(ny)`. Prover indifference pins
   :math:`q^* = y^*` of item 5, so :math:`y_n^* = 1-(1-y^*)^{1/n}` and challenger indifference
   :math:`x aS s(y_n^*) = c` gives :math:`x_n^* = c\,n\,y_n^*/(aS\,y^*)`, which rises with n to
   :math:`c\,(-\ln(1-y^*))/(aS\,y^*)`. Outside the interior a 1-D root of the monitoring
   advantage gives y (see :func:`n_challenger_equilibrium`).

6a. The network's equilibrium (ours). Items 5 and 6 are the game of a prover who can deviate.
   In the network only a share h of the queries have such a prover (``forgeable_share``; item
   1's h with the attestation check, 1 without it, times :math:`1-\rho` when the spot-check
   selection is known in advance: :func:`network_forgeable_share`), and a challenger cannot
   tell which. With x the fraud rate of a prover who can deviate, monitoring pays
   :math:`hx\,aS\,s(y) - c` on average; the prover's payoffs, and so :math:`q^*` and
   :math:`y_n^*`, do not involve h. The interior equilibrium is therefore
   :math:`x_n^* = c/(h\,aS\,s(y_n^*))` (one challenger: :math:`x^* = c/(haS)`), the fraud per
   query :math:`hx_n^*` is that of items 5-6 with h = 1, and the interior exists iff
   :math:`c < h\,aS\,s(y_n^*)`. Beyond it (:math:`c \ge h\,aS\,s(y_n^*)`, A > 0, B < 0) the
   prover who can deviate always does (x = 1) and y is the root of :math:`h\,aS\,s(y) = c`
   (0 once :math:`c \ge haS`, so always for n = 1), which falls to 0 as :math:`h \to 0`:
   monitoring collapses. Solving the games at h = 1 when h < 1 leaves a monitor
   :math:`-c(1-h)` per check: not an equilibrium of the network.

7. Challengers' participation (verifier's dilemma; ours): a challenger monitors iff
   :math:`M = x\,aS\,s(y) + \varphi J t(y) - c \ge 0`. With an honest prover (x = 0) and no
   forced errors, M = -c < 0: nobody checks. Forced errors (Truebit; Teutsch & Reitwiessner
   2017) at rate :math:`\varphi` with jackpot J add :math:`\varphi J t(y)`, t the expected jackpot
   share (uniform :math:`t = s`; Truebit's halving split, k finders share :math:`J/2^{k-1}`:
   :math:`t = ((1-y/2)^n - (1-y)^n)/(ny/2)`, ours from the binomial sum). A lone verifier keeps
   checking an honest prover iff :math:`\varphi J \ge c` (Truebit's condition); with n
   verifiers all checking iff :math:`\varphi J\,w(n) \ge c`. With forced errors the equilibrium
   fraud rate falls to :math:`(c - \varphi J t(y_n^*))/(aS\,s(y_n^*))` and is 0 once
   :math:`\varphi J t(y_n^*) \ge c`. Spot-checks do not enter M: they lower A, and so
   :math:`y^*`, and at :math:`A < 0` they remove fraud and, with it, the challengers' reason to
   check. A public benefit b to every challenger when fraud is caught turns the participation
   game, with R = 0 and x = 1, into Diekmann's (1985) volunteer's dilemma: each abstains with
   probability :math:`(c/b)^{1/(n-1)}`, nobody volunteers with :math:`(c/b)^{n/(n-1)}`, which
   rises with n.

8. Per epoch (ours). An honest prover's profit over one window with Q queries:
   :math:`\Pi = Q(f - k) - L r W / \mathrm{year}`, k the honest cost per query (compute
   :math:`d_s`, expected proof :math:`\rho\,C_{zk}`, the commitment's gas share). Deviating on k
   of the epoch's queries, slashed at most once: :math:`P_k = 1-(1-p)^k`, forfeit
   :math:`(1-P_k)kG - P_kS`, keep :math:`kG - P_kS` (convex in k: the best k is 1 or Q).

9. Frivolous challenges (ours): challenging an honest result forfeits the bond,
   :math:`g_f - \beta`; unprofitable with margin m iff :math:`\beta \ge g_f + m`.

References
----------
Avenhaus, R., von Stengel, B., Zamir, S. (2002). Inspection games. Handbook of Game Theory with
Economic Applications, vol. 3, ch. 51, 1947-1987.
Becker, G. S. (1968). Crime and punishment: an economic approach. J. Political Economy 76(2).
Tsebelis, G. (1989). The abuse of probability in political analysis: the Robinson Crusoe
fallacy. American Political Science Review 83(1), 77-91.
Teutsch, J., Reitwiessner, C. (2017). A scalable verification solution for blockchains
(Truebit whitepaper), section 4 (jackpots, forced errors); arXiv 1908.04756.
Diekmann, A. (1985). Volunteer's dilemma. J. Conflict Resolution 29(4), 605-610.
Luu, L., Teutsch, J., Kulkarni, R., Saxena, P. (2015). Demystifying incentives in the consensus
computer. ACM CCS 2015.
"""

from otr_theory.payoffs._checks import CONVENTIONS, DEVIATIONS, PayoffError
from otr_theory.payoffs.conditions import (
    DAYS_PER_YEAR,
    GAIN_FIELDS,
    MINIMUM_SLASH_VARIANTS,
    SECONDS_PER_YEAR,
    capital_cost_usd,
    compromise_probability,
    detection_probability,
    deterrence_margin,
    deviation_detection,
    deviation_gain,
    deviation_payoff,
    effective_spot_check_rate,
    epoch_deviation_payoff,
    frivolous_challenge_payoff,
    full_load_queries,
    honest_cost_usd_per_query,
    honest_epoch_profit,
    is_deterred,
    max_epoch_deviation,
    min_detection,
    min_deterring_slash,
    min_spot_check_rate,
    minimum_slash,
)
from otr_theory.payoffs.corruption import (
    Assessment,
    Attack,
    CorruptionInputs,
    assess,
    best_strategy,
    corruption_inputs,
    exposure_usd,
    required_stake,
)
from otr_theory.payoffs.incentives import DeviationCondition, incentive_conditions
from otr_theory.payoffs.inspection import (
    JACKPOT_SPLITS,
    ChallengerEquilibrium,
    InspectionEquilibrium,
    expected_jackpot_share,
    expected_reward_share,
    inspection_equilibrium,
    inspection_game,
    inspection_game_exact,
    monitoring_advantage,
    n_challenger_equilibrium,
    network_forgeable_share,
    solve_inspection_game,
    symmetric_monitoring_rate,
    volunteers_dilemma_rate,
)

_SYMBOLIC = (
    "EXPRESSIONS",
    "FIELD_OF_SYMBOL",
    "SYMBOLS",
    "condition",
    "describe",
    "display_condition",
    "evaluate",
    "expression",
    "ic_condition",
    "lambdified",
    "latex_conditions",
    "min_deterring_slash_expr",
    "min_detection_expr",
    "min_spot_check_rate_expr",
    "payoff_expr",
)


def __getattr__(name: str):
    """The sympy side is imported on first use, so numeric callers do not pay for sympy."""
    if name in _SYMBOLIC:
        from otr_theory.payoffs import symbolic

        return getattr(symbolic, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Assessment",
    "Attack",
    "CorruptionInputs",
    "assess",
    "best_strategy",
    "corruption_inputs",
    "exposure_usd",
    "required_stake",
    "CONVENTIONS",
    "DAYS_PER_YEAR",
    "DEVIATIONS",
    "EXPRESSIONS",
    "FIELD_OF_SYMBOL",
    "GAIN_FIELDS",
    "JACKPOT_SPLITS",
    "SECONDS_PER_YEAR",
    "SYMBOLS",
    "ChallengerEquilibrium",
    "DeviationCondition",
    "InspectionEquilibrium",
    "PayoffError",
    "capital_cost_usd",
    "compromise_probability",
    "condition",
    "describe",
    "detection_probability",
    "deterrence_margin",
    "deviation_detection",
    "deviation_gain",
    "deviation_payoff",
    "display_condition",
    "effective_spot_check_rate",
    "epoch_deviation_payoff",
    "evaluate",
    "expected_jackpot_share",
    "expected_reward_share",
    "expression",
    "frivolous_challenge_payoff",
    "full_load_queries",
    "honest_cost_usd_per_query",
    "honest_epoch_profit",
    "ic_condition",
    "incentive_conditions",
    "inspection_equilibrium",
    "inspection_game",
    "inspection_game_exact",
    "is_deterred",
    "lambdified",
    "latex_conditions",
    "max_epoch_deviation",
    "min_deterring_slash",
    "min_deterring_slash_expr",
    "min_detection",
    "min_detection_expr",
    "min_spot_check_rate",
    "min_spot_check_rate_expr",
    "MINIMUM_SLASH_VARIANTS",
    "minimum_slash",
    "monitoring_advantage",
    "n_challenger_equilibrium",
    "network_forgeable_share",
    "payoff_expr",
    "solve_inspection_game",
    "symmetric_monitoring_rate",
    "volunteers_dilemma_rate",
]
