"""Where a batch's items run: in this process, in a local process pool, or on Ray.

Every executor runs the same item function (:func:`~factframe.templates.worker.render_item`)
and yields outcomes as items finish. Executors register by name in :data:`EXECUTORS`
(entry-point group ``factframe.executors``): ``local`` (the default), ``inline``, ``ray``.

**local** — a :class:`~concurrent.futures.ProcessPoolExecutor`. Workers start with
``forkserver`` where the platform has it, else ``spawn``; never ``fork``: the parent may
hold threads (the PNG encoder's pool, an event loop thread, a notebook's kernel threads)
and skia/fontconfig state whose locks a forked child could inherit held. The fork server
imports factframe once, so each worker starts in ~0.2 s, then loads its fonts and
typefaces (:func:`~factframe.templates.worker.warm`) while the parent resolves facts.
Workers write their files themselves; only hashes cross the process boundary. A worker
ends itself when the batch's process dies, even by SIGKILL (see ``_watch``).

**ray** — the item function as Ray tasks (``pip install 'factframe[dist]'``). It joins the
cluster named by ``RAY_ADDRESS`` (``ray start --head`` on one machine, ``ray start
--address=HEAD:6379`` on the others), else starts a local Ray with ``workers`` CPUs. Tasks
return the files' bytes and the driver writes them, so nodes need no shared file system.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any, Protocol

from factframe.errors import MissingDependencyError, RenderError
from factframe.registry import Registry
from factframe.templates.worker import (
    ItemOutcome,
    Job,
    WorkItem,
    render_item,
    tune_allocator,
    warm,
)

__all__ = [
    "EXECUTORS",
    "Executor",
    "InlineExecutor",
    "ProcessExecutor",
    "RayExecutor",
    "default_workers",
]


class Executor(Protocol):
    """Runs work items somewhere and yields their outcomes as they finish."""

    #: whether items write their own files (False: outcomes carry the bytes)
    writes_files: bool

    def start(self, job: Job) -> None:
        """Gets ready (workers started and warming); called before facts are resolved."""
        ...

    def run(self, items: Sequence[WorkItem]) -> Iterator[ItemOutcome]:
        """Runs every item, yielding outcomes in the order they finish."""
        ...

    def close(self) -> None:
        """Stops the workers; pending items are cancelled."""
        ...


def default_workers() -> int:
    """The CPUs this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class InlineExecutor:
    """Runs items one after another in this process (``workers=0``: debugging, tests)."""

    writes_files = True

    def __init__(self) -> None:
        self._job: Job | None = None

    def start(self, job: Job) -> None:
        self._job = job

    def run(self, items: Sequence[WorkItem]) -> Iterator[ItemOutcome]:
        assert self._job is not None, "start() first"
        for item in items:
            yield render_item(self._job, item)

    def close(self) -> None:
        self._job = None


# --- local process pool -----------------------------------------------------------------

_POOL_JOB: Job | None = None


def _pool_init(job: Job, lifeline: Connection) -> None:
    global _POOL_JOB
    _POOL_JOB = job
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _watch(lifeline)
    tune_allocator()
    warm(job)


def _watch(lifeline: Connection) -> None:
    """Ends this worker when the batch's process is gone. A pool's workers block on its
    task queue, whose pipe every worker also holds open, so a parent killed with SIGKILL
    would leave them (and the fork server) waiting forever. Only the parent holds the
    lifeline's other end: when it dies, the read below returns."""

    def wait_for_the_end() -> None:
        with contextlib.suppress(EOFError, OSError):
            lifeline.recv_bytes()
        os._exit(70)

    threading.Thread(target=wait_for_the_end, name="factframe-lifeline", daemon=True).start()


def _pool_ready() -> int:
    return os.getpid()


def _pool_run(item: WorkItem) -> ItemOutcome:
    assert _POOL_JOB is not None, "the worker was not initialised"
    return render_item(_POOL_JOB, item)


def _start_method() -> str:
    methods = multiprocessing.get_all_start_methods()
    return "forkserver" if "forkserver" in methods else "spawn"


class ProcessExecutor:
    """A local process pool (see the module docs).

    Args:
        workers: processes (default: the CPUs this process may use).
        method: ``forkserver`` or ``spawn`` (default: forkserver where available).
        window: items in flight per worker (keeps memory flat and lets the batch stop
            quickly).
    """

    writes_files = True

    def __init__(self, workers: int | None = None, method: str | None = None, window: int = 3):
        self.workers = max(1, workers or default_workers())
        self.method = method or _start_method()
        if self.method == "fork":
            raise ValueError("fork is unsafe with skia, fonts and threads; use forkserver/spawn")
        self.window = window
        self._pool: ProcessPoolExecutor | None = None
        self._job: Job | None = None
        self._lifeline: tuple[Connection, Connection] | None = None

    def start(self, job: Job) -> None:
        self._job = job
        context = multiprocessing.get_context(self.method)
        if self.method == "forkserver":
            context.set_forkserver_preload(["factframe.templates.worker"])
        if self._lifeline is None:
            self._lifeline = context.Pipe(duplex=False)
        self._pool = ProcessPoolExecutor(
            self.workers,
            mp_context=context,
            initializer=_pool_init,
            initargs=(job, self._lifeline[0]),
        )
        for _ in range(self.workers):  # start every worker now, warming while facts resolve
            self._pool.submit(_pool_ready)

    def run(self, items: Sequence[WorkItem]) -> Iterator[ItemOutcome]:
        queue = deque(items)
        running: dict[Future[ItemOutcome], WorkItem] = {}
        finished = 0  # since the pool (re)started
        while queue or running:
            assert self._pool is not None, "start() first"
            try:
                while queue and len(running) < self.workers * self.window:
                    item = queue.popleft()
                    running[self._pool.submit(_pool_run, item)] = item
            except BrokenProcessPool:
                queue.appendleft(item)
                raise RenderError(_NO_START) from None
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                item = running.pop(future)
                try:
                    outcome = future.result()
                except BrokenProcessPool:
                    if finished == 0:
                        raise RenderError(_NO_START) from None
                    broken = True
                    outcome = ItemOutcome(item.index, False, error=_DIED)
                finished += 1
                yield outcome
            if broken:  # a worker crashed (it took the pool down): fail what was in it
                for future, item in running.items():
                    future.cancel()
                    yield ItemOutcome(item.index, False, error=_DIED)
                running.clear()
                self._restart()
                finished = 0

    def _restart(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
        assert self._job is not None
        self.start(self._job)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._lifeline is not None:
            for end in self._lifeline:
                end.close()
            self._lifeline = None


_DIED = "a worker process died while rendering this item (rerun with --resume to retry it)"
_NO_START = (
    "the worker processes failed before rendering anything. In a script, run the batch under "
    '`if __name__ == "__main__":` (new worker processes import the main module), or use '
    "workers=0 to render in this process"
)


# --- Ray ------------------------------------------------------------------------------

_RAY_JOBS: dict[str, Job] = {}


def _ray_run(job: Job, item: WorkItem) -> ItemOutcome:
    if job.template.digest not in _RAY_JOBS:  # first item of this batch in this worker
        if not _RAY_JOBS:
            tune_allocator()
        _RAY_JOBS[job.template.digest] = job
        warm(job)
    return render_item(job, item)


class RayExecutor:
    """Ray tasks (see the module docs). Joins ``RAY_ADDRESS`` or an already initialised
    Ray; otherwise starts a local instance (and stops it on :meth:`close`)."""

    writes_files = False

    def __init__(self, workers: int | None = None, window: int = 3) -> None:
        self.workers = workers
        self.window = window
        self._ray: Any = None
        self._job_ref: Any = None
        self._remote: Any = None
        self._started = False
        self._slots = 1

    def start(self, job: Job) -> None:
        try:
            import ray as ray_module
        except ImportError:
            raise MissingDependencyError(
                "the ray executor needs Ray: pip install 'factframe[dist]'"
            ) from None
        ray: Any = ray_module
        self._ray = ray
        if not ray.is_initialized():
            address = os.environ.get("RAY_ADDRESS") or None
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if address is None:
                options["num_cpus"] = self.workers or default_workers()
            ray.init(address=address, **options)
            self._started = True
        self._slots = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._job_ref = ray.put(job)
        self._remote = ray.remote(num_cpus=1, max_retries=1)(_ray_run)

    def run(self, items: Sequence[WorkItem]) -> Iterator[ItemOutcome]:
        ray = self._ray
        queue = deque(items)
        running: dict[Any, WorkItem] = {}
        while queue or running:
            while queue and len(running) < self._slots * self.window:
                item = queue.popleft()
                running[self._remote.remote(self._job_ref, _bytes_back(item))] = item
            done, _ = ray.wait(list(running), num_returns=1)
            for ref in done:
                item = running.pop(ref)
                try:
                    yield ray.get(ref)
                except ray.exceptions.RayError as exc:
                    yield ItemOutcome(item.index, False, error=f"Ray task failed: {exc}")

    def close(self) -> None:
        if self._ray is not None and self._started:
            self._ray.shutdown()
        self._started = False


def _bytes_back(item: WorkItem) -> WorkItem:
    return dataclasses.replace(item, write=False)


ExecutorFactory = Callable[[int | None], Executor]

#: Executors by name: a factory taking the number of workers.
EXECUTORS: Registry[ExecutorFactory] = Registry("executor", group="factframe.executors")
EXECUTORS.register("local", ProcessExecutor)
EXECUTORS.register("inline", lambda workers: InlineExecutor())
EXECUTORS.register("ray", RayExecutor)
