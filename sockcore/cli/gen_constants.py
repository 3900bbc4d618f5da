"""``sockcore gen-constants``: the constant table generator (:mod:`sockcore.gen_constants`) as a subcommand."""

from __future__ import annotations

import argparse

SUMMARY = "generate a plugin's _constants package from its constants.toml and the C headers"
EXAMPLES = (
    "  sockcore gen-constants constants.toml --out src/sockcore_mctp/_constants\n"
    "  sockcore gen-constants constants.toml --out src/sockcore_mctp/_constants --check --strict\n"
    "  sockcore gen-constants constants.toml --out src/sockcore_mctp/_constants --target aarch64-linux-gnu"
)


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the generator's options to the subcommand's parser."""
    from ..gen_constants import add_arguments

    add_arguments(parser)
    parser.set_defaults(func=cmd_gen_constants)


def cmd_gen_constants(args: argparse.Namespace) -> int:
    from ..gen_constants import run

    return run(args)
