"""Executable proofs of the claims of the source papers (``../shared/papers.md``).

Each module ``claim_*.py`` or ``landscape_*.py`` in this package states one claim and proves it
with :mod:`semialg` (or, for experiments, measures it). It exposes ``run() -> dict`` with keys

- ``claim`` (str): the statement and its source (paper, section);
- ``holds`` (bool): the verdict, computed from the proof or the run's numbers;
- ``summary`` (str): one line, the certificate's summary;
- ``seconds`` (float): the time the proof took;
- ``details`` (optional, JSON-serialisable): the numbers behind the verdict;
- ``figure`` (optional, str): a path relative to ``docs/`` of an image to show in the report;

and optionally a module-level flag ``slow = True`` (skipped by ``python -m proofs --quick``; such
a module may also define ``run_quick()`` with a small configuration, which the test suite runs).

``python -m proofs`` runs them all (see :mod:`proofs._runner`) and writes ``docs/proofs.md``.
"""

from ._runner import discover, main, run_claim

__all__ = ["discover", "main", "run_claim"]
