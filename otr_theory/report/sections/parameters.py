"""Report section: every parameter of the model with its unit, range and source."""

from __future__ import annotations

from otr_theory.model import Model
from otr_theory.report.core import Section, md_table
from otr_theory.fmt import fmt_value

__all__ = ["build"]


def build(model: Model) -> Section:
    """The parameter table: field, value, unit, range, source kind and source."""
    rows, results = [], {}
    for spec, q, src in model.iter_fields():
        rng = "" if not q.uncertain else f"{'' if q.low is None else fmt_value(q.low, spec.unit)} – {'' if q.high is None else fmt_value(q.high, spec.unit)}"
        where = f"[{src.key}]({src.url})" if src.url.startswith("http") else src.key
        rows.append((f"`{spec.dotted}`", fmt_value(q.value, spec.unit), spec.unit, rng, src.kind, where, q.note or spec.description))
        results[spec.dotted] = {"value": q.value, "unit": spec.unit, "low": q.low, "high": q.high, "source": q.source, "source_kind": src.kind}
    counts = {}
    for _, q, src in model.iter_fields():
        counts[src.kind] = counts.get(src.kind, 0) + 1
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(counts.items()))
    src_rows = [
        (s.key, s.kind, s.title, s.url or "")
        for k, s in sorted(model.sources.items())
        if any(q.source == k for q in model.quantities.values())
    ]
    protocol = ", ".join(f"`{k} = {str(v).lower()}`" for k, v in vars(model.protocol).items())
    body = "\n\n".join(
        [
            f"{len(rows)} parameters ({kinds}). Protocol switches: {protocol}. Numbers from sources of kind "
            "`derived` or `assumed` are ours, not any paper's.",
            md_table(["field", "value", "unit", "range", "kind", "source", "note"], rows),
            "### Sources",
            md_table(["key", "kind", "title", "url"], src_rows),
        ]
    )
    return Section(
        key="parameters",
        title="Parameters and their sources",
        markdown=body,
        results={"fields": results, "protocol": vars(model.protocol), "source_kinds": counts},
    )
