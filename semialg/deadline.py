"""The deadline of the computation in progress, visible to every layer.

A decision or elimination with a time budget (:mod:`semialg.qe.api`) installs its budget here;
long loops anywhere below (Euclidean algorithms over number fields, lifting, symbolic pre-passes)
call :func:`check_current`, which raises :class:`~semialg.errors.BudgetExhausted` once the budget
has run out. This module is at the bottom of the layer stack (it imports nothing of semialg but
:mod:`semialg.errors`), so that lower layers can check the clock without importing higher ones.

The cooperative check cannot interrupt one long call into FLINT; :func:`run_hard_limited` runs a
computation in a forked child process that is killed when its time is up (the hard stop behind
``hard_budget=True`` in :mod:`semialg.qe.api`, the command line's ``--budget`` and the sparse
optimum).
"""

from __future__ import annotations

import contextlib
import time
from contextvars import ContextVar
from typing import Protocol


class _Clock(Protocol):
    def check_time(self) -> None: ...


#: The budget of the decision or elimination in progress (None: no limit).
CURRENT: ContextVar[_Clock | None] = ContextVar("semialg_current_budget", default=None)


def check_current() -> None:
    """Raise :class:`~semialg.errors.BudgetExhausted` if the budget in progress ran out."""
    b = CURRENT.get()
    if b is not None:
        b.check_time()


class Stopwatch:
    """Wall-clock time since creation against an optional limit in seconds."""

    def __init__(self, seconds: float | None):
        self.start = time.perf_counter()
        self.seconds = seconds

    def elapsed(self) -> float:
        return time.perf_counter() - self.start

    def left(self, floor: float = 0.0) -> float | None:
        """Seconds left (at least ``floor``), or None without a limit."""
        return None if self.seconds is None else max(self.seconds - self.elapsed(), floor)

    def out(self) -> bool:
        return self.seconds is not None and self.elapsed() > self.seconds


# -- the hard stop: a computation in a forked child, killed when its time is up ----------------

#: Seconds a hard-stopped computation may run past its limit before it is killed.
HARD_GRACE_SECONDS = 1.0

#: True in a child process started by :func:`run_hard_limited` (nested calls do not start a
#: process group of their own, so that killing the outermost child's group ends them all).
_IN_HARD_CHILD = False


def hard_stop_available() -> bool:
    """Whether :func:`run_hard_limited` can enforce its limit (it needs ``os.fork``)."""
    import os

    return os.name == "posix" and hasattr(os, "fork")


def _die_with_parent() -> None:
    """Linux: ask the kernel to kill this process when its parent dies (PR_SET_PDEATHSIG)."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except Exception:  # pragma: no cover - best effort
        pass


def _hard_child(write_fd: int, parent: int, fn, args, kwargs) -> None:  # pragma: no cover
    """Body of the forked child: run ``fn`` and send back ``("ok", value)`` or ``("error", e)``."""
    global _IN_HARD_CHILD
    import os
    import pickle
    import sys

    try:
        outermost = not _IN_HARD_CHILD
        _IN_HARD_CHILD = True
        if outermost:
            with contextlib.suppress(OSError):
                os.setpgid(0, 0)
        _die_with_parent()
        if os.getppid() != parent:  # the parent died before the request took effect
            os._exit(1)
        try:
            outcome: tuple = ("ok", fn(*args, **kwargs))
        except BaseException as exc:  # every failure goes back to the caller as data
            import traceback

            if hasattr(exc, "add_note"):
                exc.add_note("raised in a hard-limited child process:\n" + traceback.format_exc())
            outcome = ("error", exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as exc:
            what = "result" if outcome[0] == "ok" else f"exception {outcome[1]!r}"
            err = RuntimeError(f"the child process could not send back its {what}: {exc!r}")
            data = pickle.dumps(("error", err))
        with os.fdopen(write_fd, "wb") as fh:
            fh.write(data)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(0)


def run_hard_limited(fn, seconds: float, *args, grace: float | None = None, **kwargs):
    """``fn(*args, **kwargs)`` in a forked child process that is killed after ``seconds + grace``.

    The cooperative deadline (:func:`check_current`) cannot interrupt one long call into FLINT (a
    factorisation, a discriminant, a resultant); a process can be killed at any time. Returns
    ``fn``'s value (pickled by the child, so it must pickle) or re-raises the exception ``fn``
    raised. When the time is up the child (and everything it started) is killed and
    :class:`~semialg.errors.BudgetExhausted` is raised with the reason. ``fn`` should also
    honour the limit cooperatively, so that the kill is the exception.

    Nested use is safe: a call inside a child (or inside any other worker process, daemonic or
    not) forks a grandchild with its own limit. Without ``os.fork`` (see
    :func:`hard_stop_available`) ``fn`` runs in this process and only its cooperative checks
    apply. The child inherits this process's state (copy-on-write), so ``fn`` may be a closure.
    """
    import os
    import pickle
    import select
    import signal

    from .errors import BudgetExhausted

    if not hard_stop_available():  # pragma: no cover - e.g. Windows
        return fn(*args, **kwargs)
    grace = HARD_GRACE_SECONDS if grace is None else grace
    limit = max(seconds, 0.0) + grace
    outermost = not _IN_HARD_CHILD
    parent = os.getpid()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read_fd)
        _hard_child(write_fd, parent, fn, args, kwargs)
    os.close(write_fd)
    if outermost:
        # also set here, so that a kill right after the fork reaches the group
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
    deadline = time.monotonic() + limit
    chunks: list[bytes] = []
    timed_out = False
    finished = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read_fd], [], [], left)
            if ready:
                chunk = os.read(read_fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
        finished = True
    finally:
        os.close(read_fd)
        if timed_out or not finished:
            for kill in (os.killpg, os.kill) if outermost else (os.kill,):
                with contextlib.suppress(OSError):
                    kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise BudgetExhausted(
            f"time limit of {seconds:.4g} s exhausted (hard stop: still running after "
            f"{limit:.4g} s, killed)"
        )
    if not chunks:
        how = (
            f"signal {os.WTERMSIG(status)}"
            if os.WIFSIGNALED(status)
            else f"exit code {os.waitstatus_to_exitcode(status)}"
        )
        raise RuntimeError(f"the child process died without an answer ({how})")
    kind, value = pickle.loads(b"".join(chunks))
    if kind == "error":
        raise value
    return value
