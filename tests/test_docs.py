"""The documentation's snippets run, and show what the documentation says they show.

The ```python blocks of each page in :data:`PAGES` are run top to bottom in one namespace, like an
interactive session: a bare expression shows its value (formulas as text, everything else by
``repr``), ``print`` shows its output. The shown lines must equal the block's comment lines that
start at column 0 with ``# `` (a bare ``#`` stands for an empty line). Pages written as doctest
sessions (:data:`DOCTEST_PAGES`) run under :mod:`doctest`. The ```console blocks of the command
line page run in a temporary directory (see :func:`test_console_blocks_print_what_the_page_says`).
"""

from __future__ import annotations

import ast
import contextlib
import doctest
import io
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from semialg.logic import Formula

ROOT = Path(__file__).resolve().parent.parent
PAGES = [
    "docs/tutorial.md",
    "docs/getting-started.md",
    "README.md",
    "docs/sets.md",
    "docs/sparse.md",
    "docs/logic.md",
    "docs/optimum.md",
    "docs/sparse-lu.md",
]


def blocks(page: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (ROOT / page).read_text(), flags=re.S)


BLOCKS = blocks("docs/tutorial.md")


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
    """The output lines: comment lines at column 0 (a bare ``#`` is an empty output line)."""
    return [line[2:] for line in block.splitlines() if line.startswith("# ") or line == "#"]


@pytest.mark.parametrize("page", PAGES)
def test_snippets_show_what_the_page_says(page):
    found = blocks(page)
    assert found, f"{page} has no python snippet"
    for block, shown in zip(found, run_session(found), strict=True):
        assert shown == expected(block), (page, block.splitlines()[0])


#: Pages written as doctest sessions (``>>>`` prompts).
DOCTEST_PAGES = ["docs/algebraic.md"]


@pytest.mark.parametrize("page", DOCTEST_PAGES)
def test_doctest_pages(page):
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failed, attempted = doctest.testfile(str(ROOT / page), module_relative=False, optionflags=flags)
    assert attempted > 0 and failed == 0, f"{failed} of {attempted} examples of {page} fail"


#: Pages whose ```console blocks are command-line sessions.
CONSOLE_PAGES = ["docs/cli.md"]


def console_commands(page: str) -> list[tuple[str, list[str]]]:
    """``(command, shown output lines)`` for every ``$ `` line of the page's console blocks."""
    commands: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", (ROOT / page).read_text(), flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                commands.append((line[2:], []))
            else:
                commands[-1][1].append(line)
    return commands


def _same_output(printed: list[str], shown: list[str]) -> bool:
    """Equal line by line; a final ``...`` shows a prefix, and JSON objects are compared
    without their ``seconds`` (a timing)."""
    if shown and shown[-1] == "...":
        printed, shown = printed[: len(shown) - 1], shown[:-1]
    if len(printed) != len(shown):
        return False
    for got, want in zip(printed, shown, strict=True):
        if want.startswith("{"):
            got_obj, want_obj = json.loads(got), json.loads(want)
            got_obj.pop("seconds", None)
            want_obj.pop("seconds", None)
            if got_obj != want_obj:
                return False
        elif got != want:
            return False
    return True


@pytest.mark.parametrize("page", CONSOLE_PAGES)
def test_console_blocks_print_what_the_page_says(page, tmp_path):
    """``$ cat FILE`` lines create FILE from the lines shown after them; every other command
    runs (``semialg`` as ``python -m semialg.cli``) and must print the lines shown after it."""
    commands = console_commands(page)
    assert commands, f"{page} has no console block"
    for command, shown in commands:
        if command.startswith("cat "):
            (tmp_path / command[4:]).write_text("\n".join(shown) + "\n")
            continue
        assert command.startswith("semialg "), command
        argv = f"{shlex.quote(sys.executable)} -m semialg.cli {command[len('semialg ') :]}"
        proc = subprocess.run(
            argv, shell=True, cwd=tmp_path, capture_output=True, text=True, timeout=300
        )
        assert proc.returncode == 0, (command, proc.stderr)
        printed = proc.stdout.splitlines()
        assert _same_output(printed, shown), (command, printed)
