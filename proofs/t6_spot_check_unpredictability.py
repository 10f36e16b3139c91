"""Theorem 6 (spot-check unpredictability).

The spot-check selection randomness is fixed only after the commitment: it is never revealed
before the prover commits, so the prover cannot choose to cheat exactly on the queries that will
not be checked. The sources (``[protocol] randomness_source``): a committee's commit-reveal or a
verifier's VRF over the commitment are revealed after it; the hash of the block that includes the
commitment is known first to that block's proposer, who may collude with the prover: allowed
only for the declared share beta (``zk.proposer_bias_bound``) of commitments, which theorem 7
prices as rho (1 - beta). A block-hash source with no declared bias violates this theorem.

Applies to schemes that draw ZK spot-checks at random (0 < rho < 1).
"""

from otr_theory.smt.vocabulary import Phase

NUMBER = 6
NAME = "spot_check_unpredictability"
TITLE = "Spot-check unpredictability"
KIND = "invariant"
REQUIRES = ("random_spot_checks",)


def clauses(s, L):
    declared = L.And(s.colluding_proposer, s.bias_declared)
    return [
        ("the randomness is not revealed before the commitment (beyond a declared proposer bias)", L.Implies(L.And(s.sel_drawn, L.Not(declared)), s.phase != int(Phase.RECEIVED))),
        ("the prover did not know the selection when it committed (beyond a declared proposer bias)", L.Implies(s.knew_sel, declared)),
    ]
