import factory
from django.contrib.auth.hashers import make_password

from athletes.models import AthleteProfile, CoachingLink, User

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    name = factory.Faker("name")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))


class CoachFactory(UserFactory):
    is_coach = True


class CuratorFactory(UserFactory):
    is_staff = True


class AthleteFactory(UserFactory):
    athlete_profile = factory.RelatedFactory(
        "tests.factories.AthleteProfileFactory", factory_related_name="user"
    )


class AthleteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AthleteProfile

    user = factory.SubFactory(UserFactory)


def link(coach: User, athlete: User) -> CoachingLink:
    return CoachingLink.objects.create(coach=coach, athlete=athlete.athlete_profile)
