"""Chunks of work done in forked worker processes, results back in order.

The list load (checking and preparing a file's rows) and the engine index (decrypting and
compiling a version's entries) share this: a worker is forked for each chunk and inherits it
(nothing is sent to it), does ``work(chunk)`` and sends the result back through a pipe, while
this process reads the next chunk and takes the results that are ready, in chunk order. At
most one worker per core (four at most) runs at a time.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Iterable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TypeVar, cast

Chunk = TypeVar("Chunk")
Result = TypeVar("Result")


def usable() -> bool:
    """Whether forking workers can pay here: two cores or more, and ``fork`` available."""
    return (os.cpu_count() or 1) >= 2 and "fork" in multiprocessing.get_all_start_methods()


def in_forked_workers(
    chunks: Iterable[Chunk], work: Callable[[Chunk], Result], *, what: str
) -> Generator[Result, None, None]:
    """``work(chunk)`` of each chunk, computed in a forked process, yielded in chunk order.

    ``work`` only computes: it must not touch the database (the parent's connection is never
    used in a child). An exception in ``work`` is raised here as ``RuntimeError("<what>
    failed: …")``; a worker that dies raises ``RuntimeError("a worker process <what> ended
    early")``. Whatever ends the iteration early (an error, ``close()``) ends every worker
    still running and closes ``chunks`` if it is a generator (a database cursor it reads
    from is then closed at once, not whenever the garbage collector gets to it)."""
    workers = min(os.cpu_count() or 1, 4)
    context = multiprocessing.get_context("fork")
    pending: deque[tuple[BaseProcess, Connection]] = deque()
    source = iter(chunks)
    try:
        for chunk in source:
            receive, send = context.Pipe(duplex=False)
            process: BaseProcess = context.Process(
                target=_child, args=(send, work, chunk, what), daemon=True
            )
            process.start()
            send.close()
            pending.append((process, receive))
            # Take what is ready (in order) without waiting, unless all cores are taken.
            while pending and (len(pending) >= workers or pending[0][1].poll()):
                yield cast(Result, _received(*pending.popleft(), what))
        while pending:
            yield cast(Result, _received(*pending.popleft(), what))
    finally:
        for process, receive in pending:  # only after an error or an early close
            receive.close()
            process.terminate()
            process.join()
        if isinstance(source, Generator):
            source.close()


def _child(send: Connection, work: Callable[[Chunk], Result], chunk: Chunk, what: str) -> None:
    """Body of a forked worker. The collector is off: it would write to every inherited
    object and copy all the shared pages."""
    gc.disable()
    result: object
    try:
        result = work(chunk)
    except Exception as error:  # sent back and raised by the parent
        result = RuntimeError(f"{what} failed: {error!r}")
    send.send(result)
    send.close()


def _received(process: BaseProcess, receive: Connection, what: str) -> object:
    try:
        result = receive.recv()
    except EOFError:
        result = RuntimeError(f"a worker process {what} ended early")
    finally:
        receive.close()
        process.join()
    if isinstance(result, Exception):
        raise result
    return result
