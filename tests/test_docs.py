"""The tutorial's snippets run, and print what the tutorial says they print.

Each ```python block of ``docs/tutorial.md`` is run top to bottom in one namespace, like an
interactive session: a bare expression shows its value (formulas as text, everything else by
``repr``), ``print`` shows its output. The shown lines must equal the block's comment lines that
start at column 0 with ``# ``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import pytest

from semialg.logic import Formula

TUTORIAL = Path(__file__).resolve().parent.parent / "docs" / "tutorial.md"
BLOCKS = re.findall(r"```python\n(.*?)```", TUTORIAL.read_text(), flags=re.S)


def display(value: object, top: bool = True) -> str:
    """A value as the tutorial shows it: formulas (and a string on its own) as text."""
    if isinstance(value, tuple):
        inner = ", ".join(display(v, top=False) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, Formula) or (top and isinstance(value, str)):
        return str(value)
    return repr(value)


def run_session(blocks: list[str]) -> list[list[str]]:
    """The lines each block shows, running the blocks in order in one namespace."""
    namespace: dict[str, object] = {}
    shown: list[list[str]] = []
    for block in blocks:
        lines: list[str] = []
        for node in ast.parse(block).body:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                if isinstance(node, ast.Expr):
                    code = compile(ast.Expression(node.value), "<tutorial>", "eval")
                    value = eval(code, namespace)
                else:
                    exec(compile(ast.Module([node], []), "<tutorial>", "exec"), namespace)
                    value = None
            lines += out.getvalue().splitlines()
            if value is not None:
                lines += display(value).splitlines()
        shown.append(lines)
    return shown


def expected(block: str) -> list[str]:
    return [line[2:] for line in block.splitlines() if line.startswith("# ")]


@pytest.fixture(scope="module")
def session() -> list[list[str]]:
    return run_session(BLOCKS)


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_tutorial_block_shows_what_the_tutorial_says(session, i):
    assert session[i] == expected(BLOCKS[i])


def test_the_tutorial_has_snippets():
    assert len(BLOCKS) >= 4
