"""Starting the site, or the `schedule` command, does not import the solvers: they are imported
when a schedule is computed (and OR-Tools only by the exact mode)."""

import os
import subprocess
import sys

SOLVERS = ("ortools", "scipy.optimize", "icalendar", "pandas")


def _modules_after(code: str) -> set[str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clusterbroker.settings"}
    script = (
        "import sys, django\n"
        "django.setup()\n"
        f"{code}\n"
        f"print(' '.join(m for m in {SOLVERS!r} if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_django_start_and_the_scheduler_package_import_no_solver():
    loaded = _modules_after(
        "import clusterbroker.events.scheduler, clusterbroker.events.scheduling\n"
        "import clusterbroker.events.agenda, clusterbroker.events.services"
    )
    assert loaded == set()


def test_the_fast_mode_imports_highs_but_not_cp_sat():
    loaded = _modules_after(
        "from clusterbroker.events.scheduler import schedule\n"
        "from clusterbroker.events.scheduler.synthetic import irregular_instance\n"
        "schedule(irregular_instance(60, seed=1), mode='fast', compact=False)"
    )
    assert "scipy.optimize" in loaded
    assert "ortools" not in loaded


def test_the_schedule_command_skips_the_site_checks():
    from clusterbroker.events.management.commands.schedule import Command

    assert Command.requires_system_checks == []
