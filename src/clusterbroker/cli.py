"""The `clusterbroker` command: Django's management commands under product names.

`clusterbroker import organisations FILE` runs the `import_data` command,
`clusterbroker export organisations FILE` the `export_data` command; every
other Django command (migrate, runserver, createsuperuser …) works as is.
"""

import os
import sys

ALIASES = {
    "import": "import_data",
    "export": "export_data",
    "search-index": "search_index",
    "regions-from-cities": "regions_from_cities",
}
# `import KIND …` kinds served by a command of their own (they take several files).
IMPORT_COMMANDS = {"cordis-participations": "import_cordis"}


def main(argv: list[str] | None = None) -> None:
    """Run a management command, translating the product's command names."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clusterbroker.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 2 and args[1] == "import" and args[2] in IMPORT_COMMANDS:
        args[1:3] = [IMPORT_COMMANDS[args[2]]]
    elif len(args) > 1 and args[1] in ALIASES:
        args[1] = ALIASES[args[1]]
    args[0] = "clusterbroker"
    execute_from_command_line(args)
