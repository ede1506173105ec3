"""`clusterbroker duplicates find [--json] [--no-merge]` proposes pairs of organisations that
are probably the same; `clusterbroker duplicates list --json` prints the open proposals as
`[{"a": slug, "b": slug, "score": 0..1, "reasons": [...]}]`."""

import json
import time

from django.core.management.base import BaseCommand
from rich.progress import Progress

from clusterbroker.registry.dedup.services import find_and_store, open_proposals


class Command(BaseCommand):
    help = "Find organisations that are probably the same, and list the open proposals."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        find = actions.add_parser("find", help="compare the organisations and keep proposals")
        find.add_argument("--json", action="store_true", help="print the open proposals as JSON")
        find.add_argument(
            "--no-merge",
            action="store_true",
            help="do not merge pairs with the same PIC and country; propose them too",
        )
        listing = actions.add_parser("list", help="print the open proposals")
        listing.add_argument("--json", action="store_true", help="as JSON")

    def handle(self, *args, action: str, **options) -> None:
        if action == "find":
            self._find(as_json=options["json"], auto_merge=not options["no_merge"])
        else:
            self._list(as_json=options["json"])

    def _find(self, as_json: bool, auto_merge: bool) -> None:
        started = time.monotonic()
        with Progress(transient=True, disable=as_json) as bar:
            task = bar.add_task("Comparing organisations", total=None)
            report = find_and_store(
                auto_merge=auto_merge,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        if as_json:
            self.stdout.write(json.dumps(open_proposals(), ensure_ascii=False, indent=1))
            return
        for kept, gone in report.merged:
            self.stdout.write(f"Merged “{gone}” into {kept} (same PIC, same country).")
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.compared} organisations compared in "
                f"{time.monotonic() - started:.1f} s: {report.found} pairs probably the same, "
                f"{report.new} new proposals, {report.updated} updated, {report.withdrawn} "
                f"withdrawn (no longer found), {report.decided} "
                f"decided before and left as they are, {len(report.merged)} merged "
                f"automatically."
            )
        )

    def _list(self, as_json: bool) -> None:
        proposals = open_proposals()
        if as_json:
            self.stdout.write(json.dumps(proposals, ensure_ascii=False, indent=1))
            return
        for p in proposals:
            self.stdout.write(f"{p['score']:.2f}  {p['a']}  ~  {p['b']}")
            for reason in p["reasons"]:
                self.stdout.write(f"      {reason}")
        self.stdout.write(f"{len(proposals)} open proposals.")
