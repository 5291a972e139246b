"""qmath sandbox worker: a warm "zygote" Python that forks one interpreter per sample.

Started by src/sandbox/zygote.ts, normally inside bubblewrap, as
    python3 -I -c <this file's source> <config JSON>

The zygote imports sympy and numpy once, then forks a child per sample (session). A child
keeps the sample's globals across cells and dies with the session. Node talks to the
zygote over its stdin/stdout with frames: a big-endian u32 payload length, a big-endian
u32 session id, then a UTF-8 JSON payload. Session id 0 addresses the zygote itself; any
other id is forwarded, payload untouched, to that session's child over a socketpair, and
the child's frames come back with its id. The zygote never runs model code.

Zygote ops (session id 0 from Node): spawn {sid}, kill {sid}, ping.
Zygote -> Node: {"op": "hello"} once warm, {"op": "pong"}, and per session
{"op": "ready", "pid"} and {"op": "exit", "code"|"signal"}.
Child ops: run {code, replay, token} -> {"op": "result", head, tail, omitted, error, ms, recycle, token}.
A child's frames reach Node with the FROM_INTERPRETER bit set in the session id, so that
nothing a cell writes to the protocol socket can pass for the zygote's "ready" or "exit";
Node takes a result only with the token of the run it is waiting for.

Isolation between samples (isolateSessions, set under bubblewrap): each session gets its
own user, PID and mount namespaces. Its interpreter is PID 1 of a PID namespace of its
own, with its own /proc, and sees neither the zygote nor any other sample: it can signal,
ptrace or read the memory of no process but its own cell processes. /tmp and /dev/shm are
its own directories, bind-mounted; then every capability is dropped, no new user
namespace can be made, and the zygote and interpreters are non-dumpable.

Clean-up rules: every child is a child subreaper, so whatever a cell forks stays its
descendant and is killed when the cell ends; the zygote is a subreaper too, so the
descendants of a killed child come back to it and are killed. A session's PID namespace
dies with its interpreter.
"""

import ast
import builtins
import ctypes
import gc
import io
import json
import os
import re
import resource
import selectors
import signal
import socket
import struct
import sys
import time
import traceback

HEADER = struct.Struct(">II")
IDLE_BEFORE_FORK = 0.05
MAX_FRAME_FROM_NODE = 64 << 20
MAX_FRAME_FROM_CHILD = 16 << 20

PR_SET_PDEATHSIG = 1
PR_SET_DUMPABLE = 4
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38

# Set on the session id of every frame a child wrote (see the module docstring).
FROM_INTERPRETER = 0x80000000

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 1 << 18
LINUX_CAPABILITY_VERSION_3 = 0x20080522

try:
    _libc = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - not Linux
    _libc = None


def prctl(option, value):
    if _libc is not None:
        _libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0)


def frame(sid, payload):
    return HEADER.pack(len(payload), sid) + payload


def write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def set_limit(which, soft, hard=None):
    if hard is None:
        hard = soft
    try:
        resource.setrlimit(which, (soft, hard))
    except (ValueError, OSError):
        pass


# --------------------------------------------------------------------------- processes


def process_tree():
    """{ppid: [pid, ...]} for every process visible in /proc."""
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return children
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/" + name + "/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) < 2:
            continue
        children.setdefault(int(fields[1]), []).append(int(name))
    return children


def descendants(roots, tree):
    out, stack = [], list(roots)
    while stack:
        pid = stack.pop()
        out.append(pid)
        stack.extend(tree.get(pid, ()))
    return out


def kill_all(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# --------------------------------------------------------------------------- child


class Capture(io.TextIOBase):
    """sys.stdout for a cell: keeps the first and the last `keep` characters and counts the rest."""

    def __init__(self, keep):
        super().__init__()
        self.keep = keep
        self.head = []
        self.head_len = 0
        self.tail = ""
        self.total = 0

    def writable(self):
        return True

    def isatty(self):
        return False

    @property
    def encoding(self):
        return "utf-8"

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not " + type(s).__name__)
        n = len(s)
        self.total += n
        room = self.keep - self.head_len
        if room > 0:
            part = s[:room]
            self.head.append(part)
            self.head_len += len(part)
            s = s[room:]
        if s:
            self.tail = (self.tail + s)[-self.keep :]
        return n

    def result(self):
        head = "".join(self.head)
        omitted = self.total - len(head) - len(self.tail)
        return head, self.tail, omitted


def refuse_input(*_args, **_kwargs):
    raise RuntimeError()


INPUT_CALL = re.compile(r"(\s|^)?input\(")


def last_traceback_line():
    """The last line of the formatted traceback, as the reference harness reports it."""
    lines = traceback.format_exc().split("\n")
    return lines[-2] if len(lines) >= 2 else lines[-1]


def run_cell(code, env, keep, my_pid):
    """Execute one cell in `env`; returns (capture, error line or None)."""
    capture = Capture(keep)
    error = None
    saved_stdout = sys.stdout
    sys.stdout = capture
    try:
        if INPUT_CALL.search(code):
            # Like the reference harness: a cell that calls input() is refused unrun.
            raise RuntimeError()
        tree = ast.parse(code, "<string>", "exec")
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        exec(compile(tree, "<string>", "exec"), env)
        if last is not None:
            value = eval(compile(last, "<string>", "eval"), env)
            if value is not None:
                # The reference harness shows str(value) of a final bare expression.
                print(str(value), file=capture)
    except BaseException:  # noqa: B036 - SystemExit and KeyboardInterrupt are cell errors too
        if os.getpid() != my_pid:
            os._exit(0)
        try:
            error = last_traceback_line()
        except BaseException:
            error = "Error"
    finally:
        if os.getpid() != my_pid:
            # A cell that forked: the copy must never answer on the protocol socket.
            os._exit(0)
        sys.stdout = saved_stdout
    return capture, error


def kill_descendants(my_pid):
    """Kill every process this cell left behind (they are all our descendants: we are a subreaper)."""
    for _ in range(1000):
        try:
            while True:
                pid, _status = os.waitpid(-1, os.WNOHANG)
                if pid == 0:
                    break
        except ChildProcessError:
            return
        tree = process_tree()
        kill_all(descendants(tree.get(my_pid, ()), tree))
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return
    os._exit(70)


def thread_count():
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def read_exact(fd, n):
    chunks = []
    while n > 0:
        chunk = os.read(fd, n)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


WARMUP_CELL = '''
import math
from sympy import symbols, factor, Rational
x = symbols('x')
print(factor(x**2 - 1), Rational(1, 3) + 1, math.gcd(12, 18))
[i * i for i in range(10)]
'''


class SetupError(Exception):
    pass


def libc_call(what, result):
    if result != 0:
        err = ctypes.get_errno()
        raise SetupError("%s: %s" % (what, os.strerror(err)))


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def session_dirs(scratch_root, name):
    """The session's /tmp and /dev/shm directories on the shared mounts (made before the namespaces)."""
    tmp = os.path.join(scratch_root, name)
    shm = os.path.join("/dev/shm", name)
    return tmp, shm


def enter_session_namespaces(tmp_dir, shm_dir):
    """Moves this session into namespaces of its own (see the module docstring).

    Called in the forked child C. C makes the namespaces, forks the interpreter I (PID 1 of
    the new PID namespace) and stays behind only to wait for it and pass on how it ended,
    so that the zygote's bookkeeping (one pid per session) is unchanged. Returns in I.
    """
    if _libc is None:
        raise SetupError("no C library")
    uid, gid = os.getuid(), os.getgid()
    # The zygote is non-dumpable, which makes /proc/self root-owned: this process could not
    # write its own uid_map. Nothing but the zygote can reach it, so this is safe until the
    # interpreter drops it again.
    prctl(PR_SET_DUMPABLE, 1)
    libc_call("unshare", _libc.unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS))
    with open("/proc/self/setgroups", "w") as f:
        f.write("deny")
    with open("/proc/self/uid_map", "w") as f:
        f.write("%d %d 1" % (uid, uid))
    with open("/proc/self/gid_map", "w") as f:
        f.write("%d %d 1" % (gid, gid))
    pid = os.fork()
    if pid != 0:
        # C: wait for the interpreter and end the same way. C keeps its copy of the socket, so
        # that the zygote sees the end of it only when C is gone and reads how I ended.
        prctl(PR_SET_DUMPABLE, 0)
        while True:
            try:
                _, status = os.waitpid(pid, 0)
                break
            except InterruptedError:
                continue
            except ChildProcessError:
                os._exit(0)
        if os.WIFSIGNALED(status):
            sig = os.WTERMSIG(status)
            signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
        os._exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1)
    # I: the interpreter, PID 1 here (its parent, outside, shows as pid 0).
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != 0:
        os._exit(0)
    os.setsid()
    libc_call("mount / private", _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None))
    libc_call("mount /proc", _libc.mount(b"proc", b"/proc", b"proc", 0, None))
    libc_call("bind /tmp", _libc.mount(tmp_dir.encode(), b"/tmp", None, MS_BIND, None))
    libc_call("bind /dev/shm", _libc.mount(shm_dir.encode(), b"/dev/shm", None, MS_BIND, None))
    with open("/proc/sys/user/max_user_namespaces", "w") as f:
        f.write("0")
    header = _CapHeader(LINUX_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()
    libc_call("capset", _libc.capset(ctypes.byref(header), data))
    libc_call("no_new_privs", _libc.prctl(PR_SET_NO_NEW_PRIVS, ctypes.c_ulong(1), 0, 0, 0))


def child_main(sock_fd, zygote_pid, cfg, warm_up):
    """A fresh interpreter for one sample: set up the limits, then run cells until EOF."""
    os.setsid()
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != zygote_pid:
        os._exit(0)

    # Named by the pid the zygote knows, which removes them when the session ends.
    tmp_dir, shm_dir = session_dirs(cfg["scratch"], "w%d" % os.getpid())
    os.makedirs(tmp_dir, mode=0o700, exist_ok=True)
    if cfg.get("isolateSessions"):
        try:
            os.makedirs(shm_dir, mode=0o700, exist_ok=True)
            enter_session_namespaces(tmp_dir, shm_dir)
        except (SetupError, OSError) as e:
            failed = json.dumps({"op": "failed", "error": "cannot give the sample namespaces of its own (%s)" % e})
            write_all(sock_fd, frame(0, failed.encode()))
            os._exit(0)
        scratch = "/tmp"
    else:
        scratch = tmp_dir
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    # Last, after every change of credentials (which resets it).
    prctl(PR_SET_DUMPABLE, 0)

    # fd 3 is the protocol socket; 0, 1 and 2 are /dev/null; nothing else stays open.
    os.dup2(sock_fd, 3, inheritable=False)
    os.closerange(4, 65536)  # includes sock_fd (the zygote's fds were all above 3)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdin = io.StringIO("")
    sys.stdout = io.StringIO()
    sys.stderr = open(os.devnull, "w")
    builtins.input = refuse_input

    my_pid = os.getpid()
    os.chdir(scratch)
    os.environ["HOME"] = scratch
    os.environ["TMPDIR"] = scratch
    import tempfile

    tempfile.tempdir = scratch

    set_limit(resource.RLIMIT_CORE, 0)
    set_limit(resource.RLIMIT_AS, cfg["memoryBytes"])
    set_limit(resource.RLIMIT_FSIZE, cfg["maxFileBytes"])
    set_limit(resource.RLIMIT_NOFILE, cfg["maxOpenFiles"])
    cpu_hard = cfg["cpuBudgetSeconds"]
    set_limit(resource.RLIMIT_CPU, cpu_hard, cpu_hard)

    np = sys.modules.get("numpy")
    if np is not None:
        np.random.seed()

    keep = cfg["captureChars"]
    if warm_up:
        warm_up_interpreter(keep, my_pid)
    env = {"__name__": "__main__", "__builtins__": builtins}
    write_all(3, frame(0, json.dumps({"op": "ready"}).encode()))
    serve(env, keep, my_pid, cpu_hard)


def warm_up_interpreter(keep, my_pid):
    # Warm-up cell in a throwaway namespace: the copy-on-write page faults a fresh fork takes
    # on its first cell (tens of ms here) happen now, before a sample is handed this process.
    warm, _ = run_cell(WARMUP_CELL, {"__name__": "__main__", "__builtins__": builtins}, keep, my_pid)
    json.dumps({"op": "result", "head": warm.result()[0], "error": None})
    run_cell("undefined_name_for_warmup", {"__name__": "__main__", "__builtins__": builtins}, keep, my_pid)
    kill_descendants(my_pid)


def serve(env, keep, my_pid, cpu_hard):
    while True:
        try:
            length, _sid = HEADER.unpack(read_exact(3, HEADER.size))
            if length > MAX_FRAME_FROM_NODE:
                os._exit(71)
            msg = json.loads(read_exact(3, length))
        except (EOFError, OSError, ValueError):
            os._exit(0)
        if msg.get("op") != "run":
            continue
        timeout_s = max(1, int(msg.get("timeoutMs", 5000) / 1000) + 1)
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu_used = int(used.ru_utime + used.ru_stime)
        set_limit(resource.RLIMIT_CPU, min(cpu_used + timeout_s + 1, cpu_hard), cpu_hard)
        threads_before = thread_count()
        started = time.perf_counter()
        capture, error = run_cell(msg.get("code", ""), env, keep, my_pid)
        ms = (time.perf_counter() - started) * 1000
        kill_descendants(my_pid)
        # A thread the cell left running cannot be stopped: recycle this interpreter.
        recycle = not msg.get("replay") and thread_count() > threads_before
        head, tail, omitted = capture.result()
        token = msg.get("token")
        reply = {"op": "result", "head": head, "tail": tail, "omitted": omitted, "error": error, "ms": ms, "recycle": recycle, "token": token}
        try:
            data = json.dumps(reply).encode("utf-8", "surrogatepass")
        except Exception:  # pragma: no cover - defensive
            data = json.dumps({"op": "result", "head": "", "tail": "", "omitted": 0, "error": "Error", "ms": ms, "recycle": recycle, "token": token}).encode()
        try:
            write_all(3, frame(0, data))
        except OSError:
            os._exit(0)
        if recycle:
            os._exit(0)


# --------------------------------------------------------------------------- zygote


class Child:
    __slots__ = ("pid", "sock", "sid", "ready", "failed", "inbuf", "outbuf")

    def __init__(self, pid, sock):
        self.pid = pid
        self.sock = sock
        self.sid = 0
        self.ready = False
        self.failed = None  # why its set-up failed, from its first frame
        self.inbuf = bytearray()
        self.outbuf = bytearray()


class Zygote:
    def __init__(self, cfg, rfd, wfd):
        self.cfg = cfg
        self.rfd = rfd
        self.wfd = wfd
        self.pid = os.getpid()
        self.inbuf = bytearray()
        self.children = {}  # pid -> Child
        self.by_sid = {}  # sid -> Child
        self.spares = []  # Child, unclaimed
        self.fork_failed_at = 0.0
        self.sel = selectors.DefaultSelector()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_r, False)
        os.set_blocking(self.wake_w, False)

    def send(self, sid, obj):
        write_all(self.wfd, frame(sid, json.dumps(obj).encode()))

    # -- children

    def fork_child(self, warm_up=True):
        parent, child = socket.socketpair()
        try:
            pid = os.fork()
        except OSError:
            parent.close()
            child.close()
            return None
        if pid == 0:
            try:
                parent.close()
                child_main(child.detach(), self.pid, self.cfg, warm_up)
            finally:
                os._exit(0)
        child.close()
        parent.setblocking(False)
        c = Child(pid, parent)
        self.children[pid] = c
        self.sel.register(parent, selectors.EVENT_READ, c)
        return c

    def refill_spares(self):
        while len(self.spares) < self.cfg["spares"]:
            c = self.fork_child()
            if c is None:
                return
            self.spares.append(c)

    def spawn(self, sid):
        if sid in self.by_sid:
            return
        self.spares = [x for x in self.spares if x.pid in self.children and not x.failed]
        c = next((x for x in self.spares if x.ready), None)
        if c is not None:
            self.spares.remove(c)
        else:
            # No spare: fork one now, without the warm-up (it would only delay this sample).
            c = self.fork_child(warm_up=False)
            if c is None and self.spares:
                c = self.spares.pop(0)  # fork failed (process limit?): take one still warming up
        if c is None:
            self.send(sid, {"op": "exit", "error": "fork failed"})
            return
        c.sid = sid
        self.by_sid[sid] = c
        self.announce(c)

    def announce(self, c):
        """Tells Node that the session's interpreter is ready, or that it could not be set up."""
        if c.ready:
            self.send(c.sid, {"op": "ready", "pid": c.pid})
        elif c.failed:
            self.send(c.sid, {"op": "exit", "error": c.failed})

    def kill(self, sid):
        c = self.by_sid.get(sid)
        if c is None:
            self.send(sid, {"op": "exit", "error": "no such session"})
            return
        try:
            os.kill(c.pid, signal.SIGKILL)
        except OSError:
            pass

    def on_child_readable(self, c):
        try:
            data = c.sock.recv(1 << 16)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self.drop_socket(c)
            try:
                os.kill(c.pid, signal.SIGKILL)
            except OSError:
                pass
            return
        c.inbuf += data
        self.pump_child(c)

    def pump_child(self, c):
        buf = c.inbuf
        while len(buf) >= HEADER.size:
            length, _ = HEADER.unpack_from(buf)
            if length > MAX_FRAME_FROM_CHILD:
                buf.clear()
                try:
                    os.kill(c.pid, signal.SIGKILL)
                except OSError:
                    pass
                return
            if len(buf) < HEADER.size + length:
                return
            payload = bytes(buf[HEADER.size : HEADER.size + length])
            del buf[: HEADER.size + length]
            if not c.ready and not c.failed:
                # The first frame is the child's own, written before any cell ran.
                first = json.loads(payload)
                if first.get("op") == "ready":
                    c.ready = True
                else:
                    c.failed = str(first.get("error", "set-up failed"))
                if c.sid:
                    self.announce(c)
                continue
            if c.sid and c.ready:
                write_all(self.wfd, frame(c.sid | FROM_INTERPRETER, payload))

    def drop_socket(self, c):
        if c.sock is not None:
            try:
                self.sel.unregister(c.sock)
            except (KeyError, ValueError):
                pass
            c.sock.close()
            c.sock = None

    def flush_child(self, c):
        if c.sock is None:
            c.outbuf.clear()
            return
        try:
            n = c.sock.send(c.outbuf)
            del c.outbuf[:n]
        except BlockingIOError:
            pass
        except OSError:
            c.outbuf.clear()
        events = selectors.EVENT_READ | (selectors.EVENT_WRITE if c.outbuf else 0)
        self.sel.modify(c.sock, events, c)

    def reap(self):
        reaped_session = False
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            c = self.children.pop(pid, None)
            if c is None:
                continue
            reaped_session = True
            if c.sock is not None:
                # Forward whatever the child wrote before it died, then report the exit.
                while True:
                    try:
                        data = c.sock.recv(1 << 16)
                    except OSError:
                        break
                    if not data:
                        break
                    c.inbuf += data
                self.pump_child(c)
                self.drop_socket(c)
            if c in self.spares:
                self.spares.remove(c)
            if c.sid:
                self.by_sid.pop(c.sid, None)
                info = {"op": "exit"}
                if os.WIFSIGNALED(status):
                    info["signal"] = os.WTERMSIG(status)
                else:
                    info["code"] = os.WEXITSTATUS(status)
                self.send(c.sid, info)
            self.remove_scratch(pid)
        if reaped_session:
            self.sweep()

    def sweep(self):
        """Kill orphans: anything reparented to us that is not one of our interpreters."""
        tree = process_tree()
        stray = [p for p in tree.get(self.pid, ()) if p not in self.children]
        kill_all(descendants(stray, tree))

    def remove_scratch(self, pid):
        import shutil

        tmp_dir, shm_dir = session_dirs(self.cfg["scratch"], "w%d" % pid)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        if self.cfg.get("isolateSessions"):  # without isolation /dev/shm is the host's: not ours to clean
            shutil.rmtree(shm_dir, ignore_errors=True)

    def probe_isolation(self):
        """Starts one interpreter without warm-up to see that sessions get their namespaces; None if they do."""
        c = self.fork_child(warm_up=False)
        if c is None:
            return "fork failed"
        deadline = time.monotonic() + 10
        waiting = selectors.DefaultSelector()
        waiting.register(c.sock, selectors.EVENT_READ)
        while not c.ready and not c.failed and c.sock is not None and time.monotonic() < deadline:
            if waiting.select(timeout=0.1):
                self.on_child_readable(c)
        waiting.close()
        error = c.failed or (None if c.ready else "no answer from a new interpreter")
        try:
            os.kill(c.pid, signal.SIGKILL)
        except OSError:
            pass
        return error

    # -- node

    def on_node_readable(self):
        data = os.read(self.rfd, 1 << 16)
        if not data:
            self.shutdown()
        self.inbuf += data
        buf = self.inbuf
        while len(buf) >= HEADER.size:
            length, sid = HEADER.unpack_from(buf)
            if length > MAX_FRAME_FROM_NODE:
                self.shutdown()
            if len(buf) < HEADER.size + length:
                return
            payload = bytes(buf[HEADER.size : HEADER.size + length])
            del buf[: HEADER.size + length]
            if sid == 0:
                self.control(json.loads(payload))
                continue
            c = self.by_sid.get(sid)
            if c is None or c.sock is None:
                self.send(sid, {"op": "exit", "error": "no such session"})
                continue
            c.outbuf += frame(0, payload)
            self.flush_child(c)

    def control(self, msg):
        op = msg.get("op")
        if op == "spawn":
            self.spawn(int(msg["sid"]))
        elif op == "kill":
            self.kill(int(msg["sid"]))
        elif op == "ping":
            self.send(0, {"op": "pong"})

    def shutdown(self):
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        os._exit(0)

    def loop(self):
        signal.set_wakeup_fd(self.wake_w)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        self.sel.register(self.rfd, selectors.EVENT_READ, "node")
        self.sel.register(self.wake_r, selectors.EVENT_READ, "wake")
        isolation_error = self.probe_isolation() if self.cfg.get("isolateSessions") else None
        if isolation_error:
            self.send(0, {"op": "hello", "pid": self.pid, "python": sys.version.split()[0], "isolationError": isolation_error})
            return
        self.refill_spares()
        self.send(0, {"op": "hello", "pid": self.pid, "python": sys.version.split()[0]})
        last_traffic = 0.0
        while True:
            # Forking a spare blocks this loop for ~10 ms: do it only after 50 ms without
            # traffic, so that a sample's first cell right after it got its interpreter is not
            # held up behind the fork.
            now = time.monotonic()
            need_spares = len(self.spares) < self.cfg["spares"] and now - self.fork_failed_at > 1.0
            idle_for = now - last_traffic
            if need_spares and idle_for >= IDLE_BEFORE_FORK:
                c = self.fork_child()
                if c is None:
                    self.fork_failed_at = time.monotonic()
                else:
                    self.spares.append(c)
                wait = 0  # look at the traffic before forking the next one
            else:
                wait = max(IDLE_BEFORE_FORK - idle_for, 0.001) if need_spares else 1.0
            ready = self.sel.select(timeout=wait)
            for key, events in ready:
                if key.data != "wake":
                    last_traffic = time.monotonic()
                if key.data == "node":
                    self.on_node_readable()
                elif key.data == "wake":
                    try:
                        while os.read(self.wake_r, 4096):
                            pass
                    except BlockingIOError:
                        pass
                else:
                    c = key.data
                    if events & selectors.EVENT_WRITE:
                        self.flush_child(c)
                    if events & selectors.EVENT_READ and c.sock is not None:
                        self.on_child_readable(c)
            self.reap()


def main():
    cfg = json.loads(sys.argv[1])
    rfd = os.dup(0)
    wfd = os.dup(1)
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, 0)
    os.dup2(devnull, 1)
    os.close(devnull)
    sys.stdin = io.StringIO("")
    sys.stdout = open(os.devnull, "w")

    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    # Nobody may read or write this process's memory or attach to it (its children inherit this).
    prctl(PR_SET_DUMPABLE, 0)
    set_limit(resource.RLIMIT_CORE, 0)
    if cfg.get("maxProcesses"):
        set_limit(resource.RLIMIT_NPROC, cfg["maxProcesses"])
    os.makedirs(cfg["scratch"], exist_ok=True)
    os.chdir(cfg["scratch"])

    # Warm up: everything a sample is likely to import, imported once here.
    for name in cfg.get("preload", []):
        try:
            __import__(name)
        except Exception:
            pass
    sympy = sys.modules.get("sympy")
    if sympy is not None:
        try:
            x = sympy.Symbol("x")
            sympy.solve(x**2 - 5 * x + 6, x)
            sympy.simplify(sympy.sin(x) ** 2 + sympy.cos(x) ** 2)
        except Exception:
            pass
    gc.collect()
    gc.freeze()
    Zygote(cfg, rfd, wfd).loop()


if __name__ == "__main__":
    main()
