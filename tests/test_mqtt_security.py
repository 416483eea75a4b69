"""Username + password file and TLS against a real Mosquitto configured for them."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from conftest import write_config
from mqtt_helpers import Mosquitto, Recorder, free_port, wait_port

from homebrain.config.loader import load_config
from homebrain.daemon import Daemon


def secured_broker(tmp_path: Path, extra: str) -> subprocess.Popen[bytes]:
    conf = tmp_path / "secure.conf"
    # as root, mosquitto would drop to its own user, who cannot read pytest's 0700 tmp dirs
    conf.write_text(("user root\n" if os.geteuid() == 0 else "") + extra)
    return subprocess.Popen(["mosquitto", "-c", str(conf)], stderr=subprocess.DEVNULL)


def endpoint(port: int) -> Mosquitto:
    """Host and port of a broker started here with its own config (write_config reads them)."""
    broker = Mosquitto.__new__(Mosquitto)
    broker.host, broker.port = "127.0.0.1", port
    return broker


def assert_refused(config: Path) -> None:
    """The daemon starts, is refused by the broker, never counts as connected, stops cleanly."""
    daemon = Daemon(load_config(config))
    daemon.start()
    try:
        assert not daemon.link.wait_connected(2)
    finally:
        daemon.stop()


def passwords(tmp_path: Path) -> Path:
    file = tmp_path / "passwd"
    subprocess.run(["mosquitto_passwd", "-c", "-b", str(file), "homebrain", "s3cret"], check=True)
    return file


def test_password_file_login(tmp_path: Path) -> None:
    port = free_port()
    proc = secured_broker(
        tmp_path,
        f"listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {passwords(tmp_path)}\n",
    )
    try:
        wait_port(port, up=True)
        (tmp_path / "pw").write_text("s3cret\n")
        broker = endpoint(port)
        config = write_config(tmp_path, broker, username="homebrain", password_file="pw")
        daemon = Daemon(load_config(config))
        daemon.start()
        try:
            assert daemon.link.wait_connected(10)
            result = daemon.handle_payload("kitchen", b"turn on the kitchen light")
            assert result.commands
            assert daemon.link.wait_outbox_empty(5)
        finally:
            daemon.stop()

        # a wrong password: refused, logged, never "connected"
        (tmp_path / "pw").write_text("wrong\n")
        assert_refused(config)
    finally:
        proc.terminate()
        proc.wait(5)


def make_certs(tmp_path: Path) -> tuple[Path, Path, Path]:
    ca_key, ca_crt = tmp_path / "ca.key", tmp_path / "ca.crt"
    key, csr, crt = tmp_path / "server.key", tmp_path / "server.csr", tmp_path / "server.crt"

    def ssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    ssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(ca_key),
        "-out",
        str(ca_crt),
        "-days",
        "2",
        "-subj",
        "/CN=homebrain test CA",
    )
    ssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        str(key),
        "-out",
        str(csr),
        "-subj",
        "/CN=localhost",
    )
    ext = tmp_path / "ext.cnf"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    ssl(
        "x509",
        "-req",
        "-in",
        str(csr),
        "-CA",
        str(ca_crt),
        "-CAkey",
        str(ca_key),
        "-CAcreateserial",
        "-out",
        str(crt),
        "-days",
        "2",
        "-extfile",
        str(ext),
    )
    return ca_crt, crt, key


def test_tls_with_ca_verification(tmp_path: Path) -> None:
    ca, crt, key = make_certs(tmp_path)
    port = free_port()
    proc = secured_broker(
        tmp_path,
        f"listener {port} 127.0.0.1\nallow_anonymous true\n"
        f"cafile {ca}\ncertfile {crt}\nkeyfile {key}\n",
    )
    try:
        wait_port(port, up=True)
        broker = endpoint(port)
        config = write_config(tmp_path, broker, tls={"ca_file": str(ca)})
        daemon = Daemon(load_config(config))
        daemon.start()
        try:
            assert daemon.link.wait_connected(10)
            daemon.handle_payload("kitchen", b"turn on the kitchen light")
            assert daemon.link.wait_outbox_empty(5)  # acknowledged over TLS
        finally:
            daemon.stop()

        # a CA that did not sign the server: the connection is refused
        other_dir = tmp_path / "other"
        other_dir.mkdir()
        other_ca, _, _ = make_certs(other_dir)
        config = write_config(tmp_path, broker, tls={"ca_file": str(other_ca)})
        assert_refused(config)
    finally:
        proc.terminate()
        proc.wait(5)


def test_recorder_cannot_read_without_login(tmp_path: Path) -> None:
    """Sanity check that the secured broker really refuses anonymous clients."""
    port = free_port()
    proc = secured_broker(
        tmp_path,
        f"listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {passwords(tmp_path)}\n",
    )
    try:
        wait_port(port, up=True)
        try:
            Recorder("127.0.0.1", port)
        except TimeoutError:
            pass
        else:
            raise AssertionError("anonymous client was let in")
    finally:
        proc.terminate()
        proc.wait(5)
