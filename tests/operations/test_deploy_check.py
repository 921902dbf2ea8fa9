"""Production mode passes Django's deployment checklist with nothing left to warn about."""

import secrets

from tests.commands import run_manage


def production(**env):
    return {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "cms.example.com",
        **env,
    }


def deploy_check(**env):
    return run_manage("check", "--deploy", "--fail-level", "WARNING", env=production(**env))


def test_production_mode_passes_the_deploy_check_with_no_warning():
    result = deploy_check()
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_behind_a_tls_proxy_that_redirects_itself_the_deploy_check_still_passes():
    result = deploy_check(DJANGO_SECURE_PROXY_SSL_HEADER="1", DJANGO_SECURE_SSL_REDIRECT="0")
    assert result.returncode == 0, result.stderr


def test_turning_hsts_off_is_reported():
    result = deploy_check(DJANGO_SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_every_silenced_check_has_a_written_reason():
    code = (
        "from django.conf import settings as s; "
        "print(sorted(s.SILENCED_SYSTEM_CHECKS)); "
        "print(all(len(r) > 40 for r in s.SILENCED_SYSTEM_CHECKS_WITH_REASONS.values())); "
        "print(sorted(s.SILENCED_SYSTEM_CHECKS) == sorted(s.SILENCED_SYSTEM_CHECKS_WITH_REASONS))"
    )
    result = run_manage("shell", "--no-imports", "-c", code, env=production())
    assert result.stdout.splitlines()[1:] == ["True", "True"], result.stderr
