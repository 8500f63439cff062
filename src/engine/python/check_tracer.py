"""Development harness for tracer.py: runs it on small test programs and on every
lesson's Python original, under every CPython it finds (3.10 to 3.13), and checks the
results: the protocol, the lifecycle order of every task, the printed lines against
plain python3, determinism, the limits, the warnings, and the speed.

    python3 check_tracer.py                 # everything (takes a minute or two)
    python3 check_tracer.py --quick         # skip the speed measurement and repeats
    python3 check_tracer.py --versions 3.11,3.13 --only lessons
    python3 check_tracer.py --show gather --versions 3.12   # print one trace

Needs Python 3.11+ itself (tomllib); the tracer runs under each version found.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
TRACER = os.path.join(HERE, "tracer.py")
LESSONS = os.path.normpath(os.path.join(HERE, "..", "..", "..", "lessons"))
VERSIONS = ["3.10", "3.11", "3.12", "3.13"]

# Lessons whose output depends on the Python version, and why (checked: plain python of
# that version prints the same as the tracer).
KNOWN_DIFFERENCES = {
    ("3.10", "shield"): "3.10: asyncio.TimeoutError is not the built-in TimeoutError, so "
                        "`except TimeoutError` misses it (the program itself fails on 3.10)",
    ("3.10", "timeouts"): "3.10: asyncio.TimeoutError is not the built-in TimeoutError",
    ("3.10", "executor"): "3.10: asyncio.TimeoutError is not the built-in TimeoutError",
    ("3.10", "as-completed"): "3.10: asyncio.TimeoutError is not the built-in TimeoutError",
    ("3.10", "generators"): "3.10 still has asyncio.coroutine (removed in 3.11)",
    ("3.10", "wait"): "3.10 still accepts bare coroutines in asyncio.wait() (an error from 3.11)",
}


def find_python(version):
    exe = shutil.which("python" + version)
    if exe:
        try:
            subprocess.run([exe, "-c", "pass"], check=True, capture_output=True, timeout=20)
            return exe
        except Exception:
            pass
    for cand in sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/%s.*/bin/python%s" % (version, version)))):
        return cand
    return None


# ----------------------------------------------------------------------------------------
# Reading a trace
# ----------------------------------------------------------------------------------------

def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(n, n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


AWAIT_RE = re.compile(r"^(task:\d+|sleep:\d+|timeout:\d+|lock|event|condition|semaphore|queue_get|"
                      r"queue_put|thread|read|write|connect|accept|yield|future|unknown|loop)$")
CAUSE_RE = re.compile(r"^(spawn|task:\d+|done:\d+|self|timer|io|thread|loop)$")
BY_RE = re.compile(r"^(task:\d+|viewer|loop)$")


class Trace:
    """A parsed trace, with every protocol and lifecycle problem found in `errors`."""

    def __init__(self, text):
        self.text = text
        self.lines = text.split("\n")
        if self.lines and self.lines[-1] == "":
            self.lines.pop()
        self.errors = []
        self.tasks = {}       # id -> (parent, kind, name)
        self.events = []      # (t, task, kind, fields)
        self.warnings = []    # (t, task, what, text)
        self.end = None
        self.version = None
        self._parse()
        self._lifecycle()

    def err(self, msg):
        if len(self.errors) < 30:
            self.errors.append(msg)

    def _parse(self):
        last_t = 0
        for n, line in enumerate(self.lines):
            f = line.split("\t")
            rec = f[0]
            if self.end is not None:
                self.err("line %d after END: %r" % (n + 1, line))
                continue
            if n == 0 and rec != "V":
                self.err("first line is not V: %r" % line)
            if rec == "V":
                self.version = f[1]
            elif rec == "T":
                tid = int(f[1])
                if tid != len(self.tasks) + 1:
                    self.err("T out of order: %r" % line)
                if f[3] not in ("async", "thread"):
                    self.err("bad task kind: %r" % line)
                self.tasks[tid] = (int(f[2]), f[3], unescape(f[4]))
                if int(f[2]) != 0 and int(f[2]) not in self.tasks:
                    self.err("parent not known: %r" % line)
            elif rec in ("E", "W"):
                t = int(f[1])
                tid = int(f[2])
                if t < last_t:
                    self.err("time goes back at line %d: %r" % (n + 1, line))
                last_t = max(last_t, t)
                if rec == "E":
                    if tid not in self.tasks:
                        self.err("event of unknown task: %r" % line)
                    self.events.append((t, tid, f[3], f[4:]))
                    self._check_fields(f[3], f[4:], line)
                else:
                    if f[3] not in ("blocked", "never_awaited", "destroyed_pending", "unretrieved"):
                        self.err("bad warning: %r" % line)
                    self.warnings.append((t, tid, f[3], unescape(f[4]) if len(f) > 4 else ""))
            elif rec == "M":
                # From here the clock ran at real speed: times vary by machine.
                if len(f) != 2 or int(f[1]) < last_t:
                    self.err("bad M: %r" % line)
            elif rec == "END":
                self.end = f[1:]
                if f[1] not in ("ok", "exit", "error", "limit", "thread"):
                    self.err("bad END: %r" % line)
            else:
                self.err("unknown record: %r" % line)
        if self.end is None:
            self.err("no END line")

    def _check_fields(self, kind, fields, line):
        if kind == "S":
            if len(fields) != 1 or not CAUSE_RE.match(fields[0]):
                self.err("bad S: %r" % line)
        elif kind == "W":
            if len(fields) != 2 or not fields[0].isdigit() or not fields[1]:
                self.err("bad W: %r" % line)
            else:
                for item in fields[1].split(";"):
                    if not AWAIT_RE.match(item):
                        self.err("bad await %r in %r" % (item, line))
        elif kind == "A":
            if len(fields) != 1 or not BY_RE.match(fields[0]):
                self.err("bad A: %r" % line)
        elif kind == "X":
            if len(fields) != 1 or not (BY_RE.match(fields[0]) or fields[0] == "-"):
                self.err("bad X: %r" % line)
        elif kind in ("D", "F", "P"):
            if len(fields) != 1:
                self.err("bad %s: %r" % (kind, line))
        elif kind in ("C", "R"):
            if fields:
                self.err("bad %s: %r" % (kind, line))
        else:
            self.err("unknown event kind: %r" % line)

    def _lifecycle(self):
        """C first; then S; R only after S; W or D/X/F only after R; nothing after the end;
        A for any task not ended; X only after R or S.  Thread tasks are never Suspended."""
        state = {}
        for t, tid, kind, fields in self.events:
            st = state.get(tid)
            where = "task %d %s at %d (state %s)" % (tid, kind, t, st)
            if st == "ended":
                self.err("event after the end: " + where)
                continue
            if st is None:
                if kind != "C":
                    self.err("first event is not C: " + where)
                state[tid] = "created"
                continue
            if kind == "C":
                self.err("C twice: " + where)
            elif kind == "S":
                if st not in ("created", "suspended"):
                    self.err("S not after C/W: " + where)
                state[tid] = "scheduled"
            elif kind == "R":
                if st != "scheduled":
                    self.err("R not after S: " + where)
                state[tid] = "running"
            elif kind == "W":
                if st != "running":
                    self.err("W not after R: " + where)
                if self.tasks.get(tid, (0, "async"))[1] == "thread":
                    self.err("thread task suspended: " + where)
                state[tid] = "suspended"
            elif kind in ("D", "F"):
                if st != "running":
                    self.err("%s not after R: " % kind + where)
                state[tid] = "ended"
            elif kind == "X":
                if st not in ("running", "scheduled"):
                    self.err("X not after R or S: " + where)
                state[tid] = "ended"
            elif kind in ("A", "P"):
                pass
        self.unended = sorted(tid for tid, st in state.items() if st != "ended")

    def prints(self):
        return [unescape(f[0]) for (_, _, k, f) in self.events if k == "P"]

    def of(self, kind):
        return [(t, tid, f) for (t, tid, k, f) in self.events if k == kind]


def run_tracer(python, program, args=(), timeout=120, cwd=None):
    cmd = [python, TRACER, *args, program]
    t0 = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=cwd or os.path.dirname(program))
    dt = time.monotonic() - t0
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace"), dt


def run_plain(python, program, timeout=120):
    p = subprocess.run([python, program], capture_output=True, timeout=timeout, cwd=os.path.dirname(program))
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


# ----------------------------------------------------------------------------------------
# Reporting
# ----------------------------------------------------------------------------------------

class Report:
    def __init__(self):
        self.failures = []
        self.count = 0
        self.notes = []

    def check(self, ok, name, detail=""):
        self.count += 1
        if not ok:
            self.failures.append("%s%s" % (name, (": " + detail) if detail else ""))
            print("  FAIL %s %s" % (name, detail[:2000]))
        return ok

    def note(self, s):
        self.notes.append(s)
        print("  note: " + s)


def joined(prints):
    return "\n".join(prints) + ("\n" if prints else "")


def same_prints(plain_stdout, prints):
    """Plain python's stdout against the P lines (a last line without a newline is a P
    line too)."""
    if plain_stdout and not plain_stdout.endswith("\n"):
        plain_stdout += "\n"
    return plain_stdout == joined(prints)


# ----------------------------------------------------------------------------------------
# Lessons
# ----------------------------------------------------------------------------------------

def load_lessons():
    out = []
    for path in sorted(glob.glob(os.path.join(LESSONS, "*.toml"))):
        with open(path, "rb") as f:
            data = tomllib.load(f)
        py = data.get("python")
        if py and "code" in py:
            out.append((data.get("id") or os.path.basename(path)[:-5], py["code"], py.get("output", "")))
    return out


def check_lessons(rep, pythons, workdir, repeat):
    lessons = load_lessons()
    table = {}
    for lid, code, output in lessons:
        prog = os.path.join(workdir, "lesson_%s.py" % lid.replace("-", "_"))
        with open(prog, "w", encoding="utf-8") as f:
            f.write(code)
        for ver, py in pythons:
            name = "lesson %s on %s" % (lid, ver)
            try:
                rc, out, err, dt = run_tracer(py, prog)
            except subprocess.TimeoutExpired:
                rep.check(False, name, "timed out")
                table[(lid, ver)] = "TIMEOUT"
                continue
            tr = Trace(out)
            got = joined(tr.prints())
            same = got == output
            known = KNOWN_DIFFERENCES.get((ver, lid))
            status = "ok" if same else ("differs (known)" if known else "DIFFERS")
            if not same and known:
                # The difference must be the version's own: plain python prints the same.
                prc, pout, perr = run_plain(py, prog)
                if pout != got:
                    status = "DIFFERS from plain %s too" % ver
                    rep.check(False, name, "plain python prints something else:\n" + diff(pout, got))
            elif not same:
                rep.check(False, name, "prints differ:\n" + diff(output, got) + "\nstderr:\n" + err[-3000:])
            rep.check(not tr.errors, name + " protocol/lifecycle", "\n".join(tr.errors))
            if same:
                rep.check(tr.end == ["ok"] and rc == 0, name + " END ok", "END %r rc %d\n%s" % (tr.end, rc, err[-2000:]))
            table[(lid, ver)] = "%s %.2fs %dev%s" % (status, dt, len(tr.events),
                                                   (" unended:%s" % tr.unended) if tr.unended else "")
            if repeat and same:
                rc2, out2, err2, _ = run_tracer(py, prog)
                # Traces with threads (executor jobs, or loops in threads of their own)
                # may differ where the threads race for real.
                threads = any(k == "thread" for (_, k, _) in tr.tasks.values()) or lid in ("multithread",)
                if out2 != out:
                    if threads:
                        rep.note("lesson %s on %s: two runs differ (threads race for real)" % (lid, ver))
                    else:
                        rep.check(False, name + " deterministic", diff(out, out2))
    return lessons, table


def diff(a, b):
    import difflib
    return "".join(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "expected", "got", n=1))[:4000]


# ----------------------------------------------------------------------------------------
# Small programs
# ----------------------------------------------------------------------------------------

PROGRAMS = {}


def src(s):
    return textwrap.dedent(s).lstrip()


RAISES = ('''
    import asyncio

    async def inner():
        await asyncio.sleep(0.5)
        raise ValueError("boom")

    async def main():
        print("start")
        await inner()

    asyncio.run(main())
''')


PROGRAM_SOURCES = {}


def define(name, source, **kw):
    PROGRAM_SOURCES[name] = src(source)

    def deco(fn):
        PROGRAMS[name] = (fn, kw.get("min_version", (3, 10)), kw.get("plain_same", True),
                          kw.get("args", ()), kw.get("real", False))
        return fn
    return deco


@define("raises", RAISES, plain_same=False)
def t_raises(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.end == ["error", "ValueError: boom"], "raises: END error", repr(tr.end))
    rep.check(rc == 1, "raises: exit status 1", str(rc))
    rep.check(out.rstrip("\n").split("\n")[-1].startswith("END\terror"), "raises: END is last")
    rep.check("Traceback (most recent call last):" in err and 'line 5, in inner' in err
              and "ValueError: boom" in err, "raises: traceback on stderr", err)
    rep.check("tracer.py" not in err and "runpy" not in err, "raises: no tracer frames", err)
    prc, pout, perr = run_plain(py, prog)
    # Same frames as plain python (the file paths are the same file).
    rep.check(perr == err, "raises: traceback as plain python", diff(perr, err))
    f = tr.of("F")
    rep.check([x for x in f if x[1] == 1] and any(x[2] == ["ValueError: boom"] for x in f),
              "raises: F events", repr(f))



@define("forever_virtual", '''
    import asyncio
    async def main():
        n = 0
        while True:
            await asyncio.sleep(1)
            n += 1
    asyncio.run(main())
''', plain_same=False, args=("--max-virtual", "50"))
def t_forever_virtual(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.end == ["limit", "virtual"], "forever: END limit virtual", repr(tr.end))
    rep.check(rc == 1, "forever: status 1")
    ts = [t for (t, _, _, _) in tr.events]
    rep.check(max(ts) <= 50 * 10**9, "forever: clock stays within the limit", str(max(ts)))


@define("forever_real", '''
    import time
    print("spinning")
    while True:
        pass
''', plain_same=False, args=("--max-real", "1.5"))
def t_forever_real(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.end == ["limit", "real"], "forever real: END limit real", repr(tr.end))
    rep.check(tr.prints() == ["spinning"], "forever real: the print before the limit", repr(tr.prints()))


@define("forever_events", '''
    import asyncio
    async def main():
        while True:
            await asyncio.sleep(0)
    asyncio.run(main())
''', plain_same=False, args=("--max-events", "1000"))
def t_forever_events(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.end == ["limit", "events"], "forever events: END limit events", repr(tr.end))
    rep.check(len(tr.events) == 1000, "forever events: exactly 1000 E lines", str(len(tr.events)))


@define("thread_ticker", '''
    import asyncio, time

    def work():
        time.sleep(0.2)
        return "result"

    async def ticker():
        for n in range(1, 6):
            await asyncio.sleep(0.06)
            print(f"tick {n}")

    async def job():
        r = await asyncio.to_thread(work)
        print(f"done {r}")

    async def main():
        await asyncio.gather(ticker(), job())
        loop = asyncio.get_running_loop()
        r = await loop.run_in_executor(None, sum, [1, 2, 3])
        print("executor", r)

    asyncio.run(main())
''', real=True)
def t_thread_ticker(rep, ver, py, prog, tr, rc, out, err):
    p = tr.prints()
    rep.check(p.index("done result") == p.index("tick 3") + 1, "thread: done after tick 3 (as plain)", repr(p))
    threads = [tid for tid, (_, k, _) in tr.tasks.items() if k == "thread"]
    rep.check(len(threads) == 2 and [tr.tasks[t][2] for t in threads] == ["work", "sum"],
              "thread: two thread tasks named work, sum", repr([tr.tasks[t] for t in threads]))
    ends = [(t, tid, f) for (t, tid, f) in tr.of("D") if tid in threads]
    rep.check(len(ends) == 2 and 0.19e9 <= ends[0][0] <= 0.25e9, "thread: work ends at ~0.2 s", repr(ends))
    ws = [f for (_, tid, f) in tr.of("W") if f[1] == "thread"]
    rep.check(len(ws) >= 2, "thread: tasks wait on `thread`", repr(tr.of("W")))


@define("sockets", '''
    import asyncio

    async def handle(reader, writer):
        data = await reader.readline()
        writer.write(data.upper())
        await writer.drain()
        writer.close()
        await writer.wait_closed()

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        for word in ["hello", "world"]:
            await asyncio.sleep(0.5)
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(word.encode() + b"\\n")
            await writer.drain()
            print((await reader.readline()).decode().strip())
            writer.close()
            await writer.wait_closed()
        server.close()
        await server.wait_closed()

    asyncio.run(main())
''')
def t_sockets(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.prints() == ["HELLO", "WORLD"], "sockets: echo", repr(tr.prints()))
    kinds = {f[1] for (_, _, f) in tr.of("W")}
    rep.check("read" in kinds, "sockets: a task waits on read", repr(kinds))
    causes = {f[0] for (_, _, f) in tr.of("S")}
    rep.check("io" in causes, "sockets: a task woken by io", repr(causes))
    last = max(t for (t, _, _, _) in tr.events)
    rep.check(last == 10**9, "sockets: loopback costs no virtual time", str(last))


@define("cancel_cleanup", '''
    import asyncio

    async def worker():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("cleaning up")
            await asyncio.sleep(0.5)
            print("cleaned")
            raise

    async def main():
        t = asyncio.create_task(worker())
        await asyncio.sleep(1)
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            print("worker cancelled:", t.cancelled())

    asyncio.run(main())
''')
def t_cancel_cleanup(rep, ver, py, prog, tr, rc, out, err):
    a = tr.of("A")
    x = tr.of("X")
    rep.check(a == [(10**9, 3, ["task:2"])], "cancel: A by task:2 at 1 s", repr(a))
    rep.check(x == [(int(1.5e9), 3, ["task:2"])], "cancel: X at 1.5 s by task:2", repr(x))
    w3 = [f for (t, tid, f) in tr.of("W") if tid == 3]
    rep.check(w3 and w3[-1][1] == "sleep:1500000000", "cancel: cleanup sleep seen", repr(w3))


@define("shield_waitfor", '''
    import asyncio

    async def work(n):
        await asyncio.sleep(n)
        return n

    async def main():
        t = asyncio.create_task(work(2))
        try:
            await asyncio.wait_for(asyncio.shield(t), 1)
        except asyncio.TimeoutError:
            print("timeout, task done:", t.done())
        print("result", await t)
        try:
            await asyncio.wait_for(work(5), 0.5)
        except asyncio.TimeoutError:
            print("second timeout")

    asyncio.run(main())
''')
def t_shield(rep, ver, py, prog, tr, rc, out, err):
    ws = [f[1] for (t, tid, f) in tr.of("W") if tid == 2]
    rep.check(any(w.startswith("timeout:1000000000;") and "task:3" in w for w in ws),
              "shield: main waits on timeout + the shielded task", repr(ws))
    rep.check(any(w.startswith("timeout:2500000000") for w in ws), "wait_for: timeout item", repr(ws))


@define("taskgroup", '''
    import asyncio

    async def job(n):
        await asyncio.sleep(n)
        if n == 3:
            raise RuntimeError("three")
        return n

    async def main():
        try:
            async with asyncio.TaskGroup() as tg:
                for n in (1, 2, 3, 4):
                    tg.create_task(job(n))
        except* RuntimeError as eg:
            print("group failed:", [str(e) for e in eg.exceptions])
        async with asyncio.timeout(1.5):
            await asyncio.sleep(1)
        try:
            async with asyncio.timeout(0.5):
                await asyncio.sleep(1)
        except TimeoutError:
            print("timed out")

    asyncio.run(main())
''', min_version=(3, 11))
def t_taskgroup(rep, ver, py, prog, tr, rc, out, err):
    ws = [f[1] for (t, tid, f) in tr.of("W") if tid == 2]
    rep.check("task:3;task:4;task:5;task:6" in ws, "taskgroup: waits on its tasks", repr(ws))
    rep.check(any(w.startswith("timeout:") and "sleep:" in w for w in ws), "timeout(): items", repr(ws))
    x = tr.of("X")
    rep.check(any(tid == 6 for (_, tid, _) in x), "taskgroup: job 4 cancelled", repr(x))
    a = [(tid, f) for (_, tid, f) in tr.of("A")]
    rep.check((2, ["loop"]) in a, "timeout(): A by loop on main", repr(a))


@define("ties", '''
    import asyncio

    async def coro(n):
        await asyncio.sleep(1)
        print(n)

    async def main():
        await asyncio.gather(*(coro(n) for n in range(20)))

    asyncio.run(main())
''')
def t_ties(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.prints() == [str(n) for n in range(20)], "ties: equal sleeps wake in creation order",
              repr(tr.prints()))


@define("warnings", '''
    import asyncio, gc, time

    async def never():
        pass

    async def fails():
        raise KeyError("lost")

    async def forever():
        await asyncio.Event().wait()

    async def main():
        never()                          # never awaited
        asyncio.create_task(fails())     # its exception is never retrieved
        await asyncio.sleep(0.1)
        time.sleep(1)                    # blocks the loop for a virtual second
        gc.collect()

    asyncio.run(main())
    loop = asyncio.new_event_loop()
    t = loop.create_task(forever())
    loop.run_until_complete(asyncio.sleep(0.1))
    loop.close()
    del t
    gc.collect()
    print("end")
''', plain_same=False)
def t_warnings(rep, ver, py, prog, tr, rc, out, err):
    kinds = {(w[2], w[3]) for w in tr.warnings}
    rep.check(("never_awaited", "never") in kinds, "warnings: never_awaited", repr(tr.warnings))
    rep.check(("unretrieved", "KeyError: 'lost'") in kinds, "warnings: unretrieved", repr(tr.warnings))
    rep.check(("blocked", "1.000") in kinds and any(w[1] == 2 for w in tr.warnings if w[2] == "blocked"),
              "warnings: blocked on main", repr(tr.warnings))
    rep.check(any(w[2] == "destroyed_pending" and w[3] == "forever" for w in tr.warnings),
              "warnings: destroyed_pending", repr(tr.warnings))
    prc, pout, perr = run_plain(py, prog)
    rep.check(pout == "end\n" and tr.prints() == ["end"], "warnings: prints as plain", repr(pout))
    # What plain python writes to stderr for these, the tracer passes on unchanged.
    for needle in ("was never awaited", "Task exception was never retrieved", "Task was destroyed but it is pending"):
        rep.check((needle in perr) == (needle in err), "warnings: stderr like plain: " + needle, err)
    rep.check("Executing" not in err, "warnings: no debug chatter on stderr", err)


@define("cancel_cli", '''
    import asyncio

    async def sleeper(n):
        try:
            await asyncio.sleep(n)
            print("slept", n)
        except asyncio.CancelledError:
            print("cancelled", n)
            raise

    async def main():
        r = await asyncio.gather(*(sleeper(n) for n in (1, 2, 3)), return_exceptions=True)
        print([type(x).__name__ for x in r])

    asyncio.run(main())
''', plain_same=False, args=("--cancel", "14:4", "--cancel", "14:99", "--cancel", "15:3"))
def t_cancel_cli(rep, ver, py, prog, tr, rc, out, err):
    a = tr.of("A")
    rep.check([(tid, f) for (_, tid, f) in a] == [(4, ["viewer"]), (3, ["viewer"])],
              "--cancel: A viewer for 4 then 3, nothing for 99", repr(a))
    lines = out.split("\n")
    e_lines = [l for l in lines if l.startswith("E\t")]
    rep.check(e_lines[14].split("\t")[2:4] == ["4", "A"] and e_lines[15].split("\t")[2:4] == ["3", "A"],
              "--cancel: the A lines are E lines 15 and 16", repr(e_lines[12:17]))
    rep.check(tr.prints()[-1] == "['CancelledError', 'CancelledError', 'NoneType']", "--cancel: effect",
              repr(tr.prints()))
    x = tr.of("X")
    rep.check(sorted((tid, f[0]) for (_, tid, f) in x) == [(3, "viewer"), (4, "viewer")], "--cancel: X viewer", repr(x))
    rc2, out2, _, _ = run_tracer(py, prog, args=("--cancel", "14:4", "--cancel", "14:99", "--cancel", "15:3"))
    rep.check(out2 == out, "--cancel: byte-identical twice")
    # Out of order, one falling due while task 3 is being created (after its C line),
    # one for the running main task.
    rc3, out3, err3, _ = run_tracer(py, prog, args=("--cancel", "9:3", "--cancel", "8:2"))
    tr3 = Trace(out3)
    e3 = [l.split("\t")[2:5] for l in out3.split("\n") if l.startswith("E\t")]
    rep.check(e3[8] == ["2", "A", "viewer"] and e3[9] == ["3", "S", "spawn"] and e3[10] == ["3", "A", "viewer"],
              "--cancel: during creation, out of order", repr(e3[6:12]))
    rep.check(not tr3.errors and tr3.end == ["error", "CancelledError"], "--cancel main: lifecycle, END",
              "%r %r" % (tr3.errors, tr3.end))


@define("eager", '''
    import asyncio

    async def quick(n):
        return n * 2

    async def slow(n):
        await asyncio.sleep(0.1)
        return n

    async def main():
        asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)
        t = asyncio.create_task(quick(1))
        print("done at once:", t.done(), t.result())
        s = asyncio.create_task(slow(2))
        print("slow:", await s)

    asyncio.run(main())
''', min_version=(3, 12))
def t_eager(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.prints() == ["done at once: True 2", "slow: 2"], "eager: prints", repr(tr.prints()))


@define("misc", '''
    import asyncio, sys, time

    def job():
        print("from a thread")
        return 42

    async def main():
        loop = asyncio.get_running_loop()
        print(loop.get_debug(), type(loop).__name__, asyncio.get_event_loop_policy().__class__.__name__)
        t0 = time.monotonic()
        await asyncio.sleep(2)
        print("slept", round(time.monotonic() - t0))
        print(await loop.run_in_executor(None, job))
        print(repr(asyncio.current_task()).split(" coro=")[0])
        sys.stdout.write("partial")

    asyncio.run(main())
    sys.exit(3)
''', plain_same=True, real=True)
def t_misc(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.end == ["exit", "3"] and rc == 1, "misc: END exit 3", repr(tr.end))
    rep.check(tr.prints()[-1] == "partial", "misc: partial last line flushed", repr(tr.prints()))
    jobs = [tid for tid, (_, k, _) in tr.tasks.items() if k == "thread"]
    rep.check(any(tid in jobs for (_, tid, f) in tr.of("P") if f == ["from a thread"]),
              "misc: a thread's print belongs to its thread task")


@define("thread_error", '''
    import threading

    def bad():
        raise OSError("disk on fire")

    t = threading.Thread(target=bad)
    t.start()
    t.join()
    print("main goes on")
''', plain_same=True, real=True)
def t_thread_error(rep, ver, py, prog, tr, rc, out, err):
    rep.check(tr.end == ["thread", "OSError: disk on fire"] and rc == 1, "thread error: END thread", repr(tr.end))
    rep.check("OSError: disk on fire" in err, "thread error: traceback on stderr", err)


@define("seeded", '''
    import random
    print(random.random())
''', plain_same=False, args=("--seed", "7"))
def t_seeded(rep, ver, py, prog, tr, rc, out, err):
    import random
    random.seed(7)
    rep.check(tr.prints() == [str(random.random())], "--seed 7: random.seed(7) before the program", repr(tr.prints()))


@define("kinds", '''
    import asyncio

    async def main():
        lock, event, cond, sem = asyncio.Lock(), asyncio.Event(), asyncio.Condition(), asyncio.Semaphore(1)
        q = asyncio.Queue(maxsize=1)

        async def locker():
            async with lock:
                pass

        async def waiter():
            await event.wait()

        async def conder():
            async with cond:
                await cond.wait()

        async def semmer():
            async with sem:
                pass

        async def getter():
            return await asyncio.Queue().get()

        async def putter():
            await q.put(1)
            await q.put(2)

        async with lock:
            async with sem:
                ts = [asyncio.create_task(c()) for c in (locker, waiter, conder, semmer, getter, putter)]
                await asyncio.sleep(0.1)
        event.set()
        async with cond:
            cond.notify_all()
        await q.get()
        await asyncio.sleep(0.1)
        ts[4].cancel()
        done, pending = await asyncio.wait(ts, timeout=1)
        print(len(done), len(pending))

    asyncio.run(main())
''')
def t_kinds(rep, ver, py, prog, tr, rc, out, err):
    kinds = {f[1] for (_, tid, f) in tr.of("W")}
    for k in ("lock", "event", "condition", "semaphore", "queue_get", "queue_put", "sleep:100000000"):
        rep.check(k in kinds, "kinds: %s seen" % k, repr(sorted(kinds)))


def check_programs(rep, pythons, workdir, only=None):
    for name, (fn, minv, plain_same, args, real) in PROGRAMS.items():
        if only and name not in only:
            continue
        prog = os.path.join(workdir, "prog_%s.py" % name)
        with open(prog, "w") as f:
            f.write(PROGRAM_SOURCES[name])
        for ver, py in pythons:
            if tuple(map(int, ver.split("."))) < minv:
                continue
            try:
                rc, out, err, dt = run_tracer(py, prog, args=args)
            except subprocess.TimeoutExpired:
                rep.check(False, "%s on %s" % (name, ver), "timed out")
                continue
            tr = Trace(out)
            print("program %-16s %s: %.2fs, %d events, END %s" % (name, ver, dt, len(tr.events), tr.end))
            rep.check(not tr.errors, "%s on %s protocol/lifecycle" % (name, ver), "\n".join(tr.errors))
            if plain_same:
                prc, pout, perr = run_plain(py, prog)
                rep.check(same_prints(pout, tr.prints()), "%s on %s prints as plain" % (name, ver),
                          diff(pout, joined(tr.prints())) + err[-2000:])
            before = len(rep.failures)
            try:
                fn(rep, ver, py, prog, tr, rc, out, err)
            except Exception as e:
                rep.check(False, "%s on %s" % (name, ver), "checker raised %r" % e)
            if len(rep.failures) > before:
                rep.failures[before:] = ["[%s] %s" % (ver, f) for f in rep.failures[before:]]
            if not real and not args and name not in ("warnings",):
                rc2, out2, _, _ = run_tracer(py, prog, args=args)
                rep.check(out2 == out, "%s on %s deterministic" % (name, ver), diff(out, out2))


# ----------------------------------------------------------------------------------------
# Speed
# ----------------------------------------------------------------------------------------

SPEED = src('''
    import asyncio, random
    random.seed(1)

    async def worker(n):
        await asyncio.sleep(random.randint(1, 1000) / 1000)
        return n

    async def main():
        r = await asyncio.gather(*(worker(i) for i in range(100_000)))
        print(len(r), sum(r))

    asyncio.run(main())
''')


def check_speed(rep, pythons, workdir, runs=3):
    prog = os.path.join(workdir, "speed.py")
    with open(prog, "w") as f:
        f.write(SPEED)
    for ver, py in pythons:
        plain = []
        traced = []
        for _ in range(runs):
            t0 = time.monotonic()
            prc, pout, perr = run_plain(py, prog)
            plain.append(time.monotonic() - t0)
            rc, out, err, dt = run_tracer(py, prog)
            traced.append(dt)
        tr = Trace(out)
        ratio = min(traced) / min(plain)
        msg = ("speed %s: plain %.2fs, traced %.2fs (best of %d), ratio %.2f, %d events, %.1f MB of trace"
               % (ver, min(plain), min(traced), runs, ratio, len(tr.events), len(out) / 1e6))
        print(msg)
        rep.notes.append(msg)
        rep.check(pout == joined(tr.prints()), "speed %s: prints" % ver)
        rep.check(not tr.errors, "speed %s: lifecycle" % ver, "\n".join(tr.errors[:5]))
        rep.check(ratio <= 2.2, "speed %s: ratio <= 2" % ver, "%.2f" % ratio)


# ----------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--versions", default=",".join(VERSIONS))
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--only", choices=["lessons", "programs", "speed"])
    ap.add_argument("--program", action="append")
    ap.add_argument("--show", help="print the trace of one lesson (by id) or test program")
    args = ap.parse_args()
    pythons = []
    for v in args.versions.split(","):
        py = find_python(v)
        if py:
            pythons.append((v, py))
        else:
            print("python%s: not found" % v)
    workdir = tempfile.mkdtemp(prefix="check_tracer_")
    if args.show:
        lessons = {lid: code for lid, code, _ in load_lessons()}
        source = lessons.get(args.show) or PROGRAM_SOURCES.get(args.show)
        prog = os.path.join(workdir, "show.py")
        with open(prog, "w") as f:
            f.write(source)
        extra = PROGRAMS.get(args.show, (None, None, None, ()))[3]
        for ver, py in pythons:
            rc, out, err, dt = run_tracer(py, prog, args=extra)
            sys.stdout.write(out)
            sys.stderr.write(err)
            tr = Trace(out)
            print("# %s: %.2fs, errors: %s, unended: %s" % (ver, dt, tr.errors, tr.unended))
        return
    rep = Report()
    print("interpreters:", ", ".join("%s=%s" % p for p in pythons))
    table = {}
    lessons = []
    if args.only in (None, "programs"):
        check_programs(rep, pythons, workdir, args.program)
    if args.only in (None, "lessons"):
        lessons, table = check_lessons(rep, pythons, workdir, not args.quick)
    if args.only in (None, "speed") and not args.quick:
        check_speed(rep, [p for p in pythons if p[0] == "3.11"] or pythons[:1], workdir)
    if table:
        print()
        vers = [v for v, _ in pythons]
        print("%-14s" % "lesson" + "".join("%-34s" % v for v in vers))
        for lid, _, _ in lessons:
            print("%-14s" % lid + "".join("%-34s" % table.get((lid, v), "-")[:33] for v in vers))
    print()
    for n in rep.notes:
        print("note:", n)
    print("%d checks, %d failed" % (rep.count, len(rep.failures)))
    for f in rep.failures:
        print("FAILED:", f.split("\n")[0])
    shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(1 if rep.failures else 0)


if __name__ == "__main__":
    main()
