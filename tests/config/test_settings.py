"""Start-up refuses a bad setting with one line naming the variable."""

import os
import subprocess
import sys

import pytest


def run_tierdesk(*args, env_overrides: dict[str, str], tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({"TIERDESK_DATA_DIR": str(tmp_path / "data")})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-m", "tierdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("variable", "value", "complaint"),
    [
        ("DEBUG", "maybe", "expected true or false"),
        ("TIME_ZONE", "Mars/Olympus", "unknown time zone"),
        ("LANGUAGE_CODE", "fr", "must be one of zh-hans, en"),
        ("DATABASE_URL", "mysql://root@localhost/tierdesk", "only postgres:// and sqlite:///"),
        ("DATABASE_URL", "not a url", "expected a URL like postgres://"),
        ("DATABASE_URL", "postgres://localhost:5432", "names no database"),
        ("ALLOWED_HOSTS", " , ", "comma-separated list"),
        ("EMAIL_PORT", "smtp", "expected a whole number"),
        ("EMAIL_PORT", "70000", "between 1 and 65535"),
        ("EMAIL_USE_TLS", "sometimes", "expected true or false"),
        ("LOG_LEVEL", "LOUD", "must be one of"),
        ("SECURE_COOKIES", "2", "expected true or false"),
    ],
)
def test_bad_setting_stops_start_up_with_one_line(variable, value, complaint, tmp_path):
    result = run_tierdesk("check", env_overrides={variable: value}, tmp_path=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"tierdesk: {variable}")
    assert complaint in lines[0]


def test_tls_and_ssl_together_are_refused(tmp_path):
    result = run_tierdesk(
        "check", env_overrides={"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert "set at most one of them" in result.stderr
    assert "Traceback" not in result.stderr


def test_unwritable_data_folder_is_named(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_tierdesk(
        "check", env_overrides={"TIERDESK_DATA_DIR": str(blocker / "data")}, tmp_path=tmp_path
    )
    assert result.returncode != 0
    assert result.stderr.startswith("tierdesk: TIERDESK_DATA_DIR: cannot use")


def test_embedded_default_is_sqlite_in_wal_mode_in_the_data_folder(tmp_path):
    migrate = run_tierdesk("migrate", "--no-input", env_overrides={}, tmp_path=tmp_path)
    assert migrate.returncode == 0, migrate.stderr
    probe = run_tierdesk(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(connection.vendor, c.fetchone()[0])",
        env_overrides={},
        tmp_path=tmp_path,
    )
    assert probe.stdout.splitlines()[-1].split() == ["sqlite", "wal"], probe.stderr
    assert (tmp_path / "data" / "tierdesk.sqlite3").exists()


def test_defaults_are_chinese_and_shanghai_time(settings):
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
