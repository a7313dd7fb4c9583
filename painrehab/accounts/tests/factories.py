import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from painrehab.accounts.choices import DISCIPLINE_OF_ROLE, Role
from painrehab.accounts.models import StaffProfile, User

TEST_PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    role = Role.GUARDIAN
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class StaffFactory(UserFactory):
    role = Role.PHYSICAL_THERAPIST

    @factory.post_generation
    def profile(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            StaffProfile.objects.create(
                user=self,
                discipline=DISCIPLINE_OF_ROLE[self.role],
                credentials="PT, DPT",
            )


def totp_device(user: User) -> TOTPDevice:
    """A confirmed authenticator for ``user``."""
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)
