"""The production login throttle, minus one refusal that only tests meet.

``Client.login()`` authenticates without a request; django-axes refuses that outright. Every
login over HTTP carries a request and is throttled exactly as in production.
"""

from axes.backends import AxesStandaloneBackend


class ThrottleUnlessNoRequest(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
