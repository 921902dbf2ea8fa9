"""The Markdown engine: python-markdown with the site's extensions, made linear on the shapes
that made it quadratic, and the worker process that runs it under a time budget.

Nothing here needs Django: the worker (``python -m harness_cms.core.markdown_engine``) imports
this module alone. ``harness_cms.core.markdown`` sanitises what comes back (decision 0081).
"""

import atexit
import json
import os
import re
import selectors
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path
from xml.etree import ElementTree as etree

import markdown
from markdown.blockprocessors import HashHeaderProcessor, SetextHeaderProcessor
from markdown.extensions import Extension
from markdown.extensions.tables import TableProcessor
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["tables", "fenced_code", "sane_lists", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False, "toc_depth": "2-3"}}

# Brackets of a link's text, or parentheses of its address, nested deeper than this are text.
MAX_NESTING = 16
# How far past its balancing `)` a link's title may still close (`[a](/x "b) c")`).
LINK_TAIL = 100


class _DemoteH1(Treeprocessor):
    """The page template owns the only <h1>; a ``#`` heading in a body becomes an <h2>."""

    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class DemoteH1Extension(Extension):
    def extendMarkdown(self, md):
        # Priority above the toc extension's (5) so ids and the contents list see the <h2>.
        md.treeprocessors.register(_DemoteH1(md), "demote_h1", 6)


_BRACKETS = re.compile(r"[\[\]]")
_PARENTHESES = re.compile(r"[()]")


def _closing(pattern, data, index, depth=1):
    """The index just past the bracket that closes the one open before ``index``, or None if
    there is none or the nesting goes deeper than MAX_NESTING (the scan stops there)."""
    for match in pattern.finditer(data, index):
        depth += 1 if match.group() in "[(" else -1
        if depth == 0:
            return match.end()
        if depth > MAX_NESTING:
            return None
    return None


class _BoundedLinkText:
    """python-markdown's link processors scan for the `]` that closes a link's text one
    character at a time, from every `[`, to the end of the paragraph when none closes it:
    quadratic in runs of `[`. This finds it with a regular expression, once nesting stays
    within MAX_NESTING."""

    def getText(self, data, index):
        end = _closing(_BRACKETS, data, index)
        if end is None:
            return "", index, False
        return data[index : end - 1], end, True


class _BoundedReference(_BoundedLinkText):
    """A reference link (`[text][id]`, `[id]`) needs a reference definition (`[id]: /url`):
    without any, every `[` is text, found without reading on."""

    def handleMatch(self, m, data):
        if not self.md.references:
            return None, None, None
        return super().handleMatch(m, data)


class _BoundedLinkAddress(_BoundedLinkText):
    """The same for the `( … )` of an inline link: its `)` is found by a regular expression
    first, and python-markdown's own parser (titles, quotes, `<…>`) reads only up to it and a
    short tail, not to the end of the paragraph."""

    def getLink(self, data, index):
        if not data.startswith("(", index):
            return super().getLink(data, index)
        end = _closing(_PARENTHESES, data, index + 1)
        if end is None:
            return "", None, index, False
        href, title, stop, handled = super().getLink(data[index : end + LINK_TAIL], 0)
        return href, title, index + stop, handled


class _SetextHeader(SetextHeaderProcessor):
    """Splits off the heading's two lines only, not every line of the rest of the block."""

    def run(self, parent, blocks):
        title, underline, *rest = blocks.pop(0).split("\n", 2)
        heading = etree.SubElement(parent, "h1" if underline.startswith("=") else "h2")
        heading.text = title.strip()
        if rest:
            blocks.insert(0, rest[0])


class _HashHeader(HashHeaderProcessor):
    """Without a `#` the block holds no `#` heading: found by one `in`, not by a regular
    expression tried at every line — which, on a block of headings, ran again over the rest
    of the block after each one."""

    def test(self, parent, block):
        return "#" in block and super().test(parent, block)


def _line(block, start):
    end = block.find("\n", start)
    return block[start:] if end < 0 else block[start:end], end


class _Table(TableProcessor):
    """A table's first line holds a `|` and its second is a separator row (`|---|:-:|`);
    python-markdown split the whole block into lines to find out, once per block — and a
    block of headings is re-tested after each one."""

    SEPARATOR = frozenset("|:- ")

    def test(self, parent, block):
        first, end = _line(block, 0)
        if end < 0 or "|" not in first:
            return False
        second, _ = _line(block, end + 1)
        if not set(second.strip(" ")) <= self.SEPARATOR:
            return False
        return super().test(parent, block)


def _replace(registry, name, replacement):
    # The registry keeps its priorities in `_priority`; the replacement keeps the original's.
    priority = next(item.priority for item in registry._priority if item.name == name)
    registry.register(replacement, name, priority)


class BoundedCostExtension(Extension):
    """Swaps python-markdown's processors that are quadratic in their input for linear ones
    with the same output (measured in decision 0081)."""

    def extendMarkdown(self, md):
        for name in (
            "reference",
            "link",
            "image_link",
            "image_reference",
            "short_reference",
            "short_image_ref",
        ):
            original = md.inlinePatterns[name]
            mixin = _BoundedReference if hasattr(original, "evalId") else _BoundedLinkAddress
            bounded = type(f"Bounded{type(original).__name__}", (mixin, type(original)), {})
            _replace(md.inlinePatterns, name, bounded(original.pattern, md))
        blocks = md.parser.blockprocessors
        _replace(blocks, "hashheader", _HashHeader(md.parser))
        _replace(blocks, "setextheader", _SetextHeader(md.parser))
        table = blocks["table"]
        _replace(blocks, "table", _Table(md.parser, table.config))


def convert(text):
    """``(html, toc_tokens)`` of ``text``: python-markdown's output, not yet sanitised."""
    md = markdown.Markdown(
        extensions=[*EXTENSIONS, DemoteH1Extension(), BoundedCostExtension()],
        extension_configs=EXTENSION_CONFIGS,
    )
    return md.convert(text), md.toc_tokens


# --- the worker process

_HEADER = struct.Struct(">I")


class RenderAborted(Exception):
    """The render used up its time budget, or the worker failed; the worker was replaced."""


def _send(stream, payload):
    stream.write(_HEADER.pack(len(payload)) + payload)
    stream.flush()


def _receive(stream):
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    return stream.read(size)


def serve(requests=None, answers=None):
    """The worker's loop: says it is ready (an empty message), then a text in,
    ``{"html", "toc"}`` or ``{"error"}`` out, until the parent closes the pipe (or dies: the
    worker then ends too)."""
    requests = requests or sys.stdin.buffer
    answers = answers or sys.stdout.buffer
    _send(answers, b"")
    while (request := _receive(requests)) is not None:
        try:
            html, toc = convert(request.decode("utf-8", "surrogatepass"))
            answer = {"html": html, "toc": toc}
        except (RecursionError, MemoryError, ValueError) as error:
            answer = {"error": type(error).__name__}
        _send(answers, json.dumps(answer).encode("utf-8", "surrogatepass"))


def _cpu_seconds(pid):
    """The CPU time process ``pid`` has used (Linux /proc), or None where it cannot be read."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Worker:
    """One worker process per server process, started on first use. A render that uses more
    than its budget of the worker's CPU time (or three times it in wall time, on a machine
    too busy to give it the CPU) is stopped by killing the worker, and a new one starts at
    once, ready for the next render. Renders from several threads take turns."""

    POLL = 0.02
    # Starting Python and importing python-markdown: not part of any render's budget.
    STARTUP = 30

    def __init__(self):
        self._process = None
        self._owner = None
        self._ready = False
        self._lock = threading.Lock()
        atexit.register(self.close)

    def close(self):
        """End the worker: its input closes, its loop ends."""
        with self._lock:
            if self._process is not None and self._owner == os.getpid():
                self._process.stdin.close()
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
                    self._process.wait()
                self._process.stdout.close()
            self._process = None

    def convert(self, text, *, budget):
        with self._lock:
            process = self._running()
            started_cpu, started = _cpu_seconds(process.pid), time.monotonic()
            try:
                _send(process.stdin, text.encode("utf-8", "surrogatepass"))
                self._wait(process, lambda: self._overrun(process, started_cpu, started, budget))
                answer = _receive(process.stdout)
            except (OSError, RenderAborted) as error:
                self._replace()
                raise RenderAborted(str(error) or "the Markdown worker failed") from error
            if answer is None:
                self._replace()
                raise RenderAborted("the Markdown worker ended")
            answer = json.loads(answer.decode("utf-8", "surrogatepass"))
            if "error" in answer:
                raise RenderAborted(answer["error"])
            return answer["html"], answer["toc"]

    @staticmethod
    def _overrun(process, started_cpu, started, budget):
        used = _cpu_seconds(process.pid)
        if used is not None and started_cpu is not None and used - started_cpu > budget:
            return f"over its budget of {budget} s of CPU time"
        if time.monotonic() - started > 3 * budget:
            return f"over three times its budget of {budget} s in wall time"
        return None

    def _wait(self, process, overrun):
        """Until the worker has something to say, or ``overrun()`` says why to stop."""
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            while not selector.select(self.POLL):
                reason = overrun()
                if reason:
                    raise RenderAborted(reason)

    def _running(self):
        # A worker inherited from a parent process (a server that forks after loading) is
        # not this process's to use.
        if self._process is None or self._owner != os.getpid() or self._process.poll() is not None:
            self._spawn()
        if not self._ready:
            self._wait_until_ready()
        return self._process

    def _wait_until_ready(self):
        started = time.monotonic()

        def slow():
            return "did not start" if time.monotonic() - started > self.STARTUP else None

        try:
            self._wait(self._process, slow)
            greeting = _receive(self._process.stdout)
        except RenderAborted:
            greeting = None
        if greeting != b"":
            self._stop()
            # Not the text's fault: a server error, not a message to the editor.
            raise RuntimeError("The Markdown worker process did not start.")
        self._ready = True

    def _spawn(self):
        self._process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", __name__],
            cwd=Path(__file__).resolve().parents[2],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        self._owner = os.getpid()
        self._ready = False

    def _stop(self):
        self._process.kill()
        self._process.wait()
        self._process.stdin.close()
        self._process.stdout.close()
        self._process = None

    def _replace(self):
        """Kill the worker and start the next one now: it imports while the refusal is sent."""
        self._stop()
        self._spawn()


if __name__ == "__main__":
    serve()
