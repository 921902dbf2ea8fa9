"""Gunicorn settings of the Wagtail site: those of harness_cms/gunicorn_conf.py (the product's
benchmark server), with this site's application. serve.py passes --workers, --bind, --timeout."""

workers = 2
preload_app = True
wsgi_app = "wagtail_bench.wsgi:application"
control_socket_disable = True
