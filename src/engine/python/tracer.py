r"""asyncdemo's Python tracer: runs a Python asyncio program on a virtual clock and
writes every task's lifecycle to stdout, one record per line.

    python3 tracer.py [--seed N] [--cancel AT:TASK]... [--max-events N]
                      [--max-virtual SECONDS] [--max-real SECONDS] [--slow SECONDS]
                      PROGRAM.py

Standard library only; the same file runs unchanged on CPython 3.10 to 3.13.

The output (stdout; one record a line, UTF-8; fields separated by one TAB; text fields
escaped: backslash -> \\, TAB -> \t, newline -> \n, CR -> \r; times are integers, in
nanoseconds of virtual time; task ids are ours, 1, 2, 3... in creation order):

    V    <python version>                         first line
    T    <id> <parent or 0> <async|thread> <name> a task is known (before its first E)
    E    <t_ns> <task> <kind> [fields...]         an event (see below)
    W    <t_ns> <task or 0> <what> <text>         asyncio warned: blocked, never_awaited,
                                                  destroyed_pending, unretrieved
    M    <t_ns>                                   the clock first ran at real speed here (a
                                                  thread or a socket was busy): the times from
                                                  here on depend on the machine
    END  ok | exit <code> | error <Exc: msg> | limit events|virtual|real | thread <Exc: msg>

Event kinds: C (created); S <cause> (scheduled: spawn, task:<id>, done:<id>, self,
timer, io, thread, loop); R (a step begins); W <line> <awaits> (suspended: the
program's source line, 0 if none, and `;`-separated items: sleep:<ns>, task:<id>,
timeout:<ns>, lock, event, condition, semaphore, queue_get, queue_put, thread, read,
write, connect, accept, yield, future, unknown, and for task #1 inside run_forever(),
loop); D <repr> (done); A <by> (cancel() asked: task:<id>, viewer, loop); X <by>
(cancelled; by as the last A, or -); F <Exc: msg> (failed); P <text> (a printed line).
Task #1 is the program itself; it is Suspended while an event loop runs.

How it works, in one paragraph per idea (the code below follows this order):

* The output.  Records are tab-separated lines built into a list and written in large
  chunks to a private duplicate of the real stdout (fd 1 itself is pointed at stderr,
  so nothing else can break the protocol).  `E` lines are counted: the count drives
  `--cancel AT:TASK` and `--max-events`.

* The virtual clock.  One clock for the whole process, in seconds (a float), starting
  at 0.  Every event loop's `time()` returns it.  The loop's selector polls real I/O
  with timeout 0 first; when nothing is ready and nothing real is in flight (no
  executor job, no program thread outside a loop, no socket connect in progress,
  no other loop busy), it jumps the clock to the next timer instead of sleeping.
  While something real is in flight it waits for real, and the clock follows the
  real time that passed (floored to 10 ms steps, so that thread start-up and loopback
  noise do not leak into the trace).  `time.sleep()` on a loop's thread advances the clock
  instead of sleeping; `time.monotonic()` and friends report real time plus every
  virtual jump, so programs that measure elapsed time see what they would see live.

* Ties.  asyncio keeps timers in a heap ordered by deadline only, and `heapq` does not
  keep the insertion order of equal keys.  Our TimerHandle subclass compares
  (deadline, sequence number), so timers due at the same instant run in the order
  they were set, as they do in real time.

* Tasks.  Every coroutine that becomes a task is wrapped in `_Coro`, a
  `collections.abc.Coroutine` that delegates `send`/`throw`/`close` to the real
  coroutine.  The C `Task` accepts it and drives it: each `send`/`throw` is one step
  (Running); a yielded future means Suspended (we then walk `cr_await` to name what
  it waits on and find the program's source line); `StopIteration` means Done;
  `CancelledError` Cancelled; anything else Failed.  Tasks are instances of a
  subclass of the C Task that looks exactly like it (same name, same repr) and
  overrides only `cancel()`, to see who asked for a cancellation.

* Scheduled, and why.  Both the C and the Python Task schedule their next step through
  `loop.call_soon(callable)` whose `__self__` is the task.  Our loop's `call_soon`
  looks at that, and at the handle the loop is running at that moment (asyncio's
  debug mode keeps it in `loop._current_handle`), to say what woke the task: a
  task's step, a finished task, a timer, I/O, a thread, the loop.

* asyncio's debug mode.  Every loop runs with `_debug = True`, so that `_run_once`
  measures each callback on our clock and logs "Executing ... took N seconds" (the
  `blocked` warning) and keeps `_current_handle`.  Everything else that debug mode
  changes is switched back off: `get_debug()` answers what the program asked for,
  handles and tasks capture no source tracebacks, coroutine origin tracking stays
  off (it would change the "never awaited" message), and debug-only log lines are
  filtered out.

* Threads.  `run_in_executor` (and so `to_thread`) jobs are shown as tasks of kind
  `thread`.  Each job keeps the clock in real-speed mode until it has finished and
  its asyncio future is resolved.

* The program.  It runs through `runpy.run_path(..., run_name="__main__")`, as task #1,
  with `print` captured into `P` events.  Every loop it creates is ours because the
  default policy's loop factory and `asyncio.SelectorEventLoop`/`EventLoop` are
  replaced by our loop class.

* Determinism.  Before anything else the tracer execs itself once more with
  PYTHONHASHSEED=0 (set order) and, where the kernel allows, address randomisation off
  (reprs with addresses).  Then the same arguments give the same bytes, except where
  threads or sockets genuinely race with the clock.
"""

import asyncio
import asyncio.base_events
import asyncio.events
import asyncio.futures
import asyncio.locks
import asyncio.queues
import asyncio.runners
import asyncio.selector_events
import asyncio.streams
import asyncio.tasks
import asyncio.unix_events
import _thread
import atexit
import collections.abc
import concurrent.futures
import functools
import gc
import heapq
import io
import itertools
import logging
import math
import os
import platform
import queue  # noqa: F401  (imported before time is patched: it binds time.monotonic)
import random
import re
import runpy
import selectors
import sys
import threading
import time
import traceback
import types
import warnings
import weakref

# --------------------------------------------------------------------------------------
# Settings (filled in by main() from the command line)
# --------------------------------------------------------------------------------------

_PROG = ""            # absolute path of the traced program: frames in it give source lines
_ME = sys._getframe(0).f_code.co_filename   # our frames' file name (also under -c)
_RUNPY = (runpy.__file__, "<frozen runpy>")
_MAIN_IDENT = threading.get_ident()
_MAX_EVENTS = 10_000_000
_MAX_VIRTUAL = 3600.0
_MAX_REAL = 30.0
_SLOW = 0.1
_INF = float("inf")

# Real-time functions, saved before the program can see the patched ones.
_real_sleep = time.sleep
_real_monotonic = time.monotonic
_real_perf = time.perf_counter
_real_time = time.time
_real_exit = os._exit

# --------------------------------------------------------------------------------------
# The output: records in a list, flushed in chunks
# --------------------------------------------------------------------------------------

_OUT_FD = 1                 # replaced by a private dup of the real stdout in main()
_out_lock = threading.RLock()
_buf = []                   # lines not yet written (no trailing newline)
_nE = 0                     # E lines produced so far (written or buffered)
_FLUSH_EVERY = 50_000       # write after about this many E lines
_check_at = _FLUSH_EVERY    # _e() calls _slow() once _nE reaches this
_in_slow = False
_cancels = []               # pending --cancel requests: [(at, task id)], in order
_cancel_ids = set()         # task ids that some --cancel names (only these are kept)
_by_id = {}                 # task id -> weakref to the Task (only for _cancel_ids)
_viewer = False             # True while the viewer's cancel() runs


def _esc(s):
    """Escape a text field: backslash, TAB, newline, CR."""
    if "\\" in s:
        s = s.replace("\\", "\\\\")
    if "\t" in s:
        s = s.replace("\t", "\\t")
    if "\n" in s:
        s = s.replace("\n", "\\n")
    if "\r" in s:
        s = s.replace("\r", "\\r")
    return s


def _write_all(data):
    try:
        while data:
            n = os.write(_OUT_FD, data)
            data = data[n:]
    except OSError:
        # The reader went away (broken pipe): there is nobody left to report to.
        _real_exit(1)


def _flush():
    """Write every buffered line.  Safe from any thread (other threads may append
    while we write: we only take and delete the first n lines)."""
    with _out_lock:
        n = len(_buf)
        if n:
            data = "\n".join(_buf[:n]) + "\n"
            del _buf[:n]
            _write_all(data.encode("utf-8", "backslashreplace"))


def _e(line):
    """Record one E line.  The per-event cost is an append, an increment and a
    comparison; everything rarer (flushing, --cancel, --max-events) is in _slow()."""
    global _nE
    _buf.append(line)
    _nE += 1
    if _nE >= _check_at:
        _slow()


def _line(line):
    """Record a line that is not an E line (T, W)."""
    _buf.append(line)


def _slow():
    global _check_at, _in_slow
    if _in_slow:
        return
    _in_slow = True
    try:
        if _nE > _MAX_EVENTS:
            # One E line too many was just recorded: drop it and stop.
            _buf.pop()
            _stop("events")
        retry = False
        while _cancels and _cancels[0][0] <= _nE:
            at, tid = _cancels[0]
            r = _viewer_cancel(tid)
            if r == "retry":
                retry = True
                break
            _cancels.pop(0)
            if _nE > _MAX_EVENTS:
                _buf.pop()
                _stop("events")
        if len(_buf) >= _FLUSH_EVERY:
            _flush()
        nxt = _nE + _FLUSH_EVERY
        if _cancels:
            nxt = min(nxt, _nE + 1 if retry else _cancels[0][0])
        _check_at = min(nxt, _MAX_EVENTS + 1)
    finally:
        _in_slow = False


def _viewer_cancel(tid):
    """--cancel: cancel task `tid` now, as the viewer.  Returns "retry" if it cannot be
    done from here (the task is being constructed, or we are not on its loop's
    thread); the request then stays first in line and is tried at the next event."""
    global _viewer
    if tid == _constructing:
        return "retry"
    ref = _by_id.get(tid)
    task = ref() if ref is not None else None
    if task is None:
        return "gone"          # never existed, not yet, or not an asyncio task
    w = task._tr
    if w is None or w.st == 4:
        return "gone"          # already ended: write nothing
    lp = w.loop
    if lp._thread_id is not None and lp._thread_id != threading.get_ident():
        return "retry"
    w.by = "viewer"
    _e(_TS + w.k + "A\tviewer")
    _viewer = True
    try:
        task.cancel()
    finally:
        _viewer = False
    return "done"


def _stop(kind):
    """A limit was passed: write what we have, END, and leave at once (nothing more is
    traced; the program's threads die with the process)."""
    with _out_lock:
        _flush()
        _write_all(("END\tlimit\t%s\n" % kind).encode())
        try:
            sys.stderr.flush()
        except Exception:
            pass
        _real_exit(1)


# --------------------------------------------------------------------------------------
# The virtual clock
# --------------------------------------------------------------------------------------

_clock = 0.0            # virtual seconds
_TS = "E\t0\t"          # prefix of every E line at the current clock: "E\t<ns>\t"
_skew = 0.0             # how far the virtual clock has jumped ahead of real time
_glock = threading.RLock()  # guards the clock and the shared state when several loops run
_loops = set()          # loops that are inside run_forever() right now
_inflight = 1           # real things in flight: executor jobs, program threads (the
                        # main thread included) while they run outside an event loop, ...
_wait_info = None       # (clock, real t0, deadline) while a loop waits in real time


def _set_clock(v):
    global _clock, _TS
    if v > _MAX_VIRTUAL:
        _stop("virtual")
    _clock = v
    _TS = "E\t%d\t" % round(v * 1e9)


def _jump(v):
    """Jump the clock forward to v: virtual time that no real time paid for."""
    global _skew
    if v > _clock:
        _skew += v - _clock
        _set_clock(v)


def _less_inflight(n=1):
    """(under _glock) Something real is no longer in flight.  If that was the last
    thing, loops that sit idle in a real-time wait may jump now: wake them."""
    global _inflight
    _inflight -= n
    if _inflight == 0 and _loops:
        _advance_if_all_idle(None)


_REAL_STEP = 0.01    # real time shows on the virtual clock in steps of 10 ms


def _floor_ms(x):
    """Real time that passed, as the virtual clock shows it: floored to 10 ms steps, so
    that microseconds of thread start-up or loopback I/O do not make two runs differ."""
    return math.floor(x / _REAL_STEP) * _REAL_STEP


_ran_real = False   # has the clock run at real speed yet?


def _mark_real(v):
    """The clock is about to move to v by real time that passed (a thread or a socket was
    busy).  The first time, say so with an M line: every time from here on depends on how
    fast this machine did that real work, and the views mark those times."""
    global _ran_real
    if not _ran_real:
        _ran_real = True
        _line("M\t%d" % round(v * 1e9))


def _ts_here():
    """The E-line prefix for an event produced outside the loop's own thread (a print
    in an executor job): while a loop waits in real time the clock is running."""
    wi = _wait_info
    if wi is None:
        return _TS
    base, t0, dl = wi
    v = base + _floor_ms(_real_monotonic() - t0)
    if v > dl:
        v = dl
    if v <= _clock:
        return _TS
    _mark_real(v)
    return "E\t%d\t" % round(v * 1e9)


def _now_ns():
    return round(_clock * 1e9)


# time.* as the program sees it: real time plus every virtual jump.
def _monotonic():
    return _real_monotonic() + _skew


def _perf_counter():
    return _real_perf() + _skew


def _time():
    return _real_time() + _skew


def _sleep(secs):
    """time.sleep(): on a thread that runs one of our loops it advances the virtual
    clock (everything else in that loop then runs late, as it would live); on any
    other thread it really sleeps."""
    loop = _get_running_loop()
    if (loop is None or not isinstance(loop, _Loop) or type(secs) not in (int, float)
            or secs != secs or secs <= 0):
        # (a bad argument also goes to the real sleep, which raises its own error)
        with _blocked():
            return _real_sleep(secs)
    with _glock:
        _jump(_clock + float(secs))
    return None


class _blocked:
    """Around a real blocking wait of a program thread (time.sleep, Thread.join): the
    thread is not real work in flight while it waits, so loops elsewhere may jump."""

    __slots__ = ("counted",)

    def __enter__(self):
        self.counted = getattr(_tls, "counted", False) and _get_running_loop() is None
        if self.counted:
            with _glock:
                _less_inflight()

    def __exit__(self, *exc):
        global _inflight
        if self.counted:
            with _glock:
                _inflight += 1


# --------------------------------------------------------------------------------------
# Tasks: the coroutine wrapper and the Task subclass
# --------------------------------------------------------------------------------------

_get_running_loop = asyncio.events._get_running_loop
_current_task = asyncio.tasks.current_task
_CancelledError = asyncio.CancelledError
_CoroType = types.CoroutineType
_GenType = types.GeneratorType
_ids = itertools.count(2)        # task ids: 1 is the program itself
_last_id = 1
_id_lock = threading.Lock()      # an id and its T line go out together (T lines in id order)
_constructing = 0                # id of the task whose Task() constructor is running
_tls = threading.local()         # .job: id of the executor job running on this thread


def _qualname(obj):
    n = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not n:
        n = type(obj).__name__
    return n


def _safe_repr(v):
    try:
        r = repr(v)
    except BaseException as e:  # a broken __repr__ must not break the trace
        r = "<%s object (repr failed: %s)>" % (type(v).__name__, type(e).__name__)
    if len(r) > 4000:
        r = r[:4000] + "…"
    return r


def _exc_text(e):
    """`ExcType: message` on one line (escaped later), as a traceback's last line says."""
    try:
        msg = str(e)
    except BaseException:
        msg = "<str() failed>"
    name = type(e).__qualname__
    return "%s: %s" % (name, msg) if msg else name


class _Coro(collections.abc.Coroutine):
    """Wraps the coroutine a task runs.  The Task drives the wrapper; the wrapper drives
    the coroutine and records each step.  Attribute reads it does not define
    (cr_frame, cr_code, __qualname__, ...) go to the real coroutine, so a task's repr
    reads exactly as it would without the tracer."""

    __slots__ = ("_c", "loop", "tid", "k", "st", "by", "tmo")
    # st: 0 created, 1 scheduled, 2 running, 3 suspended, 4 ended

    def __init__(self, coro, loop, parent):
        global _last_id, _constructing
        self._c = coro
        self.loop = loop
        self.st = 0
        self.by = "-"
        self.tmo = None      # asyncio.timeout() contexts entered by this task (3.11+)
        name = _esc(_qualname(coro))
        with _id_lock:
            tid = self.tid = _last_id = next(_ids)
            _line("T\t%d\t%d\tasync\t%s" % (tid, parent, name))
        self.k = "%d\t" % tid
        _constructing = tid      # until create_task() has the Task (a --cancel waits)
        _e(_TS + self.k + "C")

    def __getattr__(self, name):
        if name == "_c":
            raise AttributeError(name)
        return getattr(self._c, name)

    def __repr__(self):
        return repr(self._c)

    def __await__(self):
        return self._c.__await__()

    def close(self):
        return self._c.close()

    def send(self, value):
        loop = self.loop
        prev = loop._tr_cur
        loop._tr_cur = self
        if self.st == 0:            # an eager task (3.12+) runs before it is scheduled
            _e(_TS + self.k + "S\tspawn")
        self.st = 2
        _e(_TS + self.k + "R")
        try:
            fut = self._c.send(value)
        except StopIteration as stop:
            loop._tr_cur = prev
            self._done(stop.value)
            raise
        except BaseException as exc:
            loop._tr_cur = prev
            self._fail(exc)
            exc.__traceback__ = _drop_own_frame(exc.__traceback__)
            raise
        loop._tr_cur = prev
        self._suspended(fut)
        return fut

    def throw(self, *args):
        loop = self.loop
        prev = loop._tr_cur
        loop._tr_cur = self
        if self.st == 0:
            _e(_TS + self.k + "S\tspawn")
        self.st = 2
        _e(_TS + self.k + "R")
        try:
            fut = self._c.throw(*args)
        except StopIteration as stop:
            loop._tr_cur = prev
            self._done(stop.value)
            raise
        except BaseException as exc:
            loop._tr_cur = prev
            self._fail(exc)
            exc.__traceback__ = _drop_own_frame(exc.__traceback__)
            raise
        loop._tr_cur = prev
        self._suspended(fut)
        return fut

    def _done(self, value):
        self.st = 4
        self.tmo = None
        task = _current_task(self.loop)
        if task is not None and task._must_cancel:
            # cancel() came during the task's last step: the Task ends cancelled
            # although the coroutine returned.
            _e(_TS + self.k + "X\t" + self.by)
        else:
            _e(_TS + self.k + "D\t" + _esc(_safe_repr(value)))

    def _fail(self, exc):
        self.st = 4
        self.tmo = None
        if isinstance(exc, _CancelledError):
            _e(_TS + self.k + "X\t" + self.by)
        else:
            _e(_TS + self.k + "F\t" + _esc(_exc_text(exc)))

    def _suspended(self, fut):
        """The step ended with the task waiting: say on what, and where."""
        self.st = 3
        if fut is None:
            aw = "yield"
        elif type(fut) is Task and fut._tr is not None:
            aw = "task:%d" % fut._tr.tid
        else:
            h = self.loop._tr_sleep
            a = h._args if h is not None else None     # None once the timer is cancelled
            if a and a[0] is fut:
                aw = "sleep:%d" % round(h._when * 1e9)
            else:
                aw = _awaits_slow(self, fut)
        if self.tmo:
            aw = _timeouts(self) + aw
        # The deepest frame of the await chain that is in the program: its line.
        line = 0
        for f in _chain(self._c):
            if f.f_code.co_filename == _PROG:
                line = f.f_lineno
        _e(_TS + self.k + "W\t%d\t%s" % (line, aw))


def _drop_own_frame(tb):
    """Leave the wrapper's own frame out of a task's traceback.  On 3.11+ a bare `raise`
    re-raises with the exception's __traceback__, so setting it is enough.  (On 3.10
    it re-raises the traceback saved when the exception was caught, and the C Task
    keeps that one: tracebacks printed later by the program show the wrapper's frame.)"""
    if tb is not None and tb.tb_frame.f_code.co_filename == _ME:
        return tb.tb_next
    return tb


_TaskBase = asyncio.Task      # the C Task


class Task(_TaskBase):
    """The C Task, plus a slot for our wrapper and a cancel() that records who asked.
    Named, and placed in a module, so that it prints exactly like asyncio's Task."""

    __slots__ = ("_tr",)

    def __init__(self, coro, *args, **kwargs):
        self._tr = coro if type(coro) is _Coro else None
        _TaskBase.__init__(self, coro, *args, **kwargs)

    def cancel(self, msg=None):
        w = self._tr
        if w is not None and w.st != 4 and not _viewer:
            by = _who(2)
            w.by = by
            _e(_TS + w.k + "A\t" + by)
        return _TaskBase.cancel(self, msg)


Task.__module__ = _TaskBase.__module__
Task.__qualname__ = _TaskBase.__qualname__

_CANCEL_ALL = asyncio.runners._cancel_all_tasks.__code__


def _who(depth):
    """Who is calling .cancel(): "task:<id>", or "loop" (outside any task).  `depth`:
    how many frames up the caller of cancel() is, counted from _who."""
    loop = _get_running_loop()
    if loop is None:
        if threading.get_ident() == _MAIN_IDENT:
            try:
                caller = sys._getframe(depth).f_code
            except ValueError:
                caller = None
            # asyncio.run() cancelling what is left at the end is the loop's doing;
            # anything else at module level is the program, task #1.
            return "loop" if caller is _CANCEL_ALL else "task:1"
        return "loop"
    w = getattr(loop, "_tr_cur", None)
    if w is not None:
        return "task:%d" % w.tid
    h = getattr(loop, "_current_handle", None)
    if h is not None and type(h) is not _Timer:
        o = getattr(h._callback, "__self__", None)
        if type(o) is Task and o._tr is not None:
            return "task:%d" % o._tr.tid
    return "loop"


def _wrapper_of(task):
    if type(task) is Task:
        return task._tr
    try:
        c = task.get_coro()
    except Exception:
        return None
    return c if type(c) is _Coro else None


# --------------------------------------------------------------------------------------
# What a suspended task waits on
# --------------------------------------------------------------------------------------

_GatheringFuture = asyncio.tasks._GatheringFuture
_thread_futs = weakref.WeakSet()       # futures of run_in_executor / to_thread
_ac_todo = weakref.WeakKeyDictionary()  # as_completed (3.10-3.12): its queue -> its generator
_isfuture = asyncio.futures.isfuture


def _nested_code(func, name):
    """The code object of a function nested in `func` (for closures we must recognise)."""
    code = getattr(func, "__code__", None)
    if code is None:
        return None
    for c in code.co_consts:
        if isinstance(c, types.CodeType) and c.co_name == name:
            return c
    return None


_SHIELD_OUTER_CB = _nested_code(asyncio.tasks.shield, "_outer_done_callback")


def _desc(fut):
    """Name one awaited object without looking at frames, or None."""
    if type(fut) is Task:
        w = fut._tr
        return "task:%d" % w.tid if w is not None else None
    if isinstance(fut, _GatheringFuture):
        items = []
        for ch in fut._children:
            if not ch.done():
                items.append(_desc(ch) or "future")
        return ";".join(items) or "future"
    if isinstance(fut, _TaskBase):
        w = _wrapper_of(fut)
        return "task:%d" % w.tid if w is not None else None
    try:
        if fut in _thread_futs:
            return "thread"
    except TypeError:
        return None
    # asyncio.shield() returns an outer future whose done callback holds the inner one.
    if _SHIELD_OUTER_CB is not None:
        cbs = getattr(fut, "_callbacks", None)
        if cbs:
            for entry in cbs:
                cb = entry[0] if isinstance(entry, tuple) else entry
                code = getattr(cb, "__code__", None)
                if code is _SHIELD_OUTER_CB and cb.__closure__:
                    try:
                        inner = cb.__closure__[code.co_freevars.index("inner")].cell_contents
                    except (ValueError, IndexError):
                        break
                    return _desc(inner) or "future"
    return None


def _pending_tasks(futs):
    """`task:<id>;...` for the still-pending members of a set, in id order (a set's own
    order depends on addresses and would not be deterministic)."""
    ids, other = [], []
    for f in futs:
        if f.done():
            continue
        d = _desc(f) or "future"
        if d.startswith("task:") and ";" not in d:
            ids.append(int(d[5:]))
        else:
            other.append(d)
    return ";".join(["task:%d" % i for i in sorted(ids)] + sorted(other))


def _tmo_item(h):
    if h is None or h._cancelled:
        return ""
    return "timeout:%d;" % round(h._when * 1e9)


def _k_wait(f, fut):                       # asyncio.wait -> tasks._wait(fs, timeout, ...)
    loc = f.f_locals
    return _tmo_item(loc.get("timeout_handle")) + (_pending_tasks(loc.get("fs", ())) or "future")


def _k_wait_for(f, fut):                   # asyncio.wait_for, 3.10/3.11: a timer and a task
    loc = f.f_locals
    if "waiter" not in loc or "timeout_handle" not in loc:
        return None                        # 3.12+: wait_for awaits inline, see _timeouts()
    inner = loc.get("fut")
    return _tmo_item(loc.get("timeout_handle")) + ((_desc(inner) if inner is not None else None) or "future")


def _k_cancel_and_wait(f, fut):            # wait_for waiting for the cancelled task to end
    inner = f.f_locals.get("fut")
    return (_desc(inner) if inner is not None else None) or "future"


def _k_wait_for_one(f, fut):               # as_completed
    loc = f.f_locals
    s = loc.get("self")
    todo = getattr(s, "_todo", None) if s is not None else None      # 3.13
    handle = getattr(s, "_timeout_handle", None) if s is not None else None
    if todo is None:
        q = loc.get("done")                                          # 3.10-3.12
        ref = _ac_todo.get(q) if q is not None else None
        gen = ref() if ref is not None else None
        if gen is not None and gen.gi_frame is not None:
            gloc = gen.gi_frame.f_locals
            todo = gloc.get("todo")
            handle = gloc.get("timeout_handle")
    if todo is None:
        return "queue_get"
    return _tmo_item(handle) + (_pending_tasks(todo) or "future")


def _k_taskgroup_exit(f, fut):             # async with TaskGroup(): waiting for its tasks
    s = f.f_locals.get("self")
    ts = getattr(s, "_tasks", None)
    if not ts:
        return None
    return _pending_tasks(ts) or None


def _k_sleep(f, fut):
    h = f.f_locals.get("h")
    if h is None:
        return "yield"
    return "sleep:%d" % round(h._when * 1e9)


def _code_of(owner, *names):
    obj = owner
    for n in names:
        obj = getattr(obj, n, None)
        if obj is None:
            return None
    obj = getattr(obj, "__func__", obj)
    return getattr(obj, "__code__", None)


def _build_kinds():
    a = asyncio
    table = [
        ((a.tasks, "sleep"), _k_sleep),
        ((a.tasks, "_wait"), _k_wait),
        ((a.tasks, "wait_for"), _k_wait_for),
        ((a.tasks, "_cancel_and_wait"), _k_cancel_and_wait),
        ((a.locks.Lock, "acquire"), "lock"),
        ((a.locks.Event, "wait"), "event"),
        ((a.locks.Condition, "wait"), "condition"),
        ((a.locks.Semaphore, "acquire"), "semaphore"),
        ((a.queues.Queue, "get"), "queue_get"),
        ((a.queues.Queue, "put"), "queue_put"),
        ((a.streams.StreamReader, "_wait_for_data"), "read"),
        ((a.streams.StreamReader, "read"), "read"),
        ((a.streams.StreamReader, "readline"), "read"),
        ((a.streams.StreamReader, "readexactly"), "read"),
        ((a.streams.StreamReader, "readuntil"), "read"),
        ((a.streams.FlowControlMixin, "_drain_helper"), "write"),
        ((a.streams.StreamWriter, "drain"), "write"),
        ((a.streams, "open_connection"), "connect"),
        ((a.base_events.BaseEventLoop, "create_connection"), "connect"),
        ((a.selector_events.BaseSelectorEventLoop, "sock_connect"), "connect"),
        ((a.base_events.Server, "serve_forever"), "accept"),
        ((a.selector_events.BaseSelectorEventLoop, "sock_accept"), "accept"),
        ((a.selector_events.BaseSelectorEventLoop, "sock_recv"), "read"),
        ((a.selector_events.BaseSelectorEventLoop, "sock_recv_into"), "read"),
        ((a.selector_events.BaseSelectorEventLoop, "sock_sendall"), "write"),
    ]
    if hasattr(a, "TaskGroup"):
        table.append(((a.taskgroups.TaskGroup, "__aexit__"), _k_taskgroup_exit))
    kinds = {}
    for (owner, name), kind in table:
        code = _code_of(owner, name)
        if code is not None:
            kinds[code] = kind
    # as_completed's _wait_for_one: a closure (3.10-3.12) or a method (3.13+).
    c = _nested_code(a.tasks.as_completed, "_wait_for_one")
    if c is None:
        c = _code_of(getattr(a.tasks, "_AsCompletedIterator", None), "_wait_for_one")
    if c is not None:
        kinds[c] = _k_wait_for_one
    return kinds


_KINDS = _build_kinds()


def _chain(c):
    """The frames of the await chain from coroutine `c` inwards, outermost first."""
    frames = []
    while True:
        tp = type(c)
        if tp is _CoroType:
            f = c.cr_frame
            nxt = c.cr_await
        elif tp is _GenType:
            f = c.gi_frame
            nxt = c.gi_yieldfrom
        else:
            return frames
        if f is None:
            return frames
        frames.append(f)
        if nxt is None:
            return frames
        c = nxt


def _awaits_slow(w, fut):
    """Everything but the three fast cases (bare yield, a task, asyncio.sleep)."""
    d = _desc(fut)
    if d is not None:
        return d
    # Walk the await chain, then look for a known asyncio frame from the innermost out.
    frames = _chain(w._c)
    # First the compound waits (gather-like: wait, wait_for, as_completed, TaskGroup),
    # whose own inner awaits (a queue, an event) are details; then the simple ones.
    kinds = [(f, _KINDS.get(f.f_code)) for f in reversed(frames)]
    for f, kind in kinds:
        if kind is not None and type(kind) is not str:
            try:
                r = kind(f, fut)
            except Exception:
                r = None
            if r:
                return r
    for f, kind in kinds:
        if type(kind) is str:
            return kind
    return "future" if _isfuture(fut) else "unknown"


_TMO_FUNC = getattr(getattr(getattr(asyncio, "timeouts", None), "Timeout", None), "_on_timeout", None)


def _timeouts(w):
    """`timeout:<ns>;` for each asyncio.timeout() (3.11+; wait_for uses it from 3.12)
    that this task has entered and that has not fired or been left."""
    live = []
    items = ""
    for t in w.tmo:
        h = getattr(t, "_timeout_handler", None)
        if h is not None and not h._cancelled:
            live.append(t)
            items += "timeout:%d;" % round(h._when * 1e9)
    w.tmo = live or None
    return items


# --------------------------------------------------------------------------------------
# Executor jobs: tasks of kind "thread"
# --------------------------------------------------------------------------------------


class _Job:
    """One run_in_executor call.  It holds two "in flight" tokens: A until the function
    has returned (seen by the loop), B until the asyncio future is resolved.  While
    either is held the clock runs at real speed instead of jumping."""

    __slots__ = ("loop", "tid", "k", "res", "tok", "__weakref__")

    def __init__(self, loop, func, parent):
        global _inflight, _last_id
        self.loop = loop
        self.res = None
        self.tok = 3
        with _glock:
            _inflight += 2
        name = _esc(_func_name(func))
        with _id_lock:
            tid = self.tid = _last_id = next(_ids)
            _line("T\t%d\t%d\tthread\t%s" % (tid, parent, name))
        self.k = "%d\t" % tid
        _e(_TS + self.k + "C")
        _e(_TS + self.k + "S\tspawn")
        _e(_TS + self.k + "R")

    def release(self, bit):
        global _inflight
        with _glock:
            if self.tok & bit:
                self.tok &= ~bit
                _less_inflight()

    def finished(self):
        """Runs on the loop: the loop sees the job's end now."""
        if self.res is not None:
            _e(_TS + self.k + self.res)
            self.res = None
        self.release(1)

    def cf_done(self, cf):
        # The concurrent future was cancelled before the job ever started.
        if cf.cancelled() and self.res is None and self.tok & 1:
            _e(_ts_here() + self.k + "X\t-")
            self.release(1)

    def fut_done(self, fut):
        self.release(2)
        self.loop._tr_jobs.discard(self)


def _func_name(func):
    """The name of the function a job runs, looking through to_thread's partials."""
    f = func
    for _ in range(10):
        if isinstance(f, functools.partial):
            inner = f.func
            # to_thread: partial(context.run, func, *args)
            if getattr(inner, "__name__", None) == "run" and type(getattr(inner, "__self__", None)).__name__ == "Context" and f.args:
                f = f.args[0]
            else:
                f = inner
            continue
        break
    return _qualname(f)


def _job_run(job, func, *args):
    """Runs on the executor's thread."""
    _tls.job = job.tid
    try:
        r = func(*args)
        job.res = "D\t" + _esc(_safe_repr(r))
        return r
    except BaseException as e:
        job.res = "F\t" + _esc(_exc_text(e))
        raise
    finally:
        _tls.job = 0
        loop = job.loop
        try:
            loop.call_soon_threadsafe(job.finished)
        except RuntimeError:
            # The loop is closed: nobody will see the end, so record it from here.
            if job.res is not None:
                _e(_ts_here() + job.k + job.res)
                job.res = None
            job.release(1)


# --------------------------------------------------------------------------------------
# The selector: where the clock jumps
# --------------------------------------------------------------------------------------

_BaseSelector = selectors.DefaultSelector
_SEL = _BaseSelector.select
_GRACE = 0.0002     # a short real poll before a jump while sockets are registered


class _VSelector(_BaseSelector):
    """The loop's selector (epoll): real I/O first, then the clock (see _idle)."""

    def __init__(self):
        super().__init__()
        self.loop = None
        self.pipe_fd = -1

    def select(self, timeout=None):
        if timeout is not None and timeout <= 0:
            ev = _SEL(self, 0)
            if ev:
                self.loop._tr_io = [key.data for key, _ in ev]
            return ev
        ev = _SEL(self, 0)
        if not ev:
            ev = self._idle(timeout)
        if ev:
            self.loop._tr_io = [key.data for key, _ in ev]
        return ev

    def _io_state(self):
        readers = writers = 0
        for key in self._fd_to_key.values():
            if key.fd == self.pipe_fd:
                continue
            if key.events & selectors.EVENT_READ:
                readers += 1
            if key.events & selectors.EVENT_WRITE:
                writers += 1
        return readers, writers

    def _deadline(self, timeout):
        t = _clock + timeout
        sch = self.loop._scheduled
        if sch:
            w = sch[0]._when
            if _clock < w and abs(w - t) < 1e-6:
                t = w           # land exactly on the timer, not a float error away
        return t

    def _idle(self, timeout):
        """Nothing is ready.  Jump, or wait for real."""
        readers, writers = self._io_state()
        if readers and not writers:
            # Loopback I/O between our own sockets lands within microseconds.
            ev = _SEL(self, _GRACE)
            if ev:
                return ev
        deadline = _INF if timeout is None else self._deadline(timeout)
        if len(_loops) <= 1 and _inflight == 0 and not writers:
            if deadline == _INF:
                return _SEL(self, None)   # no timer at all: only real I/O can wake us
            _jump(deadline)
            return []
        return self._shared_wait(deadline, writers)

    def _shared_wait(self, deadline, writers):
        """Something real is in flight, or other loops share the clock.  Declare this
        loop idle; if every loop is idle and nothing real is in flight, the clock jumps
        to the earliest deadline and the loops due are woken (through their self-pipe).
        Otherwise wait in real time, and let the clock follow it."""
        global _wait_info
        loop = self.loop
        with _glock:
            loop._tr_idle = None if writers else deadline
            _advance_if_all_idle(loop)
            if _clock >= deadline:
                loop._tr_idle = None
                return []
            base = _clock
            t0 = _real_monotonic()
            _wait_info = (base, t0, deadline)
        rt = None if deadline == _INF else max(0.0, deadline - base)
        try:
            ev = _SEL(self, rt)
        finally:
            el = _real_monotonic() - t0
            with _glock:
                loop._tr_idle = None
                if _wait_info is not None and _wait_info[1] == t0:
                    _wait_info = None
        with _glock:
            if not ev and rt is not None:
                v = deadline                 # the wait ran its course
            else:
                v = min(base + _floor_ms(el), deadline)
                if v > _clock:
                    _mark_real(v)
            if v > _clock:
                _set_clock(v)
        return ev


# asyncio logs "Using selector: <class name>" when a loop is made: keep the real name.
_VSelector.__name__ = _VSelector.__qualname__ = _BaseSelector.__name__


def _advance_if_all_idle(me):
    """(under _glock) When every running loop is idle and nothing real is in flight,
    jump to the earliest deadline and wake the loops that are due."""
    if _inflight:
        return
    m = _INF
    for lp in _loops:
        d = lp._tr_idle
        if d is None:
            return
        if d < m:
            m = d
    if m != _INF:
        _jump(m)
    for lp in _loops:
        if lp is not me and lp._tr_idle is not None and lp._tr_idle <= _clock:
            lp._tr_idle = None
            try:
                lp._write_to_self()
            except Exception:
                pass


# --------------------------------------------------------------------------------------
# The event loop
# --------------------------------------------------------------------------------------


class _Timer(asyncio.events.TimerHandle):
    """A TimerHandle that breaks ties by the order timers were set."""

    __slots__ = ("_seq",)

    def __lt__(self, other):
        a = self._when
        b = other._when
        return a < b or (a == b and self._seq < other._seq)


_Timer.__name__ = _Timer.__qualname__ = "TimerHandle"
_tseq = itertools.count()
_SRUC = asyncio.futures._set_result_unless_cancelled
_BaseLoop = asyncio.unix_events._UnixSelectorEventLoop
_EAGER = getattr(asyncio, "eager_task_factory", None)
_HIDDEN = set()                  # coroutines of asyncio's own housekeeping tasks


class _Loop(_BaseLoop):
    """asyncio's selector event loop on the virtual clock, with its tasks traced."""

    def __init__(self, selector=None):
        self._tr_udebug = False
        sel = _VSelector()
        super().__init__(sel)
        sel.loop = self
        try:
            sel.pipe_fd = self._ssock.fileno()
        except Exception:
            pass
        self.slow_callback_duration = _SLOW
        self._tr_cur = None       # the wrapper whose step is running on this loop
        self._tr_sleep = None     # the last asyncio.sleep() timer (see _Coro._suspended)
        self._tr_ts = set()       # handles queued by call_soon_threadsafe
        self._tr_io = []          # (reader, writer) handles of the last I/O events
        self._tr_idle = None      # deadline while idle in _shared_wait
        self._tr_ruc = False      # inside our run_until_complete
        self._tr_jobs = set()

    # -- debug mode: on for asyncio's checks, off for everything the program sees ----

    def set_debug(self, enabled):
        self._tr_udebug = bool(enabled)
        self._debug = True
        if self.is_running():
            self.call_soon_threadsafe(self._set_coroutine_origin_tracking, enabled)

    def get_debug(self):
        return self._tr_udebug

    def _set_coroutine_origin_tracking(self, enabled):
        super()._set_coroutine_origin_tracking(enabled and self._tr_udebug)

    # -- the clock ------------------------------------------------------------------

    def time(self):
        return _clock

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError("when cannot be None")
        if self._closed:
            raise RuntimeError("Event loop is closed")
        if self._tr_udebug:
            self._check_thread()
            self._check_callback(callback, "call_at")
        timer = _Timer(when, callback, args, self, context)
        timer._seq = next(_tseq)
        if timer._source_traceback:
            del timer._source_traceback[-1]
        heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        if callback is _SRUC:
            self._tr_sleep = timer
        elif _TMO_FUNC is not None and getattr(callback, "__func__", None) is _TMO_FUNC:
            w = self._tr_cur
            if w is not None:
                t = callback.__self__
                if w.tmo is None:
                    w.tmo = [t]
                elif t not in w.tmo:
                    w.tmo.append(t)
        return timer

    # -- scheduling -----------------------------------------------------------------

    def call_soon(self, callback, *args, context=None):
        if self._closed:
            raise RuntimeError("Event loop is closed")
        if self._tr_udebug:
            self._check_thread()
            self._check_callback(callback, "call_soon")
        s = getattr(callback, "__self__", None)
        if s is not None:
            if type(s) is Task:
                w = s._tr
                if w is not None:
                    self._tr_scheduled(w)
            elif isinstance(s, _TaskBase):
                w = _wrapper_of(s)
                if w is not None:
                    self._tr_scheduled(w)
        handle = self._call_soon(callback, args, context)
        if handle._source_traceback:
            del handle._source_traceback[-1]
        return handle

    def call_soon_threadsafe(self, callback, *args, context=None):
        handle = super().call_soon_threadsafe(callback, *args, context=context)
        ts = self._tr_ts
        ts.add(handle)
        if len(ts) > 256:
            ready = set(map(id, self._ready))
            self._tr_ts = {h for h in ts if id(h) in ready}
        return handle

    def _tr_scheduled(self, w):
        if w.st == 0:
            cause = "spawn"
        elif _viewer:
            cause = "loop"
        elif self._tr_cur is not None:
            cause = "task:%d" % self._tr_cur.tid
        else:
            cause = self._tr_cause(w)
        w.st = 1
        _e(_TS + w.k + "S\t" + cause)

    def _tr_cause(self, w):
        """Why a task is scheduled when no traced step is running: look at the handle
        the loop is running."""
        h = self._current_handle
        if h is None:
            if threading.get_ident() == _MAIN_IDENT and _get_running_loop() is None:
                return "task:1"
            return "loop"
        if type(h) is _Timer:
            return "timer"
        if self._tr_ts and h in self._tr_ts:
            return "thread"
        o = getattr(h._callback, "__self__", None)
        if o is not None and isinstance(o, _TaskBase):
            ow = _wrapper_of(o)
            if ow is not None:
                # A task's step or wakeup is running (its coroutine is not).
                if o.done():
                    return "done:%d" % ow.tid
                if ow is w:
                    return "self"
                return "task:%d" % ow.tid
        args = h._args
        if args:
            a0 = args[0]
            if isinstance(a0, _TaskBase) and a0.done():
                aw = _wrapper_of(a0)
                if aw is not None:
                    return "done:%d" % aw.tid   # a done callback of a finished task
        for pair in self._tr_io:
            if pair is not None and h in pair:
                return "io"
        return "loop"

    # -- tasks ----------------------------------------------------------------------

    def create_task(self, coro, *, name=None, context=None, **kwargs):
        global _constructing
        if self._closed:
            raise RuntimeError("Event loop is closed")
        if (type(coro) is not _CoroType and not asyncio.iscoroutine(coro)) or \
                getattr(coro, "cr_code", None) in _HIDDEN:
            # Not a coroutine (the base class raises the right error), or one of
            # asyncio's own housekeeping tasks: not traced.
            if context is None and not kwargs:
                return super().create_task(coro, name=name)
            return super().create_task(coro, name=name, context=context, **kwargs)
        w = self._tr_cur
        parent = w.tid if w is not None else 1
        prev_constructing = _constructing
        w = _Coro(coro, self, parent)
        try:
            factory = self._task_factory
            if factory is None:
                if context is None and not kwargs:
                    task = Task(w, loop=self, name=name)
                else:
                    task = Task(w, loop=self, name=name, context=context, **kwargs)
                if task._source_traceback:
                    del task._source_traceback[-1]
            else:
                if factory is _EAGER and _EAGER is not None:
                    # asyncio.eager_task_factory builds a plain Task: build ours instead,
                    # through the base class, which names it exactly as it would.
                    self._task_factory = _traced_eager_factory
                try:
                    if context is None and not kwargs:
                        task = super().create_task(w, name=name)
                    else:
                        task = super().create_task(w, name=name, context=context, **kwargs)
                finally:
                    if factory is _EAGER:
                        self._task_factory = factory
        finally:
            _constructing = prev_constructing
        if w.tid in _cancel_ids:
            _by_id[w.tid] = weakref.ref(task)
        if _cancels and _nE >= _cancels[0][0]:
            _slow()
        return task

    # -- running: task #1 waits while a loop runs -------------------------------------

    def run_until_complete(self, future):
        if (threading.get_ident() != _MAIN_IDENT or self._closed or self.is_running()
                or _get_running_loop() is not None):
            return super().run_until_complete(future)
        new_task = not _isfuture(future)
        future = asyncio.tasks.ensure_future(future, loop=self)
        if new_task:
            future._log_destroy_pending = False
        # asyncio.run()'s housekeeping (shutdown_asyncgens, ...) is not shown: task #1
        # stays Running through it.
        shown = not (isinstance(future, _TaskBase) and _wrapper_of(future) is None)
        if shown:
            aw = _desc(future) or "future"
            _e(_TS + "1\tW\t%d\t%s" % (_stack_line(), aw))
        self._tr_ruc = True
        try:
            return super().run_until_complete(future)
        except BaseException:
            # What the base class does for a task it created itself (we created it).
            if new_task and future.done() and not future.cancelled():
                future.exception()
            raise
        finally:
            self._tr_ruc = False
            if shown:
                _e(_TS + "1\tS\tloop")
                _e(_TS + "1\tR")

    def run_forever(self):
        global _inflight
        if self._closed or self.is_running() or _get_running_loop() is not None:
            return super().run_forever()        # raises the right error
        t1 = threading.get_ident() == _MAIN_IDENT and not self._tr_ruc
        if t1:
            _e(_TS + "1\tW\t%d\tloop" % _stack_line())
        counted = getattr(_tls, "counted", False)
        with _glock:
            _loops.add(self)
            if counted:
                _less_inflight()
        try:
            return super().run_forever()
        finally:
            with _glock:
                _loops.discard(self)
                self._tr_idle = None
                if counted:
                    _inflight += 1
            if t1:
                _e(_TS + "1\tS\tloop")
                _e(_TS + "1\tR")

    def close(self):
        super().close()
        for job in list(self._tr_jobs):
            job.release(2)
        self._tr_jobs.clear()

    # -- threads ----------------------------------------------------------------------

    def run_in_executor(self, executor, func, *args):
        self._check_closed()
        if self._tr_udebug:
            self._check_callback(func, "run_in_executor")
        if executor is None:
            executor = self._default_executor
            self._check_default_executor()
            if executor is None:
                executor = concurrent.futures.ThreadPoolExecutor(thread_name_prefix="asyncio")
                self._default_executor = executor
        w = self._tr_cur
        job = _Job(self, func, w.tid if w is not None else 1)
        try:
            cf = executor.submit(_job_run, job, func, *args)
        except BaseException as e:
            _e(_TS + job.k + "F\t" + _esc(_exc_text(e)))
            job.release(1)
            job.release(2)
            raise
        cf.add_done_callback(job.cf_done)
        fut = asyncio.futures.wrap_future(cf, loop=self)
        _thread_futs.add(fut)
        self._tr_jobs.add(job)
        fut.add_done_callback(job.fut_done)
        return fut

    async def shutdown_default_executor(self, *args, **kwargs):
        # Joining the executor's threads happens on a thread of its own: real work in
        # flight (3.12+ also sets a 300 s timeout that the clock must not jump to).
        global _inflight
        with _glock:
            _inflight += 1
        try:
            return await super().shutdown_default_executor(*args, **kwargs)
        finally:
            with _glock:
                _less_inflight()

    # -- asyncio's own reports ----------------------------------------------------------

    def call_exception_handler(self, context):
        try:
            msg = context.get("message")
            if msg == "Task was destroyed but it is pending!":
                t = context.get("task")
                w = _wrapper_of(t) if t is not None else None
                _line("W\t%d\t%d\tdestroyed_pending\t%s" % (
                    _now_ns(), w.tid if w else 0, _esc(_qualname(w._c) if w else repr(t))))
            elif msg in ("Task exception was never retrieved",
                         "Future exception was never retrieved"):
                f = context.get("future")
                w = _wrapper_of(f) if isinstance(f, _TaskBase) else None
                exc = context.get("exception")
                _line("W\t%d\t%d\tunretrieved\t%s" % (
                    _now_ns(), w.tid if w else 0, _esc(_exc_text(exc))))
        except Exception:
            pass
        return super().call_exception_handler(context)


_Loop.__name__ = _Loop.__qualname__ = _BaseLoop.__name__
_Loop.__module__ = _BaseLoop.__module__
_HIDDEN.update(filter(None, [
    _code_of(asyncio.base_events.BaseEventLoop, "shutdown_asyncgens"),
    _Loop.shutdown_default_executor.__code__,
    _code_of(asyncio.selector_events.BaseSelectorEventLoop, "_accept_connection2"),
    _code_of(asyncio.base_events.BaseEventLoop, "_create_server_getaddrinfo"),
    _code_of(asyncio.base_subprocess.BaseSubprocessTransport, "_connect_pipes")
    if hasattr(asyncio, "base_subprocess") else None,
]))
try:
    import asyncio.staggered
    _HIDDEN.add(_nested_code(asyncio.staggered.staggered_race, "run_one_coro"))
except Exception:
    pass
_HIDDEN.discard(None)


def _traced_eager_factory(loop, coro, **kwargs):
    return Task(coro, loop=loop, eager_start=True, **kwargs)


def _stack_line():
    """The line of the deepest frame of the current call stack that is in the program."""
    f = sys._getframe(1)
    while f is not None:
        if f.f_code.co_filename == _PROG:
            return f.f_lineno
        f = f.f_back
    return 0


# as_completed (3.10-3.12) is a generator; the coroutines it yields await a queue, and
# what is still to come (its todo set, its timeout) lives only in the generator.  This
# wrapper remembers queue -> generator (weakly).  (3.13+: an object that has it all.)
_orig_as_completed = asyncio.tasks.as_completed
def _in_order(fs):
    # The originals make their tasks from `set(fs)`, in an order that hangs on memory
    # addresses (which differ with the length of a path, an environment variable...).
    # Made here in the order given, the tasks get the same ids on every run and machine,
    # and the order is one plain Python could have taken too.  Outside a running loop the
    # originals are left to say what is wrong.
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fs
    if asyncio.isfuture(fs) or asyncio.iscoroutine(fs):
        return fs
    return [asyncio.ensure_future(f) for f in list(fs)]


if getattr(asyncio.tasks, "_AsCompletedIterator", None) is None:
    def as_completed(fs, *, timeout=None):
        gen = _orig_as_completed(_in_order(fs), timeout=timeout)
        first = True
        for item in gen:
            if first:
                first = False
                try:
                    _ac_todo[gen.gi_frame.f_locals["done"]] = weakref.ref(gen)
                except Exception:
                    pass
            yield item

    as_completed.__doc__ = _orig_as_completed.__doc__
else:
    as_completed = None


# --------------------------------------------------------------------------------------
# The program's stdout: complete lines become P events
# --------------------------------------------------------------------------------------


def _cur_tid():
    """The task a print belongs to: the task whose step runs, the executor job whose
    function runs, or the program (1)."""
    loop = _get_running_loop()
    if loop is not None:
        w = getattr(loop, "_tr_cur", None)
        return w.tid if w is not None else 1
    return getattr(_tls, "job", 0) or 1


class _Stdout(io.TextIOBase):
    encoding = "utf-8"
    errors = "strict"
    newlines = None
    line_buffering = True

    def __init__(self):
        super().__init__()
        self._part = []
        self.buffer = _StdoutBytes(self)

    def writable(self):
        return True

    def isatty(self):
        return False

    def fileno(self):
        # Programs that ask get a real descriptor; fd 1 now leads to stderr (see main).
        return 1

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        if "\n" in s:
            tid = _cur_tid()
            ts = _TS if _get_running_loop() is not None else _ts_here()
            lines = s.split("\n")
            if self._part:
                lines[0] = "".join(self._part) + lines[0]
                self._part = []
            last = lines.pop()
            pre = "%s%d\tP\t" % (ts, tid)
            for ln in lines:
                _e(pre + _esc(ln))
            if last:
                self._part.append(last)
        elif s:
            self._part.append(s)
        return len(s)

    def flush(self):
        pass

    def _flush_partial(self):
        if self._part:
            text = "".join(self._part)
            self._part = []
            _e("%s%d\tP\t%s" % (_ts_here(), _cur_tid(), _esc(text)))


class _StdoutBytes(io.RawIOBase):
    """sys.stdout.buffer: bytes are decoded and go the same way."""

    def __init__(self, text):
        super().__init__()
        self._text = text

    def writable(self):
        return True

    def write(self, b):
        self._text.write(bytes(b).decode("utf-8", "replace"))
        return len(b)


# --------------------------------------------------------------------------------------
# Warnings, logging, thread hooks
# --------------------------------------------------------------------------------------

_NEVER_RE = re.compile(r"coroutine '([^']*)' was never awaited")
_orig_showwarnmsg = warnings._showwarnmsg


def _showwarnmsg(msg):
    try:
        if issubclass(msg.category, RuntimeWarning):
            m = _NEVER_RE.match(str(msg.message))
            if m:
                loop = _get_running_loop()
                w = getattr(loop, "_tr_cur", None) if loop is not None else None
                if w is not None:
                    tid = w.tid
                elif loop is None and threading.get_ident() == _MAIN_IDENT:
                    tid = 1
                else:
                    tid = 0
                _line("W\t%d\t%d\tnever_awaited\t%s" % (_now_ns(), tid, _esc(m.group(1))))
    except Exception:
        pass
    return _orig_showwarnmsg(msg)


_DEBUG_ONLY_WARNINGS = ("create_server() failed to create socket.socket",
                        "error while attempting to bind")


def _log_filter(record):
    """A filter on the "asyncio" logger: the slow-callback report becomes a `blocked`
    W line; what only debug mode would log is dropped; the rest goes on as usual."""
    try:
        if record.msg == "Executing %s took %.3f seconds":
            dt = record.args[1]
            loop = _get_running_loop()
            h = getattr(loop, "_current_handle", None)
            tid = 0
            if h is not None:
                o = getattr(h._callback, "__self__", None)
                if isinstance(o, _TaskBase):
                    w = _wrapper_of(o)
                    tid = w.tid if w is not None else 0
            _line("W\t%d\t%d\tblocked\t%.3f" % (_now_ns(), tid, dt))
            return bool(getattr(loop, "_tr_udebug", False))   # shown if the program asked
        loop = _get_running_loop()
        if getattr(loop, "_tr_udebug", True):
            return True        # not from inside one of our loops, or the program's own debug
        # Inside a loop in debug mode that the program did not ask for: asyncio's
        # `if self._debug:` lines (DEBUG/INFO chatter, a few warnings) must not show.
        if record.levelno < logging.WARNING:
            return False
        if isinstance(record.msg, str) and record.msg.startswith(_DEBUG_ONLY_WARNINGS):
            return False
    except Exception:
        pass
    return True


_thread_error = None
_orig_excepthook = threading.excepthook


def _excepthook(args):
    global _thread_error
    if _thread_error is None and args.exc_type is not SystemExit:
        _thread_error = _exc_text(args.exc_value if args.exc_value is not None else args.exc_type())
    return _orig_excepthook(args)


_orig_thread_join = threading.Thread.join


def _thread_join(self, timeout=None):
    with _blocked():
        return _orig_thread_join(self, timeout)


_STDLIB = os.path.dirname(os.__file__) + os.sep
_orig_thread_start = threading.Thread.start


def _thread_start(self):
    """Threads the program starts itself are real work in flight (the clock must not
    jump while they run outside an event loop); executor workers are not (their jobs
    are counted instead)."""
    global _inflight
    fn = sys._getframe(1).f_code.co_filename
    counted = fn != _ME and not (fn.startswith(_STDLIB) and "site-packages" not in fn)
    if counted:
        run = self.run

        def counted_run():
            global _inflight
            _tls.counted = True
            try:
                run()
            finally:
                _tls.counted = False
                with _glock:
                    _less_inflight()

        self.run = counted_run
        with _glock:
            _inflight += 1
    try:
        return _orig_thread_start(self)
    except BaseException:
        if counted:
            with _glock:
                _less_inflight()
        raise


# --------------------------------------------------------------------------------------
# Running the program
# --------------------------------------------------------------------------------------

_end = None          # ("ok",) / ("exit", code) / ("error", text)
_stdout = None
_final_done = False


def _final():
    """The very last thing: after the program, its atexit handlers and its non-daemon
    threads.  Report leftovers, task #1's end, END, and exit."""
    global _final_done
    if _final_done:
        return
    _final_done = True
    try:
        gc.collect()       # tasks destroyed while pending report now, not never
    except Exception:
        pass
    if _stdout is not None:
        try:
            _stdout._flush_partial()
        except Exception:
            pass
    kind = _end[0] if _end else "ok"
    status = 0
    if kind == "ok":
        if _thread_error is not None:
            _e(_TS + "1\tD\tNone")
            end = "END\tthread\t" + _esc(_thread_error)
            status = 1
        else:
            _e(_TS + "1\tD\tNone")
            end = "END\tok"
    elif kind == "exit":
        _e(_TS + "1\tF\t" + _esc("SystemExit: %s" % _end[1]))
        end = "END\texit\t%s" % _end[1]
        status = 1
    else:
        _e(_TS + "1\tF\t" + _esc(_end[1]))
        end = "END\terror\t" + _esc(_end[1])
        status = 1
    with _out_lock:
        _line(end)
        _flush()
        try:
            sys.stderr.flush()
        except Exception:
            pass
        _real_exit(status)


def _os_exit(code):
    """os._exit() from the program: still end the trace properly."""
    global _end
    if _end is None:
        _end = ("ok",) if code == 0 else ("exit", code)
    _final()
    _real_exit(code)


def _strip_tb(te, seen):
    """Leave the tracer's and runpy's frames out of a TracebackException, recursively."""
    if te is None or id(te) in seen:
        return
    seen.add(id(te))
    keep = [f for f in te.stack if f.filename != _ME and f.filename not in _RUNPY]
    te.stack = traceback.StackSummary.from_list(keep)
    _strip_tb(te.__cause__, seen)
    _strip_tb(te.__context__, seen)
    for sub in getattr(te, "exceptions", None) or ():
        _strip_tb(sub, seen)


def _print_traceback(exc):
    try:
        te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
        _strip_tb(te, set())
        sys.stderr.write("".join(te.format()))
    except Exception:
        traceback.print_exception(type(exc), exc, exc.__traceback__)
    sys.stderr.flush()


def _watchdog():
    _real_sleep(_MAX_REAL)
    _stop("real")


def _parse_args(argv):
    global _MAX_EVENTS, _MAX_VIRTUAL, _MAX_REAL, _SLOW
    seed = 0
    i = 0
    prog = None
    while i < len(argv):
        a = argv[i]
        if a.startswith("--") and "=" in a:
            a, v = a.split("=", 1)
            argv = argv[:i] + [a, v] + argv[i + 1:]
        if a == "--seed":
            seed = int(argv[i + 1]); i += 2
        elif a == "--cancel":
            at, _, tid = argv[i + 1].partition(":")
            _cancels.append((int(at), int(tid)))
            _cancel_ids.add(int(tid))
            i += 2
        elif a == "--max-events":
            _MAX_EVENTS = int(argv[i + 1]); i += 2
        elif a == "--max-virtual":
            _MAX_VIRTUAL = float(argv[i + 1]); i += 2
        elif a == "--max-real":
            _MAX_REAL = float(argv[i + 1]); i += 2
        elif a == "--slow":
            _SLOW = float(argv[i + 1]); i += 2
        elif a == "--":
            prog = argv[i + 1]; i = len(argv)
        elif a.startswith("--"):
            raise SystemExit("tracer.py: unknown option %s" % a)
        else:
            prog = a
            i += 1
            if i != len(argv):
                raise SystemExit("tracer.py: arguments after the program: %s" % argv[i:])
    if prog is None:
        raise SystemExit("usage: tracer.py [--seed N] [--cancel AT:TASK]... [--max-events N] "
                         "[--max-virtual S] [--max-real S] [--slow S] PROGRAM.py")
    return seed, prog


def _install():
    """Make every loop ours and hook what we observe through."""
    ue = asyncio.unix_events
    ue._UnixDefaultEventLoopPolicy._loop_factory = _Loop
    asyncio.SelectorEventLoop = ue.SelectorEventLoop = _Loop
    if hasattr(asyncio, "EventLoop"):
        asyncio.EventLoop = _Loop
        if hasattr(ue, "EventLoop"):
            ue.EventLoop = _Loop
    if as_completed is not None:
        asyncio.as_completed = asyncio.tasks.as_completed = as_completed
    time.sleep = _sleep
    time.monotonic = _monotonic
    time.perf_counter = _perf_counter
    time.time = _time
    skew_ns = lambda: round(_skew * 1e9)
    rm, rp, rt = time.monotonic_ns, time.perf_counter_ns, time.time_ns
    time.monotonic_ns = lambda: rm() + skew_ns()
    time.perf_counter_ns = lambda: rp() + skew_ns()
    time.time_ns = lambda: rt() + skew_ns()
    warnings._showwarnmsg = _showwarnmsg
    logging.getLogger("asyncio").addFilter(_log_filter)
    threading.excepthook = _excepthook
    threading.Thread.start = _thread_start
    threading.Thread.join = _thread_join
    os._exit = _os_exit


_EXEC_MARK = "ASYNCDEMO_TRACER_EXEC"


def _reexec_for_determinism():
    """Start again, once, in the same process (exec keeps the pid and the pipes) with
    string hashing seeded (PYTHONHASHSEED=0: set iteration order) and, where the kernel
    lets us, address-space randomisation off (so reprs that show addresses, such as
    "<Lock object at 0x7f...>", are the same on every run)."""
    if os.environ.pop(_EXEC_MARK, None) is not None:
        return
    if not sys.argv or sys.argv[0] == "-" or not sys.executable:
        return            # the tracer came on stdin: it cannot be read again
    env = dict(os.environ)
    env[_EXEC_MARK] = "1"
    env.setdefault("PYTHONHASHSEED", "0")
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        cur = libc.personality(0xFFFFFFFF)
        if cur != -1 and not cur & 0x0040000:
            libc.personality(cur | 0x0040000)        # ADDR_NO_RANDOMIZE
    except Exception:
        pass
    argv = list(getattr(sys, "orig_argv", None) or [sys.executable] + sys.argv)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(sys.executable, argv, env)
    except OSError:
        return


def main():
    global _PROG, _OUT_FD, _stdout, _end, _check_at, _inflight
    _reexec_for_determinism()
    seed, prog = _parse_args(sys.argv[1:])
    _PROG = os.path.abspath(prog)
    # In the order given, except that an earlier AT never waits behind a later one.
    _cancels.sort(key=lambda c: c[0])
    if _cancels:
        _check_at = min(_check_at, _cancels[0][0])
    _check_at = min(_check_at, _MAX_EVENTS + 1)

    # Our records go to a private copy of fd 1; fd 1 itself now leads to stderr, so
    # that nothing the program or a child process writes there can break the protocol.
    sys.stdout.flush()
    _OUT_FD = os.dup(1)
    os.dup2(2, 1)
    _stdout = _Stdout()
    sys.stdout = _stdout

    _line("V\t" + platform.python_version())
    _line("T\t1\t0\tasync\t<module>")
    _e(_TS + "1\tC")
    _e(_TS + "1\tS\tspawn")
    _e(_TS + "1\tR")

    # A bare thread, not a threading.Thread: the program must not see it
    # (threading.active_count(), threading.enumerate()).
    _thread.start_new_thread(_watchdog, ())
    _tls.counted = True          # the main thread is real work, except inside a loop
    atexit.register(_final)      # registered first, so it runs after the program's own
    _install()
    random.seed(seed)
    sys.argv = [prog]
    sys.path[0] = os.path.dirname(_PROG)

    try:
        runpy.run_path(_PROG, run_name="__main__")
        _end = ("ok",)
    except SystemExit as e:
        code = e.code
        if code is None or code == 0:
            _end = ("ok",)
        elif isinstance(code, int):
            _end = ("exit", code)
        else:
            try:
                sys.stderr.write("%s\n" % (code,))
            except Exception:
                pass
            _end = ("exit", 1)
    except BaseException as e:
        _print_traceback(e)
        _end = ("error", _exc_text(e))
    if _stdout is not None and sys.stdout is not _stdout:
        sys.stdout = _stdout
    # The main thread's own work is over: loops still running in other threads may now
    # jump the clock while the interpreter waits for them.
    with _glock:
        _less_inflight()
    _tls.counted = False
    # Leave through the interpreter's own shutdown: it joins the program's non-daemon
    # threads and runs its atexit handlers, then ours (_final) writes END and exits.
    sys.exit(0)


if __name__ == "__main__":
    main()
