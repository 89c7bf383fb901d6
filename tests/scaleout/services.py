"""Real Redis and nginx processes for the scale-out tests and benchmarks, on free loopback ports,
with every file in a temporary folder. nginx runs the config shipped in deploy/nginx.conf."""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from tests.live_server import ROOT, free_port

NGINX_SITE = ROOT / "deploy" / "nginx.conf"


def _wait_for_port(port: int, process: subprocess.Popen, what: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on {port} in time")


def _end(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class RedisServer:
    """redis-server on a free port, nothing written to disk."""

    def __init__(self, folder: Path):
        self.folder, self.port = folder, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> RedisServer:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.folder), "--maxclients", "1000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, self.process, "redis-server", 10)
        return self

    def stop(self) -> None:
        _end(self.process)

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(found):
        raise RuntimeError("nginx is not installed (Debian package nginx-light)")
    return found


def render_site(backends: list[int], port: int, folder: Path,
                per_address: int | None = None) -> str:
    """deploy/nginx.conf with this run's ports and log folder; nothing else changes, except the
    connections allowed per address when a benchmark, all on 127.0.0.1, asks for more."""
    site = NGINX_SITE.read_text()
    lines, replaced = [], False
    for line in site.splitlines():
        stripped = line.strip()
        if stripped.startswith("server 127.0.0.1:"):
            if not replaced:
                lines += [f"    server 127.0.0.1:{p} max_fails=0;" for p in backends]
                replaced = True
            continue
        lines.append(line)
    site = "\n".join(lines)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    if per_address is not None:
        site = re.sub(r"limit_conn caravane_addresses \d+;",
                      f"limit_conn caravane_addresses {per_address};", site)
    return site.replace("/var/log/nginx/", f"{folder}/")


class Nginx:
    """nginx in the foreground with the shipped site config, in front of `backends`."""

    def __init__(self, folder: Path, backends: list[int], connections: int = 1024,
                 per_address: int | None = None):
        self.folder, self.backends, self.port = folder, backends, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.connections, self.per_address = connections, per_address
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "caravane.conf").write_text(
            render_site(self.backends, self.port, self.folder, self.per_address))
        files = min(2 * self.connections + 64, resource.getrlimit(resource.RLIMIT_NOFILE)[1])
        main = self.folder / "nginx.conf"
        main.write_text(
            "worker_processes 1;\n"
            f"worker_rlimit_nofile {files};\n"
            f"error_log {self.folder}/error.log warn;\n"
            f"events {{ worker_connections {2 * self.connections + 32}; }}\n"
            "http {\n"
            "  access_log off;\n"
            f"  client_body_temp_path {self.folder}/body;\n"
            f"  proxy_temp_path {self.folder}/proxy;\n"
            f"  fastcgi_temp_path {self.folder}/fastcgi;\n"
            f"  uwsgi_temp_path {self.folder}/uwsgi;\n"
            f"  scgi_temp_path {self.folder}/scgi;\n"
            f"  include {self.folder}/caravane.conf;\n"
            "}\n"
        )
        self.process = subprocess.Popen(
            [nginx_binary(), "-p", str(self.folder), "-c", str(main),
             "-g", f"daemon off; pid {self.folder}/nginx.pid;"],
            stdout=subprocess.DEVNULL, stderr=open(self.folder / "stderr.log", "ab"),  # noqa: SIM115
        )
        _wait_for_port(self.port, self.process, "nginx", 10)
        return self

    def stop(self) -> None:
        _end(self.process)

    def __enter__(self) -> Nginx:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()
