from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_data_categories'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='data_category',
            field=models.CharField(blank=True, choices=[('', 'None'), ('demographics', 'Demographics'), ('care_team', 'Care team'), ('episode', 'Episode and stay'), ('referral', 'Referral'), ('evaluation', 'Evaluation'), ('guardians', 'Guardians and contacts'), ('audit', 'Audit trail'), ('psychotherapy_note', 'Psychotherapy note'), ('adolescent_confidential', 'Adolescent-confidential'), ('care_plan', 'Care plan and conferences'), ('note', 'Clinical note'), ('message', 'Team message')], max_length=32),
        ),
    ]
