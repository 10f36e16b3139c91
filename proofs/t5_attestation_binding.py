"""Theorem 5 (attestation binding, PoEA).

Provisional finality is granted only to a result whose attestation verifies for the registered
model's measurement, and -- unless the prover's TEE is compromised -- such a result is the
registered model's output (no downgrade, no skipped work, no altered output).

Applies to schemes that attest results with a TEE.
"""

NUMBER = 5
NAME = "attestation_binding"
TITLE = "Attestation binding (PoEA)"
KIND = "invariant"
REQUIRES = ("tee",)


def clauses(s, L):
    return [
        ("provisional finality only for a verified attestation", L.Implies(s.was_prov, s.att_ok)),
        ("with an intact TEE, provisional finality only for the registered model's output", L.Implies(s.was_prov, L.Or(s.compromised, s.valid))),
    ]
