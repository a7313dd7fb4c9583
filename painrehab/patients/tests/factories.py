import datetime

import factory

from painrehab.patients.choices import Relationship, Sex, TeamRole
from painrehab.patients.models import CareTeamMember, Guardian, Patient, PatientGuardian


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    mrn = factory.Sequence(lambda n: f"T{n:07d}")
    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = datetime.date(2012, 5, 17)
    sex = Sex.FEMALE


class GuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Guardian

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    phone = "555-0100"


class PatientGuardianFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PatientGuardian

    patient = factory.SubFactory(PatientFactory)
    guardian = factory.SubFactory(GuardianFactory)
    relationship = Relationship.MOTHER
    portal_access = True


class CareTeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareTeamMember

    patient = factory.SubFactory(PatientFactory)
    team_role = TeamRole.PRIMARY_PT
    start_date = datetime.date(2020, 1, 1)
