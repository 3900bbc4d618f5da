"""Install hints cover the functions and classes plugins export, not only their constants."""

from __future__ import annotations

from sockcore import registry


def test_every_first_party_export_is_catalogued() -> None:
    t = registry.tables()
    names = registry.catalogue()["names"]
    missing = {
        name: owner.distribution
        for name in t.exports
        if (owner := t.owners.get(name)) is not None
        and owner.distribution.startswith("sockcore-")
        and names.get(name) != owner.distribution
    }
    assert not missing, f"add these to extra_names in the plugin's constants.toml, then regenerate: {missing}"


def test_a_function_and_a_class_have_hints() -> None:
    assert registry.missing_name_hint("getaddrinfo") == (
        "getaddrinfo is provided by sockcore-inet, which is not installed (pip install sockcore-inet)"
    )
    hint = registry.missing_name_hint("VsockAddress")
    assert hint is not None and "sockcore-vsock" in hint
