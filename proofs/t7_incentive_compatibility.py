"""Theorem 7 (incentive compatibility).

Inside the declared regime, cheating in every catalogued way (a wrong output for an external
gain g, a model downgrade saving dc, skipping the work saving ds) pays less than honesty by the
declared margin m -- whatever the TEE's state and however many challengers monitor.

The core model (the per-query payoff relative to honesty):

* with an intact TEE and the attestation check, the deviation fails attestation and is caught
  with certainty: -S (forfeit) or G - S (keep);
* otherwise (compromised TEE, or no attestation tier) it is caught with probability
  p = 1 - (1 - rho)(1 - q) by a spot-check (rho) or a monitoring challenger (q):
  (1 - p) G - p S (forfeit) or G - p S (keep);
* a spot-check whose randomness is known before the commitment catches nothing (the prover
  cheats only on unselected queries): rho counts as 0;
* a missed proof that is not slashed forfeits the gain but costs nothing: only the challengers'
  catch p_S = (1 - rho) q is slashed.

Deterred with margin m iff payoff <= -m. The box: the gains G in [0, declared gain], the
monitoring probability q in [0, 1] (including nobody monitoring, the verifier's dilemma), the
TEE intact or compromised (where compromise is possible); the protocol's rho and S at their
declared values unless the caller widens them. Nonlinear real arithmetic (q G and q S terms).

Applies to schemes that slash.
"""

NUMBER = 7
NAME = "incentive_compatibility"
TITLE = "Incentive compatibility"
KIND = "box"
REQUIRES = ("slashing",)
DEVIATIONS = ("wrong_output", "model_downgrade", "skip_work")


def payoff(x, deviation, L):
    """Expected payoff of ``deviation`` relative to honesty at box point ``x``."""
    G = x.gain[deviation]
    rho = x.rho if x.randomness_after_commit else 0 * x.rho
    p = 1 - (1 - rho) * (1 - x.q)
    p_slash = p if x.slash_on_missed_proof else (1 - rho) * x.q
    kept = G if x.loss_convention == "keep" else (1 - p) * G
    uncertain = kept - p_slash * x.S
    surely = (G if x.loss_convention == "keep" else 0 * G) - x.S
    if not x.attestation_gate:
        return uncertain
    return L.If(x.compromised, uncertain, surely)


def clauses(x, L):
    return [
        (f"{d} pays less than honesty by the margin", payoff(x, d, L) <= -x.margin)
        for d in DEVIATIONS
    ]
