import json

from django.core.management.base import BaseCommand, CommandError

from clusterbroker.brokering import engine
from clusterbroker.brokering.models import Profile


class Command(BaseCommand):
    help = (
        "Rank partners, support providers or open calls for a brokering profile: "
        "`match PROFILE_ID --kind partners|providers|calls|needs [--need ID] [--limit N] "
        "[--partners new|known|all] [--closed] [--json]` (needs: other organisations' needs the "
        "profile's offers could answer; confidential ones anonymised)."
    )

    def add_arguments(self, parser):
        parser.add_argument("profile_id", help="the profile's public ID, e.g. CB-7KQ2M9XA")
        parser.add_argument("--kind", choices=engine.KINDS, default="partners")
        parser.add_argument("--need", type=int, help="rank for this need of the profile only")
        parser.add_argument("--limit", type=int, default=10)
        parser.add_argument(
            "--partners",
            choices=engine.PARTNER_CHOICES,
            default="new",
            help="new: leave out organisations the profile already works with (the default); "
            "known: only those; all: both",
        )
        parser.add_argument(
            "--closed", action="store_true", help="calls: include those whose deadline passed"
        )
        parser.add_argument("--json", action="store_true", help="print JSON instead of text")

    def handle(self, *args, profile_id: str, kind: str, need, limit: int, partners: str, **options):
        profile = (
            Profile.objects.select_related("organisation").filter(public_id=profile_id).first()
        )
        if profile is None:
            raise CommandError(f"{profile_id}: no such profile.")
        try:
            if need is not None:
                one = profile.needs.filter(pk=need).first()
                if one is None:
                    raise CommandError(f"{profile_id} has no need {need}.")
                results = engine.match_need(
                    one, kind, limit, partners=partners, closed=options["closed"]
                )
            else:
                results = engine.match_profile(
                    profile, kind, limit, partners=partners, closed=options["closed"]
                )
        except engine.NoCollections as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    [
                        {
                            "name": r.label,
                            "url": r.url,
                            "score": round(r.score, 4),
                            "known_partner": r.known_partner,
                            "reasons": r.reasons,
                        }
                        for r in results
                    ],
                    indent=2,
                    ensure_ascii=False,
                )
            )
            return
        if not results:
            self.stdout.write("No match.")
        for position, r in enumerate(results, start=1):
            known = "  [you already work with them]" if r.known_partner else ""
            self.stdout.write(
                f"{position:>3}. {r.label} ({r.description})  score {r.score:.2f}{known}"
            )
            for reason in r.reasons:
                self.stdout.write(f"       - {reason}")
