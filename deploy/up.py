"""Bring the deployment up from the files in deploy/ — the same lines systemd and nginx run.

    python deploy/up.py nginx-site [--config deploy/deploy.toml]   the nginx site for /etc/nginx/sites-available/mmnav
    python deploy/up.py units      [--config deploy/deploy.toml]   the systemctl commands for the N app processes
    python deploy/up.py trial      [--processes 2] [--https-port 8443]
        everything on this machine, loopback only, until Ctrl-C: a throwaway PostgreSQL cluster,
        the development OpenID provider (deploy/oidc-dev, test users alice/bob/rita/tom), N app
        processes started with the ExecStart of systemd/mmnav-app@.service, nginx with the
        rendered site and a self-signed certificate. Prints the URL.

The tests (tests/deploy) and the load run (bench/bench_load.py) use ``Trial`` from this module,
so nothing here is untested: the app processes run the unit's ExecStart (``%i`` = port,
``/opt/mmnav`` = this checkout, ``/etc/mmnav`` = the trial's run folder), nginx runs the rendered
site. Only the trial's own scaffolding (nginx's main file, the PostgreSQL cluster, the provider)
stands in for what Debian's packages and the hospital's identity provider give a real server.
"""

from __future__ import annotations

import argparse
import base64
import glob
import hashlib
import os
import pwd
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
UNIT = DEPLOY / "systemd" / "mmnav-app@.service"
SITE_TEMPLATE = DEPLOY / "nginx" / "mmnav.conf.in"
OIDC_DIR = DEPLOY / "oidc-dev"
INSTALL_DIR = "/opt/mmnav"  # where the unit expects the checkout
CONFIG_DIR = "/etc/mmnav"   # where the unit expects mmnav.env and secrets.toml


# -- configuration ---------------------------------------------------------------------------

@dataclass
class Config:
    processes: int = 2
    first_port: int = 8601
    server_name: str = "mmnav.hospital.example"
    listen: str = "0.0.0.0"
    https_port: int = 443
    http_port: int = 80
    tls_certificate: str = f"{CONFIG_DIR}/tls/mmnav.crt"
    tls_certificate_key: str = f"{CONFIG_DIR}/tls/mmnav.key"

    @property
    def app_ports(self) -> list[int]:
        return [self.first_port + i for i in range(self.processes)]


def load_config(path: Path | str = DEPLOY / "deploy.toml", **overrides: Any) -> Config:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    app, proxy = data.get("app", {}), data.get("proxy", {})
    config = Config(**{**app, **proxy})
    for key, value in overrides.items():
        if value is not None:
            setattr(config, key, value)
    if not 1 <= config.processes <= 64:
        raise ValueError(f"app.processes: expected 1 … 64 (got {config.processes})")
    return config


# -- systemd unit: the command line and environment of one app process -----------------------

def unit_service(unit_text: str) -> dict[str, list[str]]:
    """The [Service] section of a unit file as key -> values (a key may repeat)."""
    section, values = None, {}
    for raw in unit_text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        if section == "Service" and "=" in line:
            key, value = line.split("=", 1)
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def _substitute(text: str, instance: str, paths: dict[str, str]) -> str:
    text = text.replace("%i", instance).replace("%%", "%")
    for old, new in paths.items():
        text = text.replace(old, new)
    return text


def read_env_file(path: Path) -> dict[str, str]:
    env = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", ";")) and "=" in line:
            key, value = line.split("=", 1)
            env[key.strip()] = value.strip().strip('"')
    return env


@dataclass
class Command:
    argv: list[str]
    cwd: str
    env: dict[str, str]


def app_command(instance: str, paths: dict[str, str], unit: Path = UNIT) -> Command:
    """The ExecStart, WorkingDirectory and environment the unit declares for this instance."""
    service = unit_service(unit.read_text(encoding="utf-8"))
    (exec_start,) = service["ExecStart"]
    argv = shlex.split(_substitute(exec_start, instance, paths))
    cwd = _substitute(service.get("WorkingDirectory", ["/"])[0], instance, paths)
    env: dict[str, str] = {}
    for file in service.get("EnvironmentFile", []):
        env.update(read_env_file(Path(_substitute(file.lstrip("-"), instance, paths))))
    for assignment in service.get("Environment", []):
        for item in shlex.split(assignment):
            key, value = item.split("=", 1)
            env[key] = _substitute(value, instance, paths)
    return Command(argv, cwd, env)


# -- nginx -----------------------------------------------------------------------------------

def inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts of the installed Streamlit's index.html."""
    import streamlit

    html = (Path(streamlit.__file__).parent / "static" / "index.html").read_text(encoding="utf-8")
    bodies = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'" for body in bodies]


def content_security_policy() -> str:
    from ui.page_script import csp_hash  # the app's own one inline script (constant text)

    scripts = " ".join(["'self'", *inline_script_hashes(), csp_hash()])
    return ("default-src 'self'; "
            f"script-src {scripts}; "
            "style-src 'self' 'unsafe-inline'; "  # Streamlit's emotion styles are inline
            "img-src 'self' data: blob:; font-src 'self' data:; "
            "connect-src 'self'; worker-src 'self' blob:; frame-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


def nginx_binary() -> str | None:
    """The nginx executable (Debian installs it in /usr/sbin, which a user's PATH may lack), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def render_nginx_site(config: Config) -> str:
    servers = "\n".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in config.app_ports)
    redirect = ""
    port_suffix = "" if config.https_port == 443 else f":{config.https_port}"
    if config.http_port:
        redirect = ("server {\n"
                    f"    listen {config.listen}:{config.http_port};\n"
                    f"    server_name {config.server_name};\n"
                    "    server_tokens off;\n"
                    f"    return 301 https://$host{port_suffix}$request_uri;\n"
                    "}")
    fields = {
        "UPSTREAM_SERVERS": servers, "HTTP_REDIRECT_SERVER": redirect, "LISTEN": config.listen,
        "HTTPS_PORT": str(config.https_port), "SERVER_NAME": config.server_name,
        "TLS_CERTIFICATE": config.tls_certificate, "TLS_CERTIFICATE_KEY": config.tls_certificate_key,
        "CSP": content_security_policy(),
    }
    text = SITE_TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace("{{" + name + "}}", value)
    leftover = re.findall(r"\{\{[A-Z_]+\}\}", text)
    if leftover:
        raise ValueError(f"unfilled fields in {SITE_TEMPLATE.name}: {leftover}")
    return text


def trial_nginx_main(run: Path, site: Path) -> str:
    """nginx's main file for a trial (Debian's /etc/nginx/nginx.conf plays this part on a server)."""
    temp = run / "nginx-temp"
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    return (f"{user}worker_processes 1;\npid {run}/nginx.pid;\nerror_log {run}/nginx-error.log warn;\n"
            "daemon off;\nevents { worker_connections 1024; }\n"
            "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            "    log_format mmnav '$remote_addr \"$request\" $status upstream=$upstream_addr route=$cookie_mmnav_route';\n"
            f"    access_log {run}/nginx-access.log mmnav;\n"
            f"    client_body_temp_path {temp}/body;\n    proxy_temp_path {temp}/proxy;\n"
            f"    fastcgi_temp_path {temp}/fastcgi;\n    uwsgi_temp_path {temp}/uwsgi;\n    scgi_temp_path {temp}/scgi;\n"
            f"    include {site};\n}}\n")


def self_signed_certificate(folder: Path, names: tuple[str, ...] = ("localhost",)) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    cert, key = folder / "mmnav.crt", folder / "mmnav.key"
    san = ",".join(["IP:127.0.0.1", *(f"DNS:{n}" for n in names)])
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj",
                    f"/CN={names[0]}", "-addext", f"subjectAltName={san}", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    key.chmod(0o600)
    return cert, key


# -- helpers ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Watched:
    """A child process whose output goes to a log file; ``wait_for`` waits for a line."""

    def __init__(self, name: str, argv: list[str], log: Path, *, cwd: str | Path = ROOT,
                 env: dict[str, str] | None = None) -> None:
        self.name, self.log, self.argv = name, log, argv
        self.process = subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, start_new_session=True)
        self._lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        with self.log.open("a", encoding="utf-8") as out:
            for line in self.process.stdout:
                out.write(line)
                out.flush()
                with self._changed:
                    self._lines.append(line)
                    self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        seen = 0
        with self._changed:
            while True:
                for line in self._lines[seen:]:
                    match = re.search(pattern, line)
                    if match:
                        return match
                seen = len(self._lines)
                if not self._reader.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} did not print /{pattern}/:\n" + "".join(self._lines[-40:]))
                self._changed.wait(timeout=max(0.0, deadline - time.monotonic()))

    def output(self) -> str:
        with self._changed:
            return "".join(self._lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def https_get_with_cookie(url: str, cookie: str | None) -> tuple[int, Any, bytes]:
    return https_get(url, headers={"Cookie": cookie} if cookie else None)


def _pg_bindir() -> Path | None:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(candidate) / "initdb").exists():
            return Path(candidate)
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def _as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def https_get(url: str, timeout: float = 5, headers: dict[str, str] | None = None) -> tuple[int, Any, bytes]:
    """GET through the trial's TLS (self-signed: not verified); never follows redirects.
    Returns (status, the response's header message — ``items()`` keeps repeated headers, body)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# -- the trial: everything on loopback -------------------------------------------------------

@dataclass
class Trial:
    processes: int = 2
    https_port: int = 0           # 0 = a free port
    http_port: int = 0            # 0 = a free port; -1 = no plain-http listener
    sign_in: bool = True          # start the development OpenID provider and require sign-in
    run_dir: Path | None = None
    config_file: Path = DEPLOY / "deploy.toml"
    apps: list[Watched] = field(default_factory=list)
    others: list[Watched] = field(default_factory=list)
    config: Config | None = None
    database_url: str = ""
    oidc_issuer: str = ""
    keep_run_dir: bool = False    # keep the logs and the database after stop (the CLI trial does)
    _pg: tuple[Path, Path] | None = None
    _made_run_dir: bool = False

    @property
    def url(self) -> str:
        assert self.config is not None
        return f"https://127.0.0.1:{self.config.https_port}"

    def app_command(self, port: int) -> Command:
        assert self.run_dir is not None
        return app_command(str(port), {INSTALL_DIR: str(ROOT), CONFIG_DIR: str(self.run_dir)})

    def start(self) -> Trial:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        self._made_run_dir = self.run_dir is None
        self.run_dir = Path(self.run_dir or tempfile.mkdtemp(prefix="mmnav-trial-"))
        run = self.run_dir
        run.chmod(0o755)
        https_port = self.https_port or free_port()
        http_port = 0 if self.http_port < 0 else (self.http_port or free_port())
        taken = {https_port, http_port}
        first_port = free_port()
        while any(first_port + i in taken or not _bindable(first_port + i) for i in range(self.processes)):
            first_port = free_port()
        cert, key = self_signed_certificate(run / "tls")
        self.config = load_config(self.config_file, processes=self.processes, first_port=first_port,
                                  server_name="localhost", listen="127.0.0.1", https_port=https_port,
                                  http_port=http_port, tls_certificate=str(cert), tls_certificate_key=str(key))
        self.database_url = self._start_postgres()
        secrets_lines = []
        if self.sign_in:
            client_secret = secrets.token_urlsafe(32)
            redirect = f"{self.url}/oauth2callback"
            env = {**os.environ, "OIDC_PORT": "0", "OIDC_CLIENT_ID": "mmnav", "OIDC_CLIENT_SECRET": client_secret,
                   "OIDC_REDIRECT_URIS": redirect}
            ensure_oidc_modules()
            oidc = Watched("oidc-dev", ["node", "server.mjs"], run / "oidc.log", cwd=OIDC_DIR, env=env)
            self.others.append(oidc)
            self.oidc_issuer = oidc.wait_for(r"oidc-dev issuer (\S+)").group(1)
            secrets_lines = [
                "[auth]", f'redirect_uri = "{redirect}"', f'cookie_secret = "{secrets.token_urlsafe(48)}"',
                'client_id = "mmnav"', f'client_secret = "{client_secret}"',
                f'server_metadata_url = "{self.oidc_issuer}/.well-known/openid-configuration"',
                'client_kwargs = { scope = "openid email profile mmrn", prompt = "login" }',
            ]
        (run / "secrets.toml").write_text("\n".join(secrets_lines) + "\n", encoding="utf-8")
        (run / "mmnav.env").write_text(
            f"MMNAV_DATABASE_URL={self.database_url}\nMMNAV_DATA_DIR={run / 'data'}\n"
            + ("MMNAV_SHARED=1\n" if self.sign_in else ""), encoding="utf-8")
        (run / "secrets.toml").chmod(0o600)
        for port in self.config.app_ports:
            self.start_app(port, wait=False)
        for app in self.apps:
            app.wait_for(rf"127\.0\.0\.1:{app.name.split('@')[1]}\b", timeout=90)
        site = run / "mmnav.conf"
        site.write_text(render_nginx_site(self.config), encoding="utf-8")
        (run / "nginx-temp").mkdir(exist_ok=True)
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(run / "nginx-temp", nobody.pw_uid, nobody.pw_gid)
        main = run / "nginx.conf"
        main.write_text(trial_nginx_main(run, site), encoding="utf-8")
        nginx = nginx_binary() or "nginx"
        checked = subprocess.run([nginx, "-t", "-q", "-c", str(main), "-p", str(run)], capture_output=True, text=True)
        if checked.returncode != 0:
            raise RuntimeError(f"nginx -t failed: {checked.stderr}")
        self.others.append(Watched("nginx", [nginx, "-c", str(main), "-p", str(run)], run / "nginx.out"))
        self.wait_healthy()

    def start_app(self, port: int, *, wait: bool = True) -> Watched:
        command = self.app_command(port)
        app = Watched(f"app@{port}", command.argv, self.run_dir / f"app-{port}.log", cwd=command.cwd,
                      env={**os.environ, **command.env})
        self.apps = [a for a in self.apps if not a.name == app.name] + [app]
        if wait:
            app.wait_for(rf"127\.0\.0\.1:{port}\b", timeout=90)
        return app

    def app_for_route(self, route: str) -> Watched:
        """The app process nginx sent the browser with this route cookie to (from the access log)."""
        log = (self.run_dir / "nginx-access.log").read_text(encoding="utf-8")
        found = re.findall(rf"upstream=127\.0\.0\.1:(\d+) route={re.escape(route)}$", log, flags=re.M)
        if not found:
            raise LookupError(f"no request with route {route} in the access log")
        return next(app for app in self.apps if app.name == f"app@{found[-1]}")

    def wait_healthy(self, timeout: float = 30) -> None:
        """Wait until nginx answers /_stcore/health with 200 (bounded)."""
        deadline = time.monotonic() + timeout
        last: object = None
        while time.monotonic() < deadline:
            try:
                status, _, body = https_get(f"{self.url}/_stcore/health", timeout=2)
                if status == 200:
                    return
                last = (status, body[:200])
            except OSError as error:
                last = error
            time.sleep(0.1)
        raise RuntimeError(f"nginx health check failed: {last}")

    def _start_postgres(self) -> str:
        bindir = _pg_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is not installed (scripts/install-postgres.sh)")
        base = self.run_dir / "pg"
        data, sock = base / "data", base / "sock"
        sock.mkdir(parents=True)
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            for path in (base, sock):
                os.chown(path, postgres.pw_uid, postgres.pw_gid)
        run = lambda argv: subprocess.run(_as_postgres(argv), check=True, capture_output=True, text=True)  # noqa: E731
        run([str(bindir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"])
        port = str(free_port())
        options = f"-c listen_addresses='' -c unix_socket_directories='{sock}' -c port={port}"
        run([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"), "-w", "start"])
        self._pg = (bindir, data)
        run([str(bindir / "createdb"), "-h", str(sock), "-p", port, "-U", "postgres", "mmnav"])
        url = f"postgresql+psycopg://postgres@/mmnav?host={sock}&port={port}"
        # Create the schema once, before N processes race to create it.
        subprocess.run([sys.executable, "-c", "import sys; from casestore import CaseStore; "
                        "CaseStore.open(sys.argv[1]).close()", url], cwd=ROOT, check=True)
        return url

    def stop(self) -> None:
        for proc in reversed(self.others):
            proc.stop()
        for app in self.apps:
            app.stop()
        if self._pg is not None:
            bindir, data = self._pg
            subprocess.run(_as_postgres([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                           capture_output=True)
            self._pg = None
        if self._made_run_dir and not self.keep_run_dir and self.run_dir is not None:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Trial:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _bindable(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def ensure_oidc_modules() -> None:
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=OIDC_DIR, check=True)


# -- command line ----------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Myeloma Relapse Navigator deployment (see deploy/README.md)")
    parser.add_argument("command", choices=("nginx-site", "units", "trial"))
    parser.add_argument("--config", default=str(DEPLOY / "deploy.toml"))
    parser.add_argument("--processes", type=int, default=2, help="trial: number of app processes")
    parser.add_argument("--https-port", type=int, default=8443, help="trial: nginx's https port on 127.0.0.1")
    parser.add_argument("--no-sign-in", action="store_true", help="trial: no OpenID provider, no sign-in")
    args = parser.parse_args(argv)
    if args.command == "nginx-site":
        print(render_nginx_site(load_config(args.config)))
        return 0
    if args.command == "units":
        config = load_config(args.config)
        ports = " ".join(f"mmnav-app@{port}" for port in config.app_ports)
        print(f"systemctl enable --now {ports} mmnav.target")
        return 0
    trial = Trial(processes=args.processes, https_port=args.https_port, sign_in=not args.no_sign_in,
                  config_file=Path(args.config), keep_run_dir=True)
    with trial:
        print(f"Myeloma Relapse Navigator: {trial.url}  (self-signed certificate; run folder {trial.run_dir})")
        if trial.sign_in:
            print("test users (deploy/oidc-dev/users.json): alice / alice-dev-pw (clinician, team A), "
                  "bob (clinician, B), rita (reviewer, A), tom (teacher)")
        print("Ctrl-C stops everything.")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
