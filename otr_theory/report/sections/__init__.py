"""One module per report section; each exposes ``build(model) -> Section``."""
