"""A real Dovecot IMAP server on a free loopback port, for the fetching tests.

Dovecot refuses to give mail access to root and runs its login processes unprivileged. As root
(CI containers) the mail store therefore belongs to the `dovecot` system user and lives in its own
temporary directory, since pytest's tmp_path is private to root; as anyone else, every Dovecot
process runs as the current user and everything stays under tmp_path.
"""

import getpass
import imaplib
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tierdesk.mailin.fetching import ImapAccount

USER = "support"
PASSWORD = "mail-in-test"
START_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _identity(tmp_path: Path) -> tuple[str, str, int, int, Path]:
    """(login user, internal user, mail uid, mail gid, mail home root)."""
    if os.geteuid() != 0:
        me = getpass.getuser()
        return me, me, os.getuid(), os.getgid(), tmp_path / "mail"
    mail_owner = pwd.getpwnam("dovecot")
    home = Path(tempfile.mkdtemp(prefix="tierdesk-dovecot-"))
    os.chown(home, mail_owner.pw_uid, mail_owner.pw_gid)
    return "dovenull", "dovecot", mail_owner.pw_uid, mail_owner.pw_gid, home


def _certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, which the tests trust as their own CA."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    command = shlex.split(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1"
        " -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1"
    )
    subprocess.run([*command, "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def _config(
    tmp_path: Path, ports: dict, login_user, internal_user, uid, gid, home, run_dir: Path
) -> str:
    as_root = os.geteuid() == 0
    # Without root, nothing can chroot; with root, the auth process must read the passwd-file
    # in root's private tmp_path.
    services = (
        "service auth {\n  user = root\n}\n"
        if as_root
        else "service anvil {\n  chroot =\n}\nservice imap-login {\n  chroot =\n}\n"
    )
    return f"""
base_dir = {run_dir}
state_dir = {tmp_path}/state
log_path = {tmp_path}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{tmp_path}/cert.pem
ssl_key = <{tmp_path}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
default_login_user = {login_user}
default_internal_user = {internal_user}
first_valid_uid = {uid}
mail_location = maildir:~/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {tmp_path}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={home}/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {ports["none"]}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {ports["ssl"]}
  }}
}}
{services}"""


@dataclass
class Dovecot:
    ports: dict[str, int]  # by TLS mode: "none" and "starttls" share the plain port
    certificate: Path
    process: subprocess.Popen
    log: Path

    @property
    def port(self) -> int:
        return self.ports["none"]

    @property
    def account(self) -> ImapAccount:
        return self.account_over("none")

    def account_over(self, tls: str) -> ImapAccount:
        return ImapAccount(
            host="127.0.0.1",
            port=self.ports[tls],
            user=USER,
            password=PASSWORD,
            tls=tls,
            ca_file=str(self.certificate),
        )

    def client(self) -> imaplib.IMAP4:
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(USER, PASSWORD)
        return connection

    def deliver(self, raw: bytes) -> None:
        """Put a mail into the INBOX the way a mail client would: IMAP APPEND, unread."""
        connection = self.client()
        try:
            status, data = connection.append("INBOX", None, None, raw)
            assert status == "OK", data
        finally:
            connection.logout()

    def flags(self) -> list[str]:
        """The flags of every mail in the INBOX, in order."""
        connection = self.client()
        try:
            connection.select("INBOX", readonly=True)
            _, data = connection.uid("FETCH", "1:*", "(FLAGS)")
            return [item.decode() for item in data if item]
        finally:
            connection.logout()


def _wait_for_port(port: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as connection:
                if connection.recv(64).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.05)  # the next probe, not a guess at how long startup takes
    raise RuntimeError(
        f"dovecot did not listen on {port}: {log.read_text() if log.exists() else ''}"
    )


def start(tmp_path: Path):
    """Start Dovecot; yields the running server and stops it (and removes its mail) afterwards."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    if not Path(binary).exists():
        raise RuntimeError("dovecot is not installed: apt-get install dovecot-imapd")
    tmp_path.mkdir(parents=True, exist_ok=True)
    login_user, internal_user, uid, gid, home = _identity(tmp_path)
    # Unix socket paths hold at most 107 bytes: pytest's tmp_path (longer still under xdist)
    # does not leave room for Dovecot's sockets.
    run_dir = Path(tempfile.mkdtemp(prefix="dc-"))
    try:
        plain_port, ssl_port = free_port(), free_port()
        ports = {"none": plain_port, "starttls": plain_port, "ssl": ssl_port}
        certificate, _ = _certificate(tmp_path)
        (tmp_path / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        config = tmp_path / "dovecot.conf"
        config.write_text(
            _config(tmp_path, ports, login_user, internal_user, uid, gid, home, run_dir)
        )
        log = tmp_path / "dovecot.log"
        process = subprocess.Popen(
            [binary, "-F", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            _wait_for_port(plain_port, process, log)
            yield Dovecot(ports=ports, certificate=certificate, process=process, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        shutil.rmtree(run_dir, ignore_errors=True)
        if not home.is_relative_to(tmp_path):
            shutil.rmtree(home, ignore_errors=True)
