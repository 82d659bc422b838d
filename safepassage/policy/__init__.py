"""Policy: Rules-as-code engine; rule packs with citations and effective dates."""
