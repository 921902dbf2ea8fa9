"""Querysets whose SQL is made once per process: the queries every public page runs.

Django builds a queryset and compiles it to SQL each time it is evaluated. For a comparison
page's own row (three tables joined, its two roles and two pictures, its topics and bylines as
subqueries) that is about 4 ms of CPU where the database needs a tenth of one, and a page runs
five such queries. A :class:`PreparedQuery` builds and compiles its queryset once per process
and database, then runs the same SQL with each call's values and turns the rows into model
instances as the queryset would (``post_init`` is sent, ``select_related`` objects and
annotations are set, the connection's execute wrappers see the SQL). Design: decision 0153.

Which parameters are the call's values is found out, not assumed: the queryset is compiled once
with the values and once with each value changed in turn; a parameter that follows a value
exactly (as it is, or as the database adapts a date and time) is that value's, every other one
is a constant of the query. When the two compilations differ in anything else (the SQL, the
number of parameters, a value transformed on the way: ``%memory%``), the query is not prepared
and every call builds the queryset as before: slower, never wrong.

The SQL depends on the schema and on content type ids; both change only with migrations (and
a test database's flush), after which ``post_migrate`` forgets every prepared query.
"""

import datetime
import threading

from django.db import connections, router
from django.db.models.signals import post_migrate

_UNKNOWN = object()

# Every PreparedQuery made, so that post_migrate can empty them.
_all = []
_all_lock = threading.Lock()


def _adapter(connection, value, params, other, moved):
    """How ``value`` became the parameters at ``moved`` (``other`` those of the other value):
    as it is, or, a date and time, as the database stores one (SQLite: text). None if
    neither."""
    candidates = [lambda value: value]
    if isinstance(value, datetime.datetime):
        candidates.append(connection.ops.adapt_datetimefield_value)
    for adapt in candidates:
        if all(params[i] == adapt(value) for i in moved) and all(
            other[1][i] == adapt(other[0]) for i in moved
        ):
            return adapt
    return None


def _other(value):
    """A value of the same type that no query would confuse with ``value``."""
    if isinstance(value, bool):
        raise TypeError("a boolean changes the SQL, not a parameter: build it into the query")
    if isinstance(value, int):
        return value + 7919
    if isinstance(value, str):
        return f"{value}\x1fother"
    if isinstance(value, datetime.datetime):
        return value + datetime.timedelta(seconds=1, microseconds=1)
    raise TypeError(f"a prepared query takes int, str and datetime values, not {type(value)}")


class _Compiled:
    """A compiled query: its SQL, its parameters with the call's values' places, and the
    compiler (its select list and converters) that turns rows into instances."""

    __slots__ = ("compiler", "converters", "params", "places", "queryset", "sql")

    def __init__(self, queryset, compiler, sql, params, places):
        self.queryset = queryset
        self.compiler = compiler
        # What turns each column's value into Python (the select list is fixed).
        self.converters = compiler.get_converters(
            [column[0] for column in compiler.select[0 : compiler.col_count]]
        )
        self.sql = sql
        self.params = list(params)
        # (parameter index, value name, adapter)
        self.places = places

    def params_for(self, values):
        params = self.params.copy()
        for index, name, adapt in self.places:
            params[index] = adapt(values[name])
        return params


def _compile(queryset, using):
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()
    return compiler, sql, tuple(params)


class PreparedQuery:
    """``build(**values)`` made into SQL once per process; each call runs that SQL with its
    own values (int, str or aware datetime; None is not a value).

    ``name`` says which query it is in logs and tests. ``build`` reads nothing but its values
    and what ``constants()`` returns (a tuple: e.g. a module's limits, which a slice writes
    into the SQL, not into its parameters); the SQL is kept per value of ``constants()``, so
    a changed limit is compiled anew rather than served with the old one.
    """

    def __init__(self, name, build, constants=None):
        self.name = name
        self.build = build
        self.constants = constants
        # (database alias, the values' names and types, the constants) -> _Compiled, or None:
        # not preparable.
        self._compiled = {}
        self._model = None
        with _all_lock:
            _all.append(self)

    def __repr__(self):
        return f"<PreparedQuery {self.name}>"

    def forget(self):
        self._compiled = {}

    def list(self, **values):
        """The rows, as instances, as ``list(build(**values))`` gives them."""
        shape = tuple(sorted((name, type(value)) for name, value in values.items()))
        constants = self.constants() if self.constants else ()
        # The database is the router's for the model, as the queryset's own would be.
        using = router.db_for_read(self._model) if self._model else None
        compiled = self._compiled.get((using, shape, constants), _UNKNOWN)
        if compiled is _UNKNOWN:
            queryset = self.build(**values)
            self._model = queryset.model
            using = queryset.db
            compiled = self._prepare(queryset, using, values)
            self._compiled[using, shape, constants] = compiled
            if compiled is None:
                return list(queryset)
        elif compiled is None:
            return list(self.build(**values))
        return list(self._queryset(compiled, using, values))

    def first(self, **values):
        """The first row, or None."""
        rows = self.list(**values)
        return rows[0] if rows else None

    def _prepare(self, queryset, using, values):
        if queryset._prefetch_related_lookups or queryset._iterable_class.__name__ != (
            "ModelIterable"
        ):
            return None
        try:
            compiler, sql, params = _compile(queryset, using)
        except Exception:  # An empty result (EmptyResultSet) and the like: not prepared.
            return None
        connection = connections[using]
        places = []
        for name, value in values.items():
            try:
                changed = {**values, name: _other(value)}
            except TypeError:
                return None
            _, other_sql, other_params = _compile(self.build(**changed), using)
            if other_sql != sql or len(other_params) != len(params):
                return None
            moved = [i for i, (a, b) in enumerate(zip(params, other_params, strict=True)) if a != b]
            adapter = moved and _adapter(
                connection, value, params, (changed[name], other_params), moved
            )
            if not adapter:
                return None
            places.extend((i, name, adapter) for i in moved)
        if len({index for index, _, _ in places}) != len(places):
            return None
        return _Compiled(queryset, compiler, sql, params, places)

    @staticmethod
    def _queryset(compiled, using, values):
        """A copy of the prepared queryset whose compiler hands over the prepared SQL."""
        compiler = _shallow_copy(compiled.compiler)
        compiler.connection = connections[using]
        prepared = (compiled.sql, compiled.params_for(values))
        compiler.as_sql = lambda *args, **kwargs: prepared
        compiler.get_converters = lambda expressions: compiled.converters
        query = _shallow_copy(compiled.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        queryset = _shallow_copy(compiled.queryset)
        queryset._query = query
        queryset._result_cache = None
        queryset._prefetch_done = False
        return queryset


def _shallow_copy(thing):
    """A new object with ``thing``'s attributes (``copy.copy`` of a QuerySet would run it:
    its pickling support fetches the rows)."""
    other = object.__new__(type(thing))
    other.__dict__.update(thing.__dict__)
    return other


def prepared(name, *, constants=None):
    """Decorator: ``@prepared("name")`` over ``def build(**values)`` gives a PreparedQuery;
    ``constants``: a function returning the tuple of what else ``build`` reads."""

    def decorate(build):
        return PreparedQuery(name, build, constants)

    return decorate


def forget_all(**kwargs):
    """Every prepared query compiles afresh (the schema or the content types may have
    changed)."""
    with _all_lock:
        for query in _all:
            query.forget()


post_migrate.connect(forget_all, dispatch_uid="harness_cms.core.prepared.forget_all")
