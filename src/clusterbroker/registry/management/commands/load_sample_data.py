from django.core.management.base import BaseCommand

from clusterbroker.brokering.sample_data import load_sample_profiles
from clusterbroker.community.sample_data import load_community_sample_data
from clusterbroker.events.sample_data import load_sample_events
from clusterbroker.plans.sample_data import load_plan_sample_data
from clusterbroker.registry.demo import create_demo_users
from clusterbroker.registry.sample_data import load_sample_data
from clusterbroker.surveys.sample_data import load_survey_sample_data


class Command(BaseCommand):
    help = "Load the sample data extracted from the seed documents (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--demo-users", action="store_true", help="also create the demo logins")

    def handle(self, *args, **options):
        report = load_sample_data()
        figures = ", ".join(f"{n} {name}" for name, n in report.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Sample data loaded: {figures}."))
        profiles = load_sample_profiles()
        figures = ", ".join(f"{n} {name}" for name, n in profiles.items())
        self.stdout.write(self.style.SUCCESS(f"Sample brokering profiles loaded: {figures}."))
        events = load_sample_events()
        self.stdout.write(self.style.SUCCESS(f"Sample events created: {events}."))
        plans = load_plan_sample_data()
        figures = ", ".join(f"{n} {name}" for name, n in plans.items())
        self.stdout.write(self.style.SUCCESS(f"Sample action plans and KPIs loaded: {figures}."))
        community = load_community_sample_data()
        figures = ", ".join(f"{n} {name}" for name, n in community.items())
        self.stdout.write(self.style.SUCCESS(f"Community sample data loaded: {figures}."))
        surveys = load_survey_sample_data()
        figures = ", ".join(f"{n} {name}" for name, n in surveys.items())
        self.stdout.write(self.style.SUCCESS(f"Sample survey loaded: {figures}."))
        if options["demo_users"]:
            self.stdout.write("Demo logins (username / password, role):")
            for login in create_demo_users():
                self.stdout.write(f"  {login.username:<8} / {login.password}   {login.role}")
