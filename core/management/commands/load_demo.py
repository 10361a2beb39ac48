import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app that has demo data keeps it in <app>/demo.py with a load() returning the demo accounts it
# adds as (username, name, role). They load in this order: later apps build on earlier ones.
DEMO_APPS = ("blocs", "pledges", "scoring", "awards", "reports")


class Command(BaseCommand):
    help = (
        "Load the five real blocs of SCENARIOS.md (seeds 000–004) and the demo accounts. "
        "Idempotent: running it again changes nothing. Facts come from the articles; what they do not "
        "say is invented and marked so: the unnamed provinces of seeds 001 and 002 are shown as "
        "'Tỉnh (bài … không nêu tên)', the other Party boards of seed 002, the people's names of the "
        "demo accounts (except Phan Văn Xựng, named in seed 000) and the dates of the 2025 mergers. "
        "Each app's demo module (<app>/demo.py) says in its docstring what it invents."
    )

    def handle(self, *args, **options):
        from blocs import demo as blocs_demo

        accounts = []
        with transaction.atomic():
            for app in DEMO_APPS:
                if (
                    importlib.util.find_spec(app) is None
                    or importlib.util.find_spec(f"{app}.demo") is None
                ):
                    continue
                accounts.extend(importlib.import_module(f"{app}.demo").load() or [])
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu đã sẵn sàng. Tài khoản mẫu (mật khẩu chung: "
                f"{blocs_demo.DEMO_PASSWORD}):"
            )
        )
        width = max(len(a[0]) for a in accounts)
        for username, name, role in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {name} — {role}")
