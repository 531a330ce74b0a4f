"""`autograder grade --cluster`: the same batch, graded on a Dask distributed cluster.

The client (the instructor's command) reads each submission and sends its bytes, never a
path, since nodes share no disk. Each Dask worker keeps one warm sandboxed worker, started by
a worker plugin and stopped with it; a task grades one submission with the local batch's own
code and returns the result as plain data. Only the client writes results, whole, so a
rerun resumes exactly as the local batch does.

Dask runs a task at least once: after a worker dies its tasks run elsewhere, and the client
keeps the first result for a submission's bytes. A task Dask gives up on (`KilledWorker`)
becomes a grader failure of that submission, and the batch goes on. A lost scheduler ends
the command with `ClusterLost`; what was written stays, and the next run resumes.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import hashlib
import ipaddress
import json
import logging
import queue
import socket
import sys
import tempfile
import threading
from concurrent.futures import CancelledError, Future
from pathlib import Path
from typing import Callable, Iterator
from urllib.parse import urlsplit

import dask
from distributed import Client, LocalCluster, as_completed, get_worker
from distributed.comm import CommClosedError
from distributed.core import Status
from distributed.diagnostics.plugin import WorkerPlugin
from distributed.scheduler import KilledWorker

from autograder.checks.reference import keras_loader
from autograder.grade.batch import (GradeSettings, Progress, WarmWorker, found_submissions, grades_csv, kept_result,
                                    unfinished_result, write_result)
from autograder.grade.submission import (Found, Submission, parse_submission, problem_submission,
                                         read_submission_bytes, submission_digest, submission_timestamp,
                                         unreadable_submission)
from autograder.messages import render
from autograder.results import GRADER_ERROR
from autograder.run.inside.environment import quiet_tensorflow
from autograder.run.sandbox import Limits, sandbox_available
from autograder.writing import write_atomically

IN_FLIGHT_PER_WORKER = 2
# Dask's own periodic work, for a local cluster: every process of it (scheduler, nannies, workers) woke up
# 50 to 100 times a second, which cost the grading on a small machine a few percent of its cores.
LOCAL_CLUSTER_CONFIG = {"distributed.worker.profile.enabled": False, "distributed.admin.tick.interval": "200ms",
                        "distributed.admin.system-monitor.interval": "2s",
                        "distributed.worker.memory.monitor-interval": "1s"}
WORKERS_TIMEOUT_S = 120.0
# Student uids are FIRST_STUDENT_UID + slot: a cluster's slots stay clear of the local batch's.
FIRST_CLUSTER_SLOT, LAST_CLUSTER_SLOT = 1000, 5000


class ClusterError(RuntimeError):
    """The cluster cannot be used, or was lost; results already written are kept.
    `code` and `params` are the catalog message that says so."""

    def __init__(self, code: str, **params):
        super().__init__(render(code, params, "en"))
        self.code, self.params = code, params


class ClusterLost(Exception):
    """The scheduler is gone (raised where a call notices it; `connect` says it as a ClusterError)."""


class UnsandboxedWorker(Exception):
    """A Dask worker that cannot make a sandbox refuses to grade, unless the instructor accepted that."""


def check_address(address: str, insecure: bool = False) -> None:
    """`local:N`, `tls://...`, or a `tcp://` address on the loopback range unless `insecure`.

    Dask's tcp:// is unauthenticated and unpickles what it receives: anyone who can reach
    the scheduler can run code on the client and every worker.
    """
    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ClusterError("command.cluster_bad_address", address=address)
        return
    scheme = address.split("://", 1)[0] if "://" in address else "tcp"
    if scheme == "tls":
        return
    if scheme != "tcp":
        raise ClusterError("command.cluster_bad_address", address=address)
    host = urlsplit(address if "://" in address else f"tcp://{address}").hostname or ""
    if not insecure and not _loopback(host):
        raise ClusterError("command.cluster_insecure", address=address)


def _loopback(host: str) -> bool:
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (socket.gaierror, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)


class _SlotClaim:
    """A slot number no other Dask worker on this machine holds, kept by an advisory file lock."""

    def __init__(self):
        folder = Path(tempfile.gettempdir()) / "autograder-cluster-slots"
        folder.mkdir(mode=0o700, exist_ok=True)
        for slot in range(FIRST_CLUSTER_SLOT, LAST_CLUSTER_SLOT):
            handle = open(folder / f"{slot}.lock", "w")
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            self.slot, self.handle = slot, handle
            return
        raise RuntimeError("no free slot for another warm worker on this machine")

    def release(self) -> None:
        self.handle.close()


class WarmWorkerPlugin(WorkerPlugin):
    """The Dask worker's warm sandboxed worker, started on setup and stopped on teardown.

    One thread of the plugin's own starts it and grades on it, for the Dask worker's whole
    life: bubblewrap's --die-with-parent ends the sandbox when the thread that started it
    ends, and Dask's task threads come and go. Setup returns at once, so the Dask worker
    keeps answering its scheduler while TensorFlow is imported. Where bubblewrap cannot make a
    sandbox, the worker refuses every submission unless the instructor passed --unsandboxed.
    """

    # Registered again by the next command with the same settings, it keeps its warm worker.
    idempotent = True

    def __init__(self, sandbox: bool | None, unsandboxed: bool, limits: Limits):
        self.sandbox, self.unsandboxed, self.limits = sandbox, unsandboxed, limits

    def setup(self, worker) -> None:
        quiet_tensorflow()  # a worker started by `dask worker` has not set it, and imports TensorFlow to grade
        _stop_profiling(worker)
        self.address = worker.address
        self.claim = _SlotClaim()
        self.jobs: queue.Queue = queue.Queue()
        self.thread = threading.Thread(target=self._serve, name="autograder-warm-worker", daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        sandboxed = sandbox_available() if self.sandbox is None else self.sandbox
        refused = not sandboxed and not self.unsandboxed
        warm = WarmWorker(self.claim.slot, sandboxed, self.limits)
        if not refused:
            keras_loader().start()  # the grading side's Keras, while the warm worker starts
        with contextlib.suppress(Exception):  # a failed start is tried again, and reported, by the first task
            if not refused:
                warm.start_if_needed()
        try:
            while (job := self.jobs.get()) is not None:
                submission, settings, reply = job
                try:
                    if refused:
                        raise UnsandboxedWorker(self.address)
                    reply.set_result(warm.grade(submission, settings))
                except BaseException as error:
                    reply.set_exception(error)
        finally:
            warm.stop()
            self.claim.release()

    def grade(self, submission: Submission, settings: GradeSettings) -> dict:
        reply: Future = Future()
        self.jobs.put((submission, settings, reply))
        return reply.result()

    def teardown(self, worker) -> None:
        self.jobs.put(None)
        self.thread.join(timeout=10)
        if worker.status == Status.closing:  # the Dask worker is ending: its last collections over TensorFlow's
            gc.freeze()                       # objects took seconds, then its nanny killed it


def _stop_profiling(worker) -> None:
    """Dask's statistical profiler samples the stack of the thread running a task every 10 ms, for the
    dashboard: here that thread waits on the warm worker, and the profiles are never read."""
    for name in ("profile", "profile-cycle"):
        callback = worker.periodic_callbacks.pop(name, None)
        if callback is not None:
            callback.stop()


def grade_on_worker(request: dict, settings: GradeSettings) -> dict:
    """The Dask task: one submission, from its bytes, on this worker's warm worker."""
    source = Path(request["source"])
    if request["problem"]:
        submission = problem_submission(request["student"], source, request["problem"], request["assignment"])
    elif request["data"] is None:
        submission = unreadable_submission(request["student"], source, request["unreadable"], request["assignment"])
    else:
        submission = parse_submission(request["student"], source, request["data"], request["assignment"],
                                      request["timestamp"])
    submission.notes += [request["note"]] if request["note"] else []
    return get_worker().plugins[plugin_name(settings)].grade(submission, settings)


def plugin_name(settings: GradeSettings) -> str:
    """One warm worker per Dask worker for each set of sandbox settings: two commands sharing a cluster
    with the same settings share it, and one never grades with another's (--unsandboxed, limits)."""
    key = json.dumps([settings.sandbox, settings.unsandboxed, settings.limits.as_dict()], sort_keys=True)
    return f"autograder-warm-worker-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def grader_failure(request: dict, sha256: str, message: str, settings: GradeSettings) -> dict:
    """The result of a submission the cluster could not grade: a grader error (no grade yet, graded again by
    the next run), the details for the instructor."""
    submission = Submission(request["student"], Path(request["source"]), sha256, "unknown",
                            timestamp=request["timestamp"], assignment=request["assignment"])
    return unfinished_result(submission, GRADER_ERROR, render("grader.error", {}, settings.lang), "grader.error",
                             grader_error=message, settings=settings).to_json()


def _requests(found: list[Found]) -> Iterator[tuple[dict, str]]:
    """Each submission as the task's plain data (its bytes, and its path only as a name) and its sha256."""
    for item in found:
        # The assignment travels with its grading folder's bytes: a node grades with exactly the client's.
        request = {"student": item.student, "source": str(item.path), "data": None, "unreadable": "",
                   "problem": item.problem, "note": item.note, "timestamp": submission_timestamp(item),
                   "assignment": item.assignment}
        if item.problem:
            yield request, problem_submission(item.student, item.path, item.problem).sha256
            continue
        try:
            request["data"] = read_submission_bytes(item.path)
        except OSError as error:
            request["unreadable"] = error.strerror or str(error)
        yield request, submission_digest(request["data"]) if request["data"] is not None else ""


@contextlib.contextmanager
def connect(address: str):
    """A client of the cluster at `address`, or of a new local cluster for `local:N`."""
    with contextlib.ExitStack() as stack:
        if address.startswith("local:"):
            stack.enter_context(dask.config.set(LOCAL_CLUSTER_CONFIG))
            cluster = stack.enter_context(LocalCluster(
                n_workers=int(address.removeprefix("local:")), threads_per_worker=1, processes=True,
                host="127.0.0.1", dashboard_address=None))
            target = cluster
        else:
            target = address
        try:
            client = stack.enter_context(Client(target, set_as_default=False, timeout=30))
        except (OSError, TimeoutError) as error:
            raise ClusterError("command.cluster_unreachable", address=address, reason=error) from None
        try:
            yield client
        except (CommClosedError, CancelledError, ClusterLost) as error:
            # The scheduler is gone: Dask's own tracebacks about it while closing add nothing to ours.
            logging.getLogger("distributed.client").setLevel(logging.CRITICAL)
            raise ClusterError("command.cluster_lost", address=address) from error


def _worker_count(client) -> int:
    """Asked of the scheduler after each result, so only the count, not every worker's details."""
    return client.scheduler_info(n_workers=0)["n_workers"]


def grade_on_cluster(paths: list[Path], out_dir: Path, settings: GradeSettings, address: str, insecure: bool = False,
                     progress: Callable[[int], Progress] = Progress, log=sys.stderr) -> list[dict]:
    """Grade every submission under the paths on the cluster into out_dir; returns every result as JSON data."""
    check_address(address, insecure)
    out_dir.mkdir(parents=True, exist_ok=True)
    found = found_submissions(paths, settings)
    bar = progress(len(found))
    results: dict[str, dict] = {}
    warned = False
    with connect(address) as client:
        client.register_plugin(WarmWorkerPlugin(settings.sandbox, settings.unsandboxed, settings.limits),
                               name=plugin_name(settings))
        try:
            client.wait_for_workers(1, timeout=WORKERS_TIMEOUT_S)
        except TimeoutError:
            raise ClusterError("command.cluster_no_workers", address=address, seconds=int(WORKERS_TIMEOUT_S)) from None
        workers = _worker_count(client)
        print(render("command.cluster_started", {"address": address, "workers": workers}, settings.lang), file=log)
        pending = as_completed(loop=client.loop)
        asked: dict[str, tuple[dict, str]] = {}

        def collect(future) -> None:
            nonlocal warned, workers
            request, sha256 = asked.pop(future.key)
            if future.status == "cancelled":
                raise ClusterLost(future.key)
            if future.status == "error":
                error = future.exception()
                if isinstance(error, UnsandboxedWorker):
                    raise ClusterError("command.cluster_worker_unsandboxed", worker=error.args[0])
                result = grader_failure(request, sha256, _describe_failure(error), settings)
            else:
                result = future.result()
            future.release()
            if request["student"] in results:  # at least once: the first result stands
                return
            write_result(out_dir, result)
            results[request["student"]] = result
            if not result["sandboxed"] and result["versions"] and not warned:
                warned = True
                print(render("command.cluster_ran_unsandboxed", {}, settings.lang), file=log)
            bar.step(f"[{workers} workers] {request['student']}")

        for request, sha256 in _requests(found):
            kept = kept_result(out_dir, request["student"], sha256, request["timestamp"], settings)
            if kept is not None:
                results[request["student"]] = kept
                bar.step(f"{request['student']} (kept)")
                continue
            while pending.count() >= IN_FLIGHT_PER_WORKER * max(1, workers):
                collect(next(pending))
                workers = _worker_count(client)
            future = client.submit(grade_on_worker, request, settings, pure=False)
            asked[future.key] = (request, sha256)
            pending.add(future)
        for future in pending:
            collect(future)
    ordered = [results[item.student] for item in found if item.student in results]
    write_atomically(out_dir / "grades.csv", grades_csv(ordered))
    return ordered


def _describe_failure(error: BaseException) -> str:
    if isinstance(error, KilledWorker):
        return (f"the grader could not grade this submission: the Dask workers grading it died "
                f"{error.allowed_failures + 1} times, so the cluster gave up on it. Grade it again.")
    return f"the grader could not grade this submission: {type(error).__name__}: {str(error)[:300]}"
