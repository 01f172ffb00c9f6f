"""Run QEPCAD B (from the ``passagemath-qepcad`` wheel) as an independent reference for QE.

QEPCAD B is the classic partial-CAD quantifier elimination program (Hong, Collins, Brown). The
wheel ships a standalone binary at ``<site-packages>/sage_wheels/bin/qepcad``; it needs the
environment variable ``qe=<site-packages>/sage_wheels`` to find its help file. The binary is
located lazily; nothing here is imported by the rest of :mod:`semialg`.

What a QEPCAD answer establishes: it is the output of an independent implementation of CAD
(McCallum's projection by default). It is *not* a proof. When QEPCAD prints ``WARNING! ... The
McCallum projection may not be valid`` (a projection factor vanishes identically over a cell of
positive dimension, i.e. the input is not well oriented), the answer may be wrong: such answers
are returned with :attr:`QepcadAnswer.trusted` false and must not be used as ground truth.

Override the binary with the environment variable ``SEMIALG_QEPCAD`` (path to the executable;
``qe`` is then taken from the environment or from ``<binary>/../..``).
"""

from __future__ import annotations

import os
import re
import subprocess
import sysconfig
import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..logic import Formula, QepcadProblem, parse_qepcad, parse_qepcad_output, write_qepcad
from ..logic.formula import as_formula

#: The line after which QEPCAD B prints its answer.
OUTPUT_MARKER = "An equivalent quantifier-free formula:"
#: Default QEPCAD memory (cells of 4 bytes for +N). Larger pools cost start-up time (about 4 s
#: for 2*10^8 cells), so runs start small and retry with :data:`RETRY_MEMORY` when SACLIB
#: reports that the pool is exhausted.
DEFAULT_MEMORY = 4_000_000
RETRY_MEMORY = (40_000_000, 200_000_000)

_MEMORY_FAILURE = re.compile(r"Too few cells reclaimed|Failure occurred in:\s*GCSI|GCSI")
_ERROR = re.compile(r"^(Error .*)$", re.MULTILINE)
_SYSTEM_TIME = re.compile(r"System time:\s*(\d+)\s*milliseconds")


@dataclass
class QepcadAnswer:
    """The outcome of one QEPCAD B run.

    ``formula``: the quantifier-free answer (``TRUE``/``FALSE`` for sentences) or ``None`` if
    QEPCAD failed; ``text``: the full transcript; ``seconds``: wall-clock time of the final run
    (start-up included); ``warnings``: QEPCAD's warnings (one string each); ``failed_reason``:
    why there is no answer (timeout, error, memory, unparsable output), else ``None``;
    ``system_ms``: QEPCAD's own ``System time`` report; ``memory``: the ``+N`` value of the
    final run; ``attempts``: wall-clock seconds of every attempt (a memory retry adds one).
    """

    formula: Formula | None
    text: str
    seconds: float
    warnings: list[str] = field(default_factory=list)
    failed_reason: str | None = None
    system_ms: int | None = None
    memory: int = DEFAULT_MEMORY
    attempts: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """QEPCAD produced a formula (possibly with warnings)."""
        return self.formula is not None

    @property
    def mccallum_warning(self) -> bool:
        """QEPCAD warned that McCallum's projection may not be valid for this input."""
        return any("may not be valid" in w for w in self.warnings)

    @property
    def trusted(self) -> bool:
        """An answer without validity warnings: usable as a reference (still not a proof)."""
        return self.ok and not self.mccallum_warning


@cache
def qepcad_binary() -> tuple[Path, Path] | None:
    """``(binary, qe_directory)`` of QEPCAD B, or ``None`` if it is not installed."""
    override = os.environ.get("SEMIALG_QEPCAD")
    if override:
        binary = Path(override)
        qe_dir = Path(os.environ.get("qe", binary.parent.parent))  # noqa: SIM112 (QEPCAD's name)
        return (binary, qe_dir) if binary.is_file() else None
    candidates = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    try:  # the wheel's own location, in case it lives in another site directory
        import importlib.util

        spec = importlib.util.find_spec("sage_wheels")
        if spec is not None and spec.submodule_search_locations:
            candidates.extend(str(Path(p).parent) for p in spec.submodule_search_locations)
    except (ImportError, ValueError):  # pragma: no cover - depends on the environment
        pass
    for site in candidates:
        qe_dir = Path(site) / "sage_wheels"
        binary = qe_dir / "bin" / "qepcad"
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary, qe_dir
    return None


def qepcad_available() -> bool:
    """Whether the QEPCAD B binary was found (see :func:`qepcad_binary`)."""
    return qepcad_binary() is not None


def qepcad_input(
    problem: Formula | QepcadProblem | str | object,
    *,
    free_variables: object = None,
    title: str = "semialg",
) -> tuple[str, list[str]]:
    """QEPCAD B input text for ``problem`` and the variable list (free variables first).

    ``problem`` is QEPCAD input text (passed through; ``finish`` is appended if missing), a
    :class:`~semialg.logic.QepcadProblem`, or a formula (SymPy Booleans accepted), which is
    written by :func:`~semialg.logic.write_qepcad`.
    """
    if isinstance(problem, str):
        parsed = parse_qepcad(problem)
        text = problem if re.search(r"\bfinish\b", problem) else problem.rstrip() + "\nfinish\n"
        return text, list(parsed.variables)
    if isinstance(problem, QepcadProblem):
        text = write_qepcad(problem, free_variables=free_variables)
        return text, list(parse_qepcad(text).variables)
    formula = as_formula(problem)
    text = write_qepcad(formula, title=title, free_variables=free_variables)
    return text, list(parse_qepcad(text).variables)


def _run_once(
    text: str, binary: Path, qe_dir: Path, memory: int, timeout: float
) -> tuple[str, float, str | None]:
    env = dict(os.environ)
    env["qe"] = str(qe_dir)
    start = time.perf_counter()
    try:
        proc = subprocess.run(
            [str(binary), f"+N{int(memory)}"],
            input=text,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        return out, time.perf_counter() - start, f"timeout after {timeout:g} s"
    seconds = time.perf_counter() - start
    out = proc.stdout + (("\n" + proc.stderr) if proc.stderr else "")
    if proc.returncode != 0 and OUTPUT_MARKER not in out:
        return out, seconds, f"exit status {proc.returncode}"
    return out, seconds, None


@dataclass
class ProblemFile:
    """A problem file in QEPCAD B syntax with ``#`` comment lines in front.

    Comment lines ``# key: value`` set metadata: ``tags`` (space-separated words) and
    ``expected`` (a known answer in QEPCAD syntax); other comment lines form the
    ``description``. ``text`` is the QEPCAD input without the comments.
    """

    name: str
    path: Path
    text: str
    problem: QepcadProblem
    description: str = ""
    tags: tuple[str, ...] = ()
    expected: str | None = None

    @property
    def formula(self) -> Formula:
        return self.problem.formula

    @property
    def free_variables(self) -> list[str]:
        return self.problem.free_variables

    @property
    def is_sentence(self) -> bool:
        return self.problem.num_free == 0

    def expected_formula(self) -> Formula | None:
        """The ``expected`` answer parsed in the problem's variables (``None`` if absent)."""
        if self.expected is None:
            return None
        return parse_qepcad_output(self.expected, self.problem.variables)


def read_problem_file(path: str | Path) -> ProblemFile:
    """Read one ``.qepcad`` problem file (see :class:`ProblemFile`)."""
    p = Path(path)
    description: list[str] = []
    meta: dict[str, str] = {}
    body: list[str] = []
    for line in p.read_text().splitlines():
        if line.startswith("#") and not body:
            content = line[1:].strip()
            m = re.match(r"(tags|expected):\s*(.*)", content)
            if m:
                meta[m.group(1)] = m.group(2).strip()
            else:
                description.append(content)
        else:
            body.append(line)
    text = "\n".join(body).strip() + "\n"
    return ProblemFile(
        name=p.stem,
        path=p,
        text=text,
        problem=parse_qepcad(text),
        description=" ".join(description),
        tags=tuple(meta.get("tags", "").split()),
        expected=meta.get("expected"),
    )


def read_problem_directory(directory: str | Path) -> list[ProblemFile]:
    """All ``*.qepcad`` problem files of a directory, sorted by name."""
    return [read_problem_file(p) for p in sorted(Path(directory).glob("*.qepcad"))]


def _warnings(text: str) -> list[str]:
    """QEPCAD's warnings, each joined into one line."""
    out = []
    for block in re.split(r"(?=WARNING!)", text):
        if block.startswith("WARNING!"):
            lines = []
            for line in block.splitlines():
                if not line.strip() or line.startswith(OUTPUT_MARKER):
                    break
                lines.append(line.strip())
            out.append(" ".join(lines))
    return out


def qepcad_qe(
    problem: Formula | QepcadProblem | str | object,
    timeout: float = 60.0,
    *,
    free_variables: object = None,
    memory: int = DEFAULT_MEMORY,
    retry_memory: tuple[int, ...] = RETRY_MEMORY,
) -> QepcadAnswer:
    """Quantifier elimination (or decision) by QEPCAD B.

    ``problem``: a formula (its free variables, in ring order unless ``free_variables`` says
    otherwise, become QEPCAD's free variables), a :class:`~semialg.logic.QepcadProblem`, or
    QEPCAD input text. ``timeout``: wall-clock seconds for all attempts together; a timeout is
    reported in :attr:`QepcadAnswer.failed_reason`, never raised. ``memory``: the ``+N``
    argument; if SACLIB runs out of cells the run is repeated with the next larger
    value of ``retry_memory`` (small pools start faster: about 0.1 s for 4*10^6 cells, 4 s for
    2*10^8).

    Raises :class:`RuntimeError` if QEPCAD B is not installed (check :func:`qepcad_available`).
    The returned formula lives in the ring of the problem's variables.
    """
    found = qepcad_binary()
    if found is None:
        raise RuntimeError(
            "QEPCAD B not found: pip install passagemath-qepcad (or set SEMIALG_QEPCAD)"
        )
    binary, qe_dir = found
    text, variables = qepcad_input(problem, free_variables=free_variables)
    deadline = time.perf_counter() + timeout
    attempts: list[float] = []
    ladder = [memory, *(m for m in retry_memory if m > memory)]
    for mem in ladder:
        remaining = max(deadline - time.perf_counter(), 0.01)
        out, seconds, failure = _run_once(text, binary, qe_dir, mem, remaining)
        attempts.append(seconds)
        out_of_memory = OUTPUT_MARKER not in out and _MEMORY_FAILURE.search(out)
        if failure is not None or not out_of_memory or deadline - time.perf_counter() < 0.5:
            break
    m = _SYSTEM_TIME.search(out)
    answer = QepcadAnswer(
        formula=None,
        text=out,
        seconds=seconds,
        warnings=_warnings(out),
        failed_reason=failure,
        system_ms=int(m.group(1)) if m else None,
        memory=mem,
        attempts=attempts,
    )
    if failure is not None:
        return answer
    if OUTPUT_MARKER not in out:
        if _MEMORY_FAILURE.search(out):
            answer.failed_reason = f"out of memory (+N{mem})"
        else:
            errors = _ERROR.findall(out)
            answer.failed_reason = (
                f"QEPCAD error: {errors[0].strip()}" if errors else "no answer in the output"
            )
        return answer
    try:
        answer.formula = parse_qepcad_output(out, variables)
    except Exception as exc:  # the output grammar is QEPCAD's, report rather than crash
        answer.failed_reason = f"cannot parse QEPCAD's answer: {exc}"
    return answer


__all__ = [
    "DEFAULT_MEMORY",
    "OUTPUT_MARKER",
    "RETRY_MEMORY",
    "ProblemFile",
    "QepcadAnswer",
    "qepcad_available",
    "qepcad_binary",
    "qepcad_input",
    "qepcad_qe",
    "read_problem_directory",
    "read_problem_file",
]
