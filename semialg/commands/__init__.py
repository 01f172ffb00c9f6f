"""Subcommands of the ``semialg`` command that live above the core engine.

Each module listed in :data:`COMMAND_MODULES` defines ``register(sub)``, which adds its
subcommands to the argparse sub-parser collection ``sub``. The entry point, the shared error
handling and the core subcommands (``demo``, ``roots``, ``decide``, ``qe``, ``version``) are in
:mod:`semialg.cli`. Like :mod:`semialg.cli`, these modules sit on top of every other layer.
"""

from __future__ import annotations

COMMAND_MODULES: tuple[str, ...] = (
    "semialg.commands.sparse",
    "semialg.commands.landscape",
    "semialg.commands.optimum",
    "semialg.commands.prove",
)
