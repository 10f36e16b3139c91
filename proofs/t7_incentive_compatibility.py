"""Theorem 7 (incentive compatibility, over time).

Inside the declared regime, no strategy in time of a rational, possibly compromised prover --
cheat on every query until caught, on a fraction, only on the valuable ones, stop before the
expected detection -- pays more than honesty minus the declared margin m, in any catalogued way
(a wrong output for an external gain, a model downgrade saving dc, skipping the work saving ds),
whatever the TEE's state and however many challengers monitor. (The criterion and its notation
are the lead's over-time spec, ours; EigenLayer's cost of corruption >= profit from corruption.)

One stake is shared by all queries of a window and slashed once, min(S, stake left); a detected
prover keeps cheating on every query until the slash lands L seconds after the detected query
(the detection lag), at n queries/s (replica throughput x replicas per stake). With a compromised
TEE (or no attestation tier) a cheated query is detected with probability
p = 1 - (1 - rho)(1 - q) (rho counts as 0 when the selection is revealed before the commitment or
a missed proof is not slashed, and as rho (1 - beta) with block-hash randomness, beta the declared
proposer bias bound); by a
spot-check after L_s = proof deadline, by a challenger after L_c = C + K R + T, and a query
caught both ways at the sooner of the two, so
p L = rho (1 - q) L_s + (1 - rho) q L_c + rho q min(L_s, L_c). Under ``[model] self_challenge``
the prover front-runs the slash of every detection through a Sybil and recovers the reward
share a: the expected slash per detection opportunity is p (1 - a) S (p S without it). These
are the definitions of :mod:`otr_theory.payoffs.corruption` (``lag_s``, ``effective_slash_usd``);
a test holds the two to the same payoff at sampled points. Gains: a fraction phi_v of queries is worth g_v, the rest g
(g_max = g_v if phi_v > 0, gbar = (1 - phi_v) g + phi_v g_v); F the franchise lost on ejection.

Cheat-until-caught pays P_M B with B the payoff per detection; the best strategy is M = 1 when
B <= 0, so the point is secure iff p B <= -m (and then every B <= 0):

* keep:    g_max + n gbar p L - p (1 - a') S - p F <= -m;
* forfeit: (1 - p) (g_max + n gbar p L) - p (1 - a') S - p F <= -m,

with a' = a under self-challenge and 0 otherwise. With zero lag (n L = 0) and no Sybil recovery
this is the one-query condition. With an
intact TEE and the attestation check the forged result is rejected at once: -S (forfeit) or
g - S (keep). The box: gains in [0, declared gain], q in [0, 1] (nobody monitoring: the
verifier's dilemma), the TEE intact or compromised; rho and S at their declared values unless
the caller widens them. Nonlinear real arithmetic (q g and q S terms).

Applies to schemes that slash.
"""

NUMBER = 7
NAME = "incentive_compatibility"
TITLE = "Incentive compatibility"
KIND = "box"
REQUIRES = ("slashing",)
DEVIATIONS = ("wrong_output", "model_downgrade", "skip_work")


def payoff(x, deviation, L):
    """p B: the expected payoff of the best cheat-until-caught strategy per detection opportunity."""
    G = x.gain[deviation]
    if deviation == "wrong_output" and x.high_value_fraction > 0:
        g_max = x.high_value_gain + 0 * G
        g_bar = (1 - x.high_value_fraction) * G + x.high_value_fraction * x.high_value_gain
    else:
        g_max, g_bar = G, G
    rho = x.rho * x.selection_share if (x.randomness_unpredictable and x.slash_on_missed_proof) else 0 * x.rho
    p = 1 - (1 - rho) * (1 - x.q)
    both = min(x.lag_spot, x.lag_challenge)  # model constants: the sooner lag of a query caught both ways
    pL = rho * (1 - x.q) * x.lag_spot + (1 - rho) * x.q * x.lag_challenge + rho * x.q * both
    S_left = L.If(x.S <= x.stake, x.S, x.stake + 0 * x.S)
    kept = (1 - x.a) if x.self_challenge else 1
    slash = p * kept * S_left + p * x.franchise
    realised = g_max + x.n * g_bar * pL
    uncertain = (realised if x.loss_convention == "keep" else (1 - p) * realised) - slash
    surely = (G if x.loss_convention == "keep" else 0 * G) - S_left
    if not x.attestation_gate:
        return uncertain
    return L.If(x.compromised, uncertain, surely)


def clauses(x, L):
    return [(f"{d}: no strategy in time pays more than honesty minus the margin", payoff(x, d, L) <= -x.margin) for d in DEVIATIONS]
