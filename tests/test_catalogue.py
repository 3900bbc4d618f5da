"""The generated catalogue (the "not installed" hints) agrees with the installed plugins.

Every name, family number and URI scheme a first-party plugin registers must
be in the catalogue under that plugin's distribution; otherwise a user without
the plugin would get no install hint, or a wrong one.
"""

from __future__ import annotations

import pytest

from sockcore import registry

FIRST_PARTY = "sockcore-"


def first_party_owner(name: str) -> str | None:
    owner = registry.tables().owners.get(name)
    if owner is None or not owner.distribution.startswith(FIRST_PARTY):
        return None
    return owner.distribution


def test_every_integer_constant_is_catalogued() -> None:
    t = registry.tables()
    names = registry.catalogue()["names"]
    missing = {
        name: owner
        for name, value in t.constants.items()
        if isinstance(value, int) and (owner := first_party_owner(name)) and names.get(name) != owner
    }
    assert not missing, f"names missing or misattributed in sockcore/catalogue.json: {missing}"


def test_every_family_is_catalogued() -> None:
    families = registry.catalogue()["families"]
    for number, entry in registry.tables().families.items():
        dist = entry.plugin.distribution
        if not dist.startswith(FIRST_PARTY) or entry.family.probe is None:
            continue  # platform-only families (AF_HYPERV, AF_SYSTEM) have no number here
        assert families[str(number)]["distribution"] == dist, entry.family.name


def test_every_uri_scheme_is_catalogued() -> None:
    schemes = registry.catalogue()["uri_schemes"]
    for scheme in registry.tables().uri_schemes:
        owner = first_party_owner(f"uri {scheme}")
        if owner is None:
            continue
        assert schemes.get(scheme) == owner, f"{scheme}: add it to uri_schemes in that plugin's constants.toml"


@pytest.mark.parametrize("name", ["AF_CAN", "AF_INET", "AF_UNIX", "TCP_NODELAY", "BTPROTO_RFCOMM"])
def test_hint_names_the_distribution(name: str) -> None:
    hint = registry.missing_name_hint(name)
    assert hint is not None and "pip install sockcore-" in hint
