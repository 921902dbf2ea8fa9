"""Settings come from the environment; production refuses insecure defaults."""

import pytest

from tests.commands import run_manage


def run_check(**env):
    return run_manage("check", env=env)


def test_production_mode_without_a_secret_key_refuses_to_start():
    result = run_check(DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_mode_refuses_a_weak_secret_key():
    result = run_check(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="short", DJANGO_ALLOWED_HOSTS="example.com"
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_mode_needs_allowed_hosts():
    result = run_check(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_mode_starts_with_a_key_and_hosts():
    result = run_check(
        DJANGO_DEBUG="0", DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS="example.com"
    )
    assert result.returncode == 0, result.stderr


def test_development_mode_needs_nothing_else():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_a_debug_value_that_is_not_a_boolean_is_an_error():
    result = run_check(DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "is not a boolean" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://postgres@127.0.0.1:5432/test", "django.db.backends.postgresql"),
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_url_selects_the_engine(url, engine):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = run_manage(
        "shell", "--no-imports", "-c", code, env={"DJANGO_DEBUG": "1", "DATABASE_URL": url}
    )
    assert result.stdout.strip() == engine, result.stderr


def test_images_in_a_bucket_need_its_name():
    result = run_check(DJANGO_DEBUG="1", DJANGO_MEDIA_STORAGE="s3")
    assert result.returncode != 0
    assert "DJANGO_MEDIA_STORAGE=s3 needs DJANGO_MEDIA_BUCKET" in result.stderr


def test_an_unknown_image_storage_is_refused():
    result = run_check(DJANGO_DEBUG="1", DJANGO_MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "use 'filesystem' (the default) or 's3'" in result.stderr


def test_images_from_their_own_host_are_allowed_by_the_content_security_policy():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_CSP['img-src'])",
        env={
            "DJANGO_DEBUG": "1",
            "DJANGO_MEDIA_URL": "https://media.example.com/",
            "DJANGO_MEDIA_STORAGE": "s3",
            "DJANGO_MEDIA_BUCKET": "harness-media",
        },
    )
    assert result.returncode == 0, result.stderr
    assert "https://media.example.com" in result.stdout


def test_production_mail_to_another_host_must_be_encrypted():
    base = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "a.b"}
    result = run_check(**base, DJANGO_EMAIL_HOST="smtp.example.com", DJANGO_EMAIL_USE_TLS="0")
    assert result.returncode != 0
    assert "would travel unencrypted" in result.stderr
    result = run_check(**base, DJANGO_EMAIL_HOST="smtp.example.com")
    assert result.returncode == 0, result.stderr


def test_webhooks_without_a_signing_secret_refuse_to_start_in_production():
    env = {"DJANGO_SECRET_KEY": "Kq" * 30, "DJANGO_ALLOWED_HOSTS": "example.com"}
    result = run_check(DJANGO_DEBUG="0", CHANGE_WEBHOOK_URLS="https://hooks.example/a", **env)
    assert result.returncode != 0
    assert "CHANGE_WEBHOOK_SECRET" in result.stderr
    signed = run_check(
        DJANGO_DEBUG="0",
        CHANGE_WEBHOOK_URLS="https://hooks.example/a",
        CHANGE_WEBHOOK_SECRET="x" * 40,
        **env,
    )
    assert "CHANGE_WEBHOOK_SECRET" not in signed.stderr


@pytest.mark.parametrize(
    "name, value", [("INDEXNOW_KEY", "bad key!"), ("CHANGE_WEBHOOK_URLS", "ftp://x.example/")]
)
def test_a_malformed_notification_setting_refuses_to_start(name, value):
    result = run_check(DJANGO_DEBUG="1", **{name: value})
    assert result.returncode != 0
    assert name in result.stderr
