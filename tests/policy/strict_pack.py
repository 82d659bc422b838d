"""A deployment's own pack, for the test that packs can be added without touching the engine."""

from datetime import date

from safepassage.policy.engine import Citation, Concern, Effect, Rule, RulePack

PACK = RulePack(
    name="strict",
    version="1",
    title="A pack that never allows removal",
    actions=("remove",),
    rules=(
        Rule(
            id="no-removal",
            title="No removal",
            actions=frozenset({"remove"}),
            effect=Effect.BLOCK,
            citation=Citation("Local policy", "1", "https://www.gov.uk/"),
            explanation="This deployment does not remove anyone.",
            check=lambda ctx: Concern("Never."),
            in_force_from=date(2000, 1, 1),
        ),
    ),
)
