"""The process chart (the regulation's lost figure 1), drawn as SVG from the transition table."""

import math
from dataclasses import dataclass

from django.utils.html import escape

from tierdesk.cases.enums import Action, Status
from tierdesk.cases.workflow import TRANSITIONS, Transition

BOX_WIDTH, BOX_HEIGHT = 210, 46
# Where each state sits: lines top to bottom on the left, specialists in the middle, the end on
# the right. A state missing here still gets drawn, in a row along the bottom.
LAYOUT = {
    Status.FIELD: (130, 60),
    Status.REGIONAL: (130, 230),
    Status.LINE2: (130, 470),
    Status.RD: (560, 380),
    Status.PRESALES: (560, 480),
    Status.PRODUCT: (560, 580),
    Status.VENDOR: (560, 680),
    Status.RESOLVED: (930, 120),
    Status.CLOSED: (930, 360),
}
WIDTH, HEIGHT = 1060, 780


@dataclass(frozen=True)
class Edge:
    source: Status
    target: Status
    label: str
    dashed: bool


def _edges(transitions: list[Transition]) -> list[Edge]:
    resolvers = {t.source for t in transitions if t.action == Action.RESOLVE}
    edges = []
    for t in transitions:
        if t.target is None:
            # Reopen goes back to whichever line resolved the case.
            edges += [Edge(t.source, source, str(t.action.label), True) for source in resolvers]
        else:
            edges.append(Edge(t.source, t.target, str(t.action.label), False))
    return edges


def _positions(edges: list[Edge]) -> dict[Status, tuple[float, float]]:
    positions = dict(LAYOUT)
    extra = sorted({s for e in edges for s in (e.source, e.target)} - set(positions))
    for index, status in enumerate(extra):
        positions[status] = (130 + index * 260, HEIGHT - 40)
    return positions


def _border_point(center, towards):
    """Where the line from a box's centre towards a point leaves the box."""
    (cx, cy), (tx, ty) = center, towards
    dx, dy = tx - cx, ty - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(
        (BOX_WIDTH / 2) / abs(dx) if dx else math.inf,
        (BOX_HEIGHT / 2) / abs(dy) if dy else math.inf,
    )
    return cx + dx * scale, cy + dy * scale


def process_chart_svg(transitions: list[Transition] = TRANSITIONS) -> str:
    edges = _edges(transitions)
    positions = _positions(edges)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        'class="process-chart" role="img" font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#495057"/></marker></defs>',
    ]
    degree = {status: 0 for status in positions}
    for edge in edges:
        degree[edge.source] += 1
        degree[edge.target] += 1
    for edge in edges:
        start_center, end_center = positions[edge.source], positions[edge.target]
        # Bend every arrow to its right, so an arrow and its way back never overlap.
        mx, my = (start_center[0] + end_center[0]) / 2, (start_center[1] + end_center[1]) / 2
        dx, dy = end_center[0] - start_center[0], end_center[1] - start_center[1]
        length = math.hypot(dx, dy) or 1
        bend = 36
        control = (mx - dy / length * bend, my + dx / length * bend)
        x1, y1 = _border_point(start_center, control)
        x2, y2 = _border_point(end_center, control)
        dash = ' stroke-dasharray="5 4"' if edge.dashed else ""
        parts.append(
            f'<path class="edge" data-from="{edge.source}" data-to="{edge.target}" '
            f'd="M{x1:.0f},{y1:.0f} Q{control[0]:.0f},{control[1]:.0f} {x2:.0f},{y2:.0f}" '
            f'fill="none" stroke="#495057" stroke-width="1.4"{dash} marker-end="url(#arrow)"/>'
        )
        # Labels sit towards the quieter end, away from the crowd around Engineering Service.
        t = 0.5
        if degree[edge.source] != degree[edge.target]:
            t = 0.72 if degree[edge.source] > degree[edge.target] else 0.28
        lx = (1 - t) ** 2 * x1 + 2 * t * (1 - t) * control[0] + t**2 * x2
        ly = (1 - t) ** 2 * y1 + 2 * t * (1 - t) * control[1] + t**2 * y2
        parts.append(
            f'<text x="{lx:.0f}" y="{ly:.0f}" text-anchor="middle" fill="#0d6efd" '
            f'paint-order="stroke" stroke="#fff" stroke-width="3">{escape(edge.label)}</text>'
        )
    for status, (x, y) in positions.items():
        parts.append(
            f'<g class="state" data-state="{status}"><rect x="{x - BOX_WIDTH / 2:.0f}" '
            f'y="{y - BOX_HEIGHT / 2:.0f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="8" '
            f'fill="#f8f9fa" stroke="#212529"/><text x="{x:.0f}" y="{y + 4:.0f}" '
            f'text-anchor="middle" font-weight="bold">{escape(Status(status).label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)
