"""Report section: every parameter of the model with its unit, range and source."""

from __future__ import annotations

from otr_theory.fmt import fmt_value
from otr_theory.model import Model
from otr_theory.parameters import ModelParameters, model_parameters
from otr_theory.report.core import Section, md_table

__all__ = ["build", "render"]


def build(model: Model) -> Section:
    """The parameter table: field, value, unit, range, source kind and source."""
    return render(model_parameters(model), model)


def render(p: ModelParameters, model: Model) -> Section:
    """The parameter section from its record (formats only)."""
    rows = []
    for r in p.rows:
        uncertain = r.low is not None or r.high is not None
        rng = "" if not uncertain else f"{'' if r.low is None else fmt_value(r.low, r.unit)} – {'' if r.high is None else fmt_value(r.high, r.unit)}"
        where = f"[{r.source}]({r.source_url})" if r.source_url.startswith("http") else r.source
        rows.append((f"`{r.field}`", fmt_value(r.value, r.unit), r.unit, rng, r.source_kind, where, r.note))
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(p.source_kinds.items()))
    protocol = ", ".join(f"`{k} = {str(v).lower()}`" for k, v in p.protocol.items())
    body = "\n\n".join(
        [
            f"{p.count} parameters ({kinds}). Protocol switches: {protocol}. Numbers from sources of kind `derived` or `assumed` are ours, not any paper's.",
            md_table(["field", "value", "unit", "range", "kind", "source", "note"], rows),
            "### Sources",
            md_table(["key", "kind", "title", "url"], [(s.key, s.kind, s.title, s.url) for s in p.sources]),
        ]
    )
    return Section(key="parameters", title="Parameters and their sources", markdown=body, results=p.to_dict())
