"""SVG snapshots of the main screens at 120×36 and 80×24 (pytest-textual-snapshot)."""

from __future__ import annotations

import pytest

from policysearch.tui.app import make_app

SIZES = [(120, 36), (80, 24)]


async def ready(pilot):
    app = pilot.app
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def searched(pilot):
    await ready(pilot)
    await pilot.press(*"智能物流")
    await pilot.pause(0.15)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def reading(pilot):
    await searched(pilot)
    await pilot.press("enter", "down", "enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the document opened
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # and traced: the outline counts shared passages
    await pilot.pause()


async def comparing(pilot):
    await ready(pilot)
    pilot.app.open_compare("2013-ndrc-1772", "2016-ndrc-1284", "二", "一/(一)")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("n", "n")
    await pilot.pause()


async def citing(pilot):
    await ready(pilot)
    pilot.app.open_cite(None, None, "894号")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def trending(pilot):
    await ready(pilot)
    await pilot.press("f4")
    await pilot.pause()
    await pilot.press(*'电子商务; "智慧物流"', "enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen,run_before", [("search", searched), ("reader", reading), ("compare", comparing),
                                               ("cite", citing), ("trend", trending)])
def test_screen(snap_compare, seed_index, size, screen, run_before):
    assert snap_compare(make_app(seed_index, blink=False), terminal_size=size, run_before=run_before)
