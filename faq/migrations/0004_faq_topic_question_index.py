"""A page of the FAQ index reads each topic's questions in question order from this index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("faq", "0003_alter_faq_options_faq_version"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="faq",
            index=models.Index(fields=["topic", "question"], name="faq_topic_question"),
        ),
    ]
