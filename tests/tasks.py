"""A task the tests enqueue: it records that it ran, where the test can read it back."""

from django.core.cache import cache
from django.tasks import task


@task
def remember(key, value):
    cache.set(key, value, timeout=60)
    return value
