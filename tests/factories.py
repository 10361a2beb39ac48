"""factory_boy factories for the blocs app: sensible Vietnamese defaults, every row valid."""

import factory

from blocs.models import Authority, Bloc, ChairTerm, Conference, Membership, Unit, UnitName


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Authority
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"tinh-{n}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    people_committee_name = factory.LazyAttribute(lambda a: f"Ủy ban nhân dân {a.name}")
    council_name = factory.LazyAttribute(lambda a: f"Hội đồng Thi đua - Khen thưởng {a.name}")
    tdkt_office_name = "Phòng Thi đua - Khen thưởng, Sở Nội vụ"


class BlocFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bloc

    authority = factory.SubFactory(AuthorityFactory)
    code = factory.Sequence(lambda n: f"K{n}")
    name = factory.Sequence(lambda n: f"Khối thi đua số {n}")


class UnitFactory(factory.django.DjangoModelFactory):
    """A unit with its one current name, as unit_create makes it."""

    class Meta:
        model = Unit
        skip_postgeneration_save = True

    authority = factory.SubFactory(AuthorityFactory)
    full_name = factory.Sequence(lambda n: f"Sở Thử nghiệm số {n}")

    @factory.post_generation
    def name_row(unit, create, extracted, **kwargs):
        if create:
            UnitName.objects.create(unit=unit, full_name=unit.full_name, short_name=unit.short_name)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    bloc = factory.SubFactory(BlocFactory)
    unit = factory.SubFactory(UnitFactory, authority=factory.SelfAttribute("..bloc.authority"))
    year = 2026
    position = factory.Sequence(int)


class ChairTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChairTerm

    bloc = factory.SubFactory(BlocFactory)
    year = 2026
    chair = factory.SubFactory(UnitFactory, authority=factory.SelfAttribute("..bloc.authority"))


class ConferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conference

    bloc = factory.SubFactory(BlocFactory)
    year = 2026
    kind = Conference.Kind.YEAR_END
    held_on = factory.LazyAttribute(lambda c: f"{c.year}-12-15")
