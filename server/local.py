"""Run a local Neo4j Community 5.26 LTS server from jars fetched from Maven Central.

Pure library module: no printing, no CLI. Every failure a user can meet is
raised as :class:`ServerError` with one plain sentence; a CLI should catch it
and show ``str(err)``.

Layout of a server home (``DEFAULT_HOME`` is ``<repo>/data/neo4j``)::

    m2/            Maven local repository used for the fetch (a cache)
    lib/           the server's jars (copied there by server/pom.xml)
    conf/neo4j.conf  written from server/neo4j.conf.template on every start
    data/ logs/ run/ import/ plugins/
    password       the neo4j user's password (mode 600)
    run/server.pid pid of the java process started by :func:`start`

The server is started directly with ``java -cp 'lib/*'
org.neo4j.server.CommunityEntryPoint`` (there is no Neo4j tarball on Maven
Central, so there is no ``bin/neo4j`` launcher); see server/README-server.md.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import functools
import os
import re
import secrets
import shutil
import signal
import socket
import string
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

__all__ = [
    "DEFAULT_BOLT_PORT",
    "DEFAULT_HOME",
    "DEFAULT_HTTP_PORT",
    "NEO4J_VERSION",
    "ServerError",
    "ServerInfo",
    "install",
    "read_password",
    "start",
    "status",
    "stop",
]

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_HOME = REPO_ROOT / "data" / "neo4j"
SERVER_DIR = Path(__file__).resolve().parent
POM = SERVER_DIR / "pom.xml"
CONF_TEMPLATE = SERVER_DIR / "neo4j.conf.template"

NEO4J_VERSION = "5.26.30"  # keep in step with server/pom.xml
# Overridable so that several checkouts (or a user with another server) can run side by side.
DEFAULT_BOLT_PORT = int(os.environ.get("POLICYGRAPH_BOLT_PORT", "7687"))
DEFAULT_HTTP_PORT = int(os.environ.get("POLICYGRAPH_HTTP_PORT", "7474"))
HEAP = "512m"
PAGECACHE = "256m"
USER = "neo4j"

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
ADMIN_CLASS = "org.neo4j.cli.AdminTool"
SUPPORTED_JAVA = (17, 21)  # what Neo4j 5.26 supports
MAVEN_TIMEOUT = 1200  # seconds
STOP_TIMEOUT = 60  # seconds; a clean shutdown takes about 12 s
LOCK_TIMEOUT = MAVEN_TIMEOUT + 600  # waiting for another process's install/start

# The JVM flags of the stock 5.26 conf/neo4j.conf (server.jvm.additional),
# which the bin/neo4j launcher would normally pass.
JVM_FLAGS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dlog4j.layout.jsonTemplate.maxStringLength=32768",
    "-Dfile.encoding=UTF-8",
)


class ServerError(Exception):
    """A failure to install, start or stop the server, said in one sentence."""


def _plain_errors(func: Callable[..., T]) -> Callable[..., T]:
    """Turn a stray OSError into a one-sentence ServerError (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except OSError as err:
            where = f" ({err.filename})" if err.filename else ""
            reason = err.strerror or str(err) or type(err).__name__
            raise ServerError(
                f"A file or process operation failed{where}: {reason}."
            ) from None

    return wrapper


@dataclass
class ServerInfo:
    home: Path
    bolt_uri: str
    http_url: str
    password_file: Path
    pid: int | None
    running: bool


# --------------------------------------------------------------------------
# paths


def _home(home: Path | str) -> Path:
    return Path(home).expanduser().resolve()


def _lib(home: Path) -> Path:
    return home / "lib"


def _conf_dir(home: Path) -> Path:
    return home / "conf"


def _conf_file(home: Path) -> Path:
    return home / "conf" / "neo4j.conf"


def _password_file(home: Path) -> Path:
    return home / "password"


def _pid_file(home: Path) -> Path:
    return home / "run" / "server.pid"


def _console_log(home: Path) -> Path:
    return home / "logs" / "console.log"


def _install_log(home: Path) -> Path:
    return home / "logs" / "install.log"


def _marker(home: Path) -> Path:
    return _lib(home) / f".policygraph-neo4j-{NEO4J_VERSION}"


# --------------------------------------------------------------------------
# tools


def _java_major(java: str) -> int | None:
    try:
        out = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2):  # "1.8.0_x"
        major = int(match.group(2))
    return major


def _java_candidates() -> list[str]:
    found: list[str] = []
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        found.append(str(Path(java_home) / "bin" / "java"))
    on_path = shutil.which("java")
    if on_path:
        found.append(on_path)
    jvm_dir = Path("/usr/lib/jvm")
    if jvm_dir.is_dir():
        found.extend(str(p) for p in sorted(jvm_dir.glob("*/bin/java")))
    unique: list[str] = []
    for cand in found:
        if cand not in unique and os.access(cand, os.X_OK):
            unique.append(cand)
    return unique


def find_java() -> str:
    """Return a java executable for Neo4j 5.26: Java 17 or 21 if there is one.

    Looks at $JAVA_HOME, then PATH, then /usr/lib/jvm/*. A newer Java (it
    runs, with warnings) is used only when no 17 or 21 is found.
    """
    newer: str | None = None
    others: list[str] = []
    for cand in _java_candidates():
        major = _java_major(cand)
        if major in SUPPORTED_JAVA:
            return cand
        if major is not None and major > max(SUPPORTED_JAVA) and newer is None:
            newer = cand
        elif major is not None:
            others.append(f"Java {major}")
    if newer:
        return newer
    if others:
        raise ServerError(
            f"Java 17 was not found (only {', '.join(others)}): "
            "install OpenJDK 17 and retry."
        )
    raise ServerError("Java 17 was not found: install OpenJDK 17 and retry.")


def _find_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise ServerError(
            "Maven was not found: install Maven 3 (apt-get install maven) and retry."
        )
    return mvn


# --------------------------------------------------------------------------
# configuration


def _write_conf(home: Path, bolt_port: int, http_port: int) -> None:
    try:
        template = string.Template(CONF_TEMPLATE.read_text(encoding="utf-8"))
    except OSError:
        raise ServerError(
            f"The Neo4j configuration template {CONF_TEMPLATE} could not be read."
        ) from None
    text = template.substitute(
        bolt_port=int(bolt_port),
        http_port=int(http_port),
        heap=HEAP,
        pagecache=PAGECACHE,
    )
    _conf_dir(home).mkdir(parents=True, exist_ok=True)
    _conf_file(home).write_text(text, encoding="utf-8")


def _conf_ports(home: Path) -> tuple[int, int]:
    """Bolt and HTTP ports from the written conf (defaults if there is none)."""
    bolt, http = DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT
    try:
        lines = _conf_file(home).read_text(encoding="utf-8").splitlines()
    except OSError:
        return bolt, http
    for line in lines:
        key, _, value = line.strip().partition("=")
        port = value.rpartition(":")[2].strip()
        if not port.isdigit():
            continue
        if key.strip() == "server.bolt.listen_address":
            bolt = int(port)
        elif key.strip() == "server.http.listen_address":
            http = int(port)
    return bolt, http


def _check_port(port: int) -> None:
    if not 0 < int(port) < 65536:
        raise ServerError(f"Port {port} is not a valid TCP port number.")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", int(port)))
        except OSError:
            raise ServerError(
                f"Port {port} on 127.0.0.1 is already in use: "
                "stop whatever uses it or choose another port."
            ) from None


# --------------------------------------------------------------------------
# processes


def _read_pid(home: Path) -> int | None:
    try:
        text = _pid_file(home).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _is_our_server(pid: int, home: Path) -> bool:
    """True if pid is a live (not zombie) Neo4j server of this home."""
    try:  # reap it if it is our own child that has exited
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    except ChildProcessError:
        pass
    except OSError:
        return False
    proc = Path("/proc") / str(pid)
    if Path("/proc/self").exists():
        try:
            stat = (proc / "stat").read_text()
            if stat.rpartition(")")[2].split()[0] in ("Z", "X"):
                return False
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            return False
        args = [a.decode(errors="replace") for a in cmdline]
        return MAIN_CLASS in args and f"--home-dir={home}" in args
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_gone(pid: int, home: Path, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _is_our_server(pid, home):
            return True
        time.sleep(0.2)
    return not _is_our_server(pid, home)


@contextlib.contextmanager
def _locked(home: Path):
    """Serialise install/start/stop of one home across processes."""
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + LOCK_TIMEOUT
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"Another process has been installing, starting or stopping "
                        f"Neo4j in {home} for too long: try again later."
                    ) from None
                time.sleep(0.5)
        yield
    finally:
        os.close(fd)  # releases the lock (children never inherit it)


# --------------------------------------------------------------------------
# public API


@_plain_errors
def read_password(home: Path | str = DEFAULT_HOME) -> str:
    """The neo4j user's password stored in home/password."""
    path = _password_file(_home(home))
    try:
        password = path.read_text(encoding="utf-8").strip()
    except OSError:
        raise ServerError(
            f"No Neo4j password was found at {path}: start the server once to create it."
        ) from None
    if not password:
        raise ServerError(f"The Neo4j password file {path} is empty.")
    return password


@_plain_errors
def status(home: Path | str = DEFAULT_HOME) -> ServerInfo:
    """Where the server of this home listens and whether its process is alive."""
    home = _home(home)
    bolt_port, http_port = _conf_ports(home)
    pid = _read_pid(home)
    running = pid is not None and _is_our_server(pid, home)
    return ServerInfo(
        home=home,
        bolt_uri=f"bolt://127.0.0.1:{bolt_port}",
        http_url=f"http://127.0.0.1:{http_port}",
        password_file=_password_file(home),
        pid=pid if running else None,
        running=running,
    )


def _fetch_jars(home: Path) -> None:
    if _marker(home).exists():
        return
    mvn = _find_maven()
    lib = _lib(home)
    partial = home / "lib.partial"
    shutil.rmtree(partial, ignore_errors=True)
    log = _install_log(home)
    log.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        mvn,
        "-q",
        "-B",
        "-Dstyle.color=never",
        "-f",
        str(POM),
        f"-Dmaven.repo.local={home / 'm2'}",
        f"-Dneo4j.lib.dir={partial}",
        "validate",
    ]
    try:
        with open(log, "w", encoding="utf-8") as out:
            out.write("$ " + " ".join(cmd) + "\n")
            out.flush()
            proc = subprocess.run(
                cmd,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                cwd=str(SERVER_DIR),
                timeout=MAVEN_TIMEOUT,
            )
    except subprocess.TimeoutExpired:
        raise ServerError(
            f"Fetching the Neo4j jars with Maven took over {MAVEN_TIMEOUT} s; see {log}."
        ) from None
    except OSError:
        raise ServerError(f"Maven could not be run; see {log}.") from None
    jars = list(partial.glob("*.jar")) if partial.is_dir() else []
    if proc.returncode != 0 or not jars:
        raise ServerError(
            f"Fetching the Neo4j jars with Maven failed; see {log}."
        )
    (partial / _marker(home).name).write_text(NEO4J_VERSION + "\n")
    shutil.rmtree(lib, ignore_errors=True)
    partial.rename(lib)


def _new_password() -> str:
    while True:
        password = secrets.token_urlsafe(24)
        if not password.startswith("-"):  # would read as an option
            return password


def _set_initial_password(home: Path, java: str) -> None:
    """Create home/password and hand it to neo4j-admin, before the first start."""
    pw_file = _password_file(home)
    system_db = home / "data" / "databases" / "system"
    if system_db.exists():
        if not pw_file.exists():
            raise ServerError(
                f"The Neo4j database in {home / 'data'} exists but its password file "
                f"{pw_file} is missing: delete {home / 'data'} to start afresh."
            )
        return
    if pw_file.exists():
        password = read_password(home)
        if (home / "data" / "dbms" / "auth.ini").exists():
            return  # already handed to neo4j-admin; read at the first start
    else:
        password = _new_password()
        fd = os.open(pw_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(password + "\n")
    os.chmod(pw_file, 0o600)
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(_conf_dir(home)))
    log = _install_log(home)
    cmd = [
        java,
        "-cp",
        str(_lib(home) / "*"),
        ADMIN_CLASS,
        "dbms",
        "set-initial-password",
        password,
    ]
    try:
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            env=env,
            cwd=str(home),
            stdin=subprocess.DEVNULL,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError):
        raise ServerError("neo4j-admin could not be run to set the password.") from None
    with open(log, "a", encoding="utf-8") as out:
        out.write("$ neo4j-admin dbms set-initial-password ***\n")
        out.write((proc.stdout + proc.stderr).replace(password, "***"))
    if proc.returncode != 0:
        raise ServerError(f"Setting the initial Neo4j password failed; see {log}.")


@_plain_errors
def install(home: Path | str = DEFAULT_HOME) -> ServerInfo:
    """Fetch the jars into home/lib (once), write the conf, set the password.

    Safe to call again: what is already there is kept. Writes the conf with
    the default ports only if there is no conf yet.
    """
    home = _home(home)
    with _locked(home):
        _install(home)
    return status(home)


def _install(home: Path) -> None:
    java = find_java()
    try:
        for sub in ("logs", "run", "data", "import", "plugins"):
            (home / sub).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ServerError(f"The directory {home} could not be created ({err.strerror}).") from None
    _fetch_jars(home)
    if not _conf_file(home).exists():
        _write_conf(home, DEFAULT_BOLT_PORT, DEFAULT_HTTP_PORT)
    _set_initial_password(home, java)


def _wait_for_bolt(
    proc: subprocess.Popen, uri: str, password: str, timeout: float, log: Path
) -> None:
    try:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, Neo4jError, DriverError
    except ImportError:
        raise ServerError(
            "The neo4j Python driver is not installed: pip install neo4j and retry."
        ) from None
    deadline = time.monotonic() + timeout
    while True:
        code = proc.poll()
        if code is not None:
            raise ServerError(
                f"Neo4j stopped during start-up with exit code {code}; see {log}."
            )
        try:
            with GraphDatabase.driver(
                uri,
                auth=(USER, password),
                connection_timeout=2.0,
            ) as driver:
                driver.verify_connectivity()
                driver.execute_query("RETURN 1")
            return
        except AuthError:
            raise ServerError(
                "Neo4j refused the stored password; "
                "delete the data folder of the server home to start afresh."
            ) from None
        except (DriverError, Neo4jError, OSError):
            pass
        if time.monotonic() >= deadline:
            raise ServerError(
                f"Neo4j did not start within {timeout:g} s; see {log}."
            )
        time.sleep(0.5)


@_plain_errors
def start(
    home: Path | str = DEFAULT_HOME,
    bolt_port: int = DEFAULT_BOLT_PORT,
    http_port: int = DEFAULT_HTTP_PORT,
    timeout: float = 120,
) -> ServerInfo:
    """Start the server in the background and wait until Bolt answers.

    Installs on first use. If the server of this home already runs, returns
    its info (it must be on the requested ports).
    """
    home = _home(home)
    with _locked(home):
        return _start(home, bolt_port, http_port, timeout)


def _start(home: Path, bolt_port: int, http_port: int, timeout: float) -> ServerInfo:
    current = status(home)
    if current.running:
        if current.bolt_uri.endswith(f":{bolt_port}") and current.http_url.endswith(
            f":{http_port}"
        ):
            return current
        raise ServerError(
            f"Neo4j already runs from {home} on other ports ({current.bolt_uri}): "
            "stop it first."
        )
    if int(bolt_port) == int(http_port):
        raise ServerError("The Bolt and HTTP ports must differ.")
    java = find_java()
    _check_port(bolt_port)
    _check_port(http_port)
    _install(home)
    _write_conf(home, bolt_port, http_port)
    password = read_password(home)

    log = _console_log(home)
    pid_file = _pid_file(home)
    pid_file.unlink(missing_ok=True)
    heap = HEAP
    cmd = [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        str(_lib(home) / "*"),
        MAIN_CLASS,
        f"--home-dir={home}",
        f"--config-dir={_conf_dir(home)}",
        "--console-mode",
    ]
    try:
        with open(log, "ab") as out:
            out.write(f"\n--- starting Neo4j {NEO4J_VERSION} at {time.ctime()} ---\n".encode())
            out.flush()
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=str(home),
                start_new_session=True,  # detached: survives the caller
                close_fds=True,
            )
    except OSError:
        raise ServerError(f"Java could not be run to start Neo4j; see {log}.") from None
    pid_file.write_text(f"{proc.pid}\n")

    bolt_uri = f"bolt://127.0.0.1:{bolt_port}"
    try:
        _wait_for_bolt(proc, bolt_uri, password, timeout, log)
    except BaseException:
        _terminate(proc.pid, home)
        pid_file.unlink(missing_ok=True)
        raise
    return ServerInfo(
        home=home,
        bolt_uri=bolt_uri,
        http_url=f"http://127.0.0.1:{http_port}",
        password_file=_password_file(home),
        pid=proc.pid,
        running=True,
    )


def _terminate(pid: int, home: Path, timeout: float = STOP_TIMEOUT) -> bool:
    """SIGTERM, wait, then SIGKILL. True if it stopped cleanly."""
    if not _is_our_server(pid, home):
        return True
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return True
    except PermissionError:
        raise ServerError(f"Not allowed to stop the Neo4j process {pid}.") from None
    if _wait_gone(pid, home, timeout):
        return True
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as err:
        if err.errno != errno.ESRCH:
            raise ServerError(f"The Neo4j process {pid} could not be killed.") from None
    _wait_gone(pid, home, 10)
    return False


@_plain_errors
def stop(home: Path | str = DEFAULT_HOME, timeout: float = STOP_TIMEOUT) -> ServerInfo:
    """Stop the server of this home (no-op if it is not running)."""
    home = _home(home)
    if not home.is_dir():
        return status(home)
    with _locked(home):
        pid = _read_pid(home)
        if pid is not None:
            _terminate(pid, home, timeout)
            if _is_our_server(pid, home):
                raise ServerError(f"The Neo4j process {pid} did not stop.")
            _pid_file(home).unlink(missing_ok=True)
    return status(home)
