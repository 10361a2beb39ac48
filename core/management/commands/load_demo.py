from django.core.management.base import BaseCommand

from blocs import demo as blocs_demo


class Command(BaseCommand):
    help = (
        "Load the five real blocs of SCENARIOS.md (seeds 000–004) and the demo accounts. "
        "Idempotent: running it again changes nothing. Facts come from the articles; what they do not "
        "say is invented and marked so: the unnamed provinces of seeds 001 and 002 are shown as "
        "'Tỉnh (bài … không nêu tên)', the other Party boards of seed 002, the people's names of the "
        "demo accounts (except Phan Văn Xựng, named in seed 000) and the dates of the 2025 mergers."
    )

    def handle(self, *args, **options):
        accounts = blocs_demo.load()
        self.stdout.write(
            self.style.SUCCESS(
                "Dữ liệu mẫu đã sẵn sàng. Tài khoản mẫu (mật khẩu chung: "
                f"{blocs_demo.DEMO_PASSWORD}):"
            )
        )
        width = max(len(a[0]) for a in accounts)
        for username, name, role in accounts:
            self.stdout.write(f"  {username.ljust(width)}  {name} — {role}")
