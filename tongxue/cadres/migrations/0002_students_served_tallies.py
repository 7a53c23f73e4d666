"""Students-served ratings become per-(round, cadre) running tallies; receipts keep only
(round, student). Existing students-served score rows are folded into tallies and deleted."""
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def scores_to_tallies(apps, schema_editor):
    from django.db.models import Count, Sum

    Score = apps.get_model("cadres", "AssessmentScore")
    Tally = apps.get_model("cadres", "AssessmentStudentTally")
    rows = (Score.objects.filter(source="students").values("university_id", "round_id", "membership_id")
            .annotate(n=Count("id"), p=Sum("performance"), c=Sum("conduct")).order_by())
    Tally.objects.bulk_create([
        Tally(university_id=r["university_id"], round_id=r["round_id"], membership_id=r["membership_id"],
              count=r["n"], performance_sum=r["p"], conduct_sum=r["c"]) for r in rows
    ])
    Score.objects.filter(source="students").delete()


class Migration(migrations.Migration):

    dependencies = [
        ('cadres', '0001_initial'),
        ('core', '0005_academic_record'),
        ('unions', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AssessmentStudentTally',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='ballots')),
                ('performance_sum', models.PositiveIntegerField(default=0, verbose_name='sum of performance')),
                ('conduct_sum', models.PositiveIntegerField(default=0, verbose_name='sum of conduct')),
            ],
            options={
                'verbose_name': 'students-served tally',
                'verbose_name_plural': 'students-served tallies',
            },
        ),
        migrations.AddField(
            model_name='assessmentstudenttally',
            name='membership',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='student_tallies', to='unions.membership', verbose_name='cadre'),
        ),
        migrations.AddField(
            model_name='assessmentstudenttally',
            name='round',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='student_tallies', to='cadres.assessmentround', verbose_name='assessment round'),
        ),
        migrations.AddField(
            model_name='assessmentstudenttally',
            name='university',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='core.university', verbose_name='university'),
        ),
        migrations.AddConstraint(
            model_name='assessmentstudenttally',
            constraint=models.UniqueConstraint(fields=('university', 'round', 'membership'), name='one_tally_per_round_cadre'),
        ),
        migrations.RunPython(scores_to_tallies, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name='assessmentscore',
            name='anonymous_only_for_students_served',
        ),
        migrations.AddConstraint(
            model_name='assessmentscore',
            constraint=models.CheckConstraint(condition=models.Q(('source', 'students'), _negated=True), name='students_served_only_in_tallies'),
        ),
        migrations.RemoveField(
            model_name='assessmentballotreceipt',
            name='cast_on',
        ),
        migrations.AlterField(
            model_name='assessmentscore',
            name='rater',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='rater'),
        ),
    ]
