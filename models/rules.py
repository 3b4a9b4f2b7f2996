"""The step-back rule: the gate a posting must pass whatever the model says, and the baseline.

A step back is 1 to 3 rungs below the seeker (1 to 4 for an assistant to a showrunner or
executive: being beside the person who hires is worth an extra rung), on the seeker's track
or an adjacent one, open to the seeker (not a student-only internship) and paid.
"""

from __future__ import annotations

WINDOW = (1, 3)
DOOR_WINDOW = (1, 4)
HIGH_PROFILE = 0.5
ON_LADDER = frozenset({"same", "adjacent"})


def in_window(level_gap: int | None, door: bool = False) -> bool:
    if level_gap is None:
        return False
    low, high = DOOR_WINDOW if door else WINDOW
    return low <= level_gap <= high


def gate(
    relation: str, level_gap: int | None, door: bool, student_only: bool, unpaid: bool
) -> bool:
    return relation in ON_LADDER and in_window(level_gap, door) and not student_only and not unpaid


def rule_score(passes_gate: bool, prestige: float) -> float:
    """The rules-only baseline: prestige when the gate passes, else 0."""
    return prestige if passes_gate else 0.0


def rule_flag(passes_gate: bool, prestige: float) -> bool:
    return passes_gate and prestige >= HIGH_PROFILE
