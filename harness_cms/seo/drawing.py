"""A server-rendered picture of the cluster: items as dots, editorial links as arrows.

Laid out in rings, with no JavaScript and no outside service: the home page in the middle,
role pages (the hubs) around it, each role's cluster pages beyond its hub, comparisons between
their two roles, other guides on the outer ring.
"""

import math
from dataclasses import dataclass

from harness_cms.core.text import shorten

SIZE = 900
CENTRE = SIZE / 2
RING_ROLES = 170
RING_PAGES = 300
RING_COMPARISONS = 250
RING_GUIDES = 395
NODE_RADIUS = 11
MAX_NODES = 300
LABEL_LENGTH = 26


@dataclass
class Dot:
    id: int
    x: float
    y: float
    title: str
    label: str
    path: str
    kind: str
    css: str
    admin_url: str
    label_anchor: str
    label_x: float
    label_y: float

    @property
    def square(self):
        """Top-left corner of a role's square, centred on the dot."""
        return round(self.x - NODE_RADIUS, 1), round(self.y - NODE_RADIUS, 1)

    @property
    def diamond(self):
        """Top-left corner of a comparison's (rotated) square."""
        return round(self.x - 8, 1), round(self.y - 8, 1)


def _at(angle, radius):
    return CENTRE + radius * math.cos(angle), CENTRE + radius * math.sin(angle)


def _mean_angle(a, b):
    x, y = math.cos(a) + math.cos(b), math.sin(a) + math.sin(b)
    if abs(x) < 1e-9 and abs(y) < 1e-9:
        return a + math.pi / 2
    return math.atan2(y, x)


def _view_box(dots, margin=20, char_width=7):
    """The smallest box around the dots and their labels, so the picture fills its frame."""
    if not dots:
        return f"0 0 {SIZE} {SIZE}"
    left = min(
        dot.label_x - char_width * len(dot.label) if dot.label_anchor == "end" else dot.x - 16
        for dot in dots
    )
    right = max(
        dot.label_x + char_width * len(dot.label) if dot.label_anchor == "start" else dot.x + 16
        for dot in dots
    )
    top = min(dot.y for dot in dots) - NODE_RADIUS - margin
    bottom = max(dot.y for dot in dots) + NODE_RADIUS + margin
    left, right = left - margin, right + margin
    return f"{left:.0f} {top:.0f} {right - left:.0f} {bottom - top:.0f}"


def layout(graph, report, admin_urls):
    """Positions of the dots and arrows, ready for the template's ``<svg>``."""
    flagged = {}
    for finding in report.findings:
        if finding.item_id is not None and finding.rule in ("orphan", "broken-link"):
            flagged[finding.item_id] = "problem"
    nodes = sorted(graph.nodes.values(), key=lambda n: (n.kind != "role", n.title))[:MAX_NODES]
    shown = {node.id for node in nodes}
    roles = [node for node in nodes if node.kind == "role"]
    angle_of = {}
    positions = {}
    for index, role in enumerate(roles):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(roles), 1)
        angle_of[role.id] = angle
        positions[role.id] = _at(angle, RING_ROLES if len(roles) > 1 else 0)
    sector = 2 * math.pi / max(len(roles), 1)
    for role in roles:
        pages = [node for node in nodes if node.kind == "page" and node.role_id == role.id]
        for index, page in enumerate(pages):
            spread = sector * 0.6
            offset = -spread / 2 + spread * (index + 0.5) / len(pages)
            positions[page.id] = _at(angle_of[role.id] + offset, RING_PAGES)
    comparisons = [node for node in nodes if node.kind == "comparison"]
    used = {}
    for comparison in comparisons:
        a, b = (angle_of.get(role_id) for role_id in comparison.role_ids or (None, None))
        angle = _mean_angle(a, b) if a is not None and b is not None else 0.0
        key = round(angle, 2)
        angle += 0.12 * used.get(key, 0)
        used[key] = used.get(key, 0) + 1
        positions[comparison.id] = _at(angle, RING_COMPARISONS)
    others = [node for node in nodes if node.id not in positions and not node.is_home]
    for index, node in enumerate(others):
        positions[node.id] = _at(-math.pi / 2 + 2 * math.pi * index / len(others), RING_GUIDES)
    home = graph.home()
    if home is not None and home.id in shown:
        positions[home.id] = (CENTRE, CENTRE)

    dots = []
    for node in nodes:
        x, y = positions[node.id]
        right = x >= CENTRE
        css = [f"kind-{node.kind}"]
        if not node.public:
            css.append("unpublished")
        if node.id in flagged:
            css.append("problem")
        if node.is_home:
            css.append("home")
        dots.append(
            Dot(
                id=node.id,
                x=round(x, 1),
                y=round(y, 1),
                title=node.title,
                label=shorten(node.title, LABEL_LENGTH),
                path=node.path,
                kind=node.kind,
                css=" ".join(css),
                admin_url=admin_urls.get(node.path, ""),
                label_anchor="start" if right else "end",
                label_x=round(x + (NODE_RADIUS + 4) * (1 if right else -1), 1),
                label_y=round(y + 4, 1),
            )
        )
    arrows = []
    seen = set()
    # Editorial links only: the navigation every page has would hide them.
    links = graph.editorial_links()
    pairs = {(link.source, link.target) for link in links}
    for link in links:
        if link.source not in shown or link.target not in shown or link.source == link.target:
            continue
        key = (link.source, link.target)
        if key in seen:
            continue
        seen.add(key)
        (x1, y1), (x2, y2) = positions[link.source], positions[link.target]
        length = math.hypot(x2 - x1, y2 - y1) or 1
        # Stop at the rim of each dot so the arrowhead stays visible.
        dx, dy = (x2 - x1) / length, (y2 - y1) / length
        back = (link.target, link.source) in pairs
        arrows.append(
            {
                "x1": round(x1 + dx * NODE_RADIUS, 1),
                "y1": round(y1 + dy * NODE_RADIUS, 1),
                "x2": round(x2 - dx * (NODE_RADIUS + 3), 1),
                "y2": round(y2 - dy * (NODE_RADIUS + 3), 1),
                "css": "mutual" if back else "one-way",
                "title": f"{graph.nodes[link.source].title} → {graph.nodes[link.target].title}",
            }
        )
    return {
        "view_box": _view_box(dots),
        "dots": dots,
        "arrows": arrows,
        "radius": NODE_RADIUS,
        "truncated": len(graph.nodes) > MAX_NODES,
        "max_nodes": MAX_NODES,
    }
